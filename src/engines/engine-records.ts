import { hushError } from '../core/errors/index.js';
import type { SealedView, Versioned } from '../store/sealed-view/index.js';

/** A configured secrets engine (stored encrypted: the URL carries the admin password). */
export interface EngineConfig {
  readonly name: string;
  readonly type: 'postgres';
  readonly connectionUrl: string;
  /** How long after a lease's expiry the database itself ends the role's logins (VALID UNTIL). */
  readonly validUntilMarginMs: number;
  readonly updatedAt: string;
  /**
   * Set when a delete of the engine began (ISO time): no new credentials are issued from then on, so the delete's
   * revocation of the engine's leases cannot miss one issued meanwhile. Configuring the engine again clears it.
   */
  readonly deleting?: string;
}

/** A role template of an engine. */
export interface EngineRole {
  readonly engine: string;
  readonly role: string;
  readonly creationSql: string;
  readonly revocationSql: string;
  readonly renewalSql: string;
  /** Set by an admin: the statements were not checked against the allow-list (see pg-statement-check.ts). */
  readonly allowUnlistedStatements?: true;
  readonly ttlMs: number;
  readonly maxTtlMs: number;
  readonly updatedAt: string;
}

/** Storage key of an engine's configuration. */
export const engineKey = (name: string): string => `sys/engines/${name}/config`;
/** Storage key of one role of an engine. */
export const roleKey = (engine: string, role: string): string => `sys/engines/${engine}/roles/${role}`;

/** The engine's configuration with its revision (to fence writes on it), or HUSH_E_NOT_FOUND saying how to create it. */
export async function loadEngineRow(
  records: Pick<SealedView, 'get'>,
  name: string,
): Promise<Versioned<EngineConfig>> {
  const found = await records.get<EngineConfig>(engineKey(name));
  if (!found) {
    throw hushError('NO_SECRETS_ENGINE', { name });
  }
  return found;
}

/** The engine's configuration, or HUSH_E_NOT_FOUND saying how to create it. */
export async function loadEngine(records: Pick<SealedView, 'get'>, name: string): Promise<EngineConfig> {
  return (await loadEngineRow(records, name)).value;
}

/** The role, or HUSH_E_NOT_FOUND saying how to create it. */
export async function loadRole(
  records: Pick<SealedView, 'get'>,
  engine: string,
  role: string,
): Promise<EngineRole> {
  const found = await records.get<EngineRole>(roleKey(engine, role));
  if (!found) {
    throw hushError('NO_ROLE_ENGINE', { role, engine });
  }
  return found.value;
}

/** What an engine shows about itself: everything but the admin password. */
export interface EngineView {
  readonly name: string;
  readonly type: 'postgres';
  /** `host:port/database` of the admin connection. */
  readonly target: string;
  readonly validUntilMargin: number;
  readonly updatedAt: string;
}
