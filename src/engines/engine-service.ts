import { lookup } from 'node:dns/promises';
import { hushError } from '../core/errors/index.js';
import { parseDuration } from '../identity/duration.js';
import {
  addressAllowed,
  notAllowed,
  type OutboundAllowList,
  type OutboundGuard,
} from '../net/outbound-allow-list.js';
import { checkPostgresUrl } from '../net/postgres-url-guard.js';
import { retryCas, type SealedView } from '../store/sealed-view/index.js';
import { checkName } from './engine-names.js';
import {
  type EngineConfig,
  type EngineRole,
  type EngineView,
  engineKey,
  loadEngine,
  loadEngineRow,
  loadRole,
  roleKey,
} from './engine-records.js';
import { describeTarget } from './postgres/pg-admin.js';
import { engineTarget, verifyConnection } from './postgres/pg-engine.js';
import { checkStatements } from './postgres/pg-statement-check.js';
import {
  checkTemplate,
  DEFAULT_RENEWAL,
  DEFAULT_REVOCATION,
  type TemplateKind,
} from './postgres/pg-template.js';

/**
 * Policy path whose `admin` capability lets a role template skip the statement allow-list. It lies outside
 * `sys/engines/`, so an engine's own admins do not hold it unless a policy names it.
 */
export const UNLISTED_SQL_PATH = 'sys/unlisted-sql';

/** Check a template's placeholders and, unless allowed otherwise, its statements against the allow-list. */
function checkRoleSql(kind: TemplateKind, text: string, unlisted: boolean): string {
  const checked = checkTemplate(kind, text);
  if (!unlisted) checkStatements(kind, checked);
  return checked;
}

/** Input of {@link EngineService.configure} (API body). */
export interface ConfigureEngineInput {
  readonly type: 'postgres';
  /** `postgres://user:password@host:port/db`: read from a file or stdin by the CLI, never argv. */
  readonly connectionUrl: string;
  /** Duration after each lease's expiry before the database refuses the role (default 5m). */
  readonly validUntilMargin?: string;
  /** Check the connection before saving (default true). */
  readonly verify?: boolean;
}

/** Input of {@link EngineService.setRole} (API body). */
export interface SetRoleInput {
  readonly creationSql: string;
  readonly revocationSql?: string;
  readonly renewalSql?: string;
  /**
   * Skip the statement allow-list (needs `admin` on {@link UNLISTED_SQL_PATH}, checked by the route): for templates
   * that must call functions or grant roles, written by someone trusted with the engine's admin connection.
   */
  readonly allowUnlistedStatements?: boolean;
  /** Default lease length, e.g. `1h`. */
  readonly ttl: string;
  /** Longest a lease may live counting renewals, e.g. `24h`. */
  readonly maxTtl: string;
}

/** A role as shown by the API (durations in seconds). */
export type RoleView = Omit<EngineRole, 'ttlMs' | 'maxTtlMs'> & {
  readonly ttl: number;
  readonly maxTtl: number;
};

const DEFAULT_MARGIN_MS = 5 * 60_000;
const MAX_URL_CHARS = 4096;

/** Parse the admin URL without ever echoing it (it holds the admin password). */
function checkConnectionUrl(text: string): string {
  if (text.length > MAX_URL_CHARS) {
    throw hushError('CONNECTION_URL_CHARACTERS_LIMIT', { length: text.length, maxUrlChars: MAX_URL_CHARS });
  }
  let url: URL;
  try {
    url = new URL(text.trim());
  } catch {
    throw hushError('CONNECTION_URL_NOT_URL');
  }
  if (url.protocol !== 'postgres:' && url.protocol !== 'postgresql:') {
    throw hushError('CONNECTION_URL_MUST_START_POSTGRES', { protocol: url.protocol });
  }
  if (url.hostname === '') throw hushError('CONNECTION_URL_NAMES_NO_HOST');
  return text.trim();
}

/**
 * Refuse an engine host off the outbound allow-list, by name and by every address it resolves to now, so a caller
 * with `update` on an engine cannot point it at internal ports to learn which are open.
 */
async function checkEngineHost(allow: OutboundAllowList, connectionUrl: string): Promise<void> {
  const { host, port } = checkPostgresUrl(allow, connectionUrl, 'engine host');
  const addresses = await lookup(host, { all: true }).catch(() => [] as { address: string }[]);
  if (addresses.length === 0 || addresses.some((a) => !addressAllowed(allow, a.address, port)))
    throw notAllowed('engine host', host, port);
}

/** Engine configuration and role templates, stored encrypted in the record store. */
export function createEngineService(deps: {
  readonly records: SealedView;
  readonly clock: () => Date;
  /** Engine hosts must be on this list (name and every resolved address), failures detailed in its log; absent, unrestricted. */
  readonly outbound?: OutboundGuard;
}) {
  const { records, clock } = deps;
  const view = (c: EngineConfig): EngineView => ({
    name: c.name,
    type: c.type,
    target: describeTarget(c.connectionUrl),
    validUntilMargin: Math.floor(c.validUntilMarginMs / 1000),
    updatedAt: c.updatedAt,
  });
  return {
    /** Create or replace an engine; the connection is checked first unless `verify: false`. */
    async configure(name: string, input: ConfigureEngineInput): Promise<EngineView> {
      checkName(name, 'engine');
      if (input.type !== 'postgres') {
        throw hushError('ENGINE_TYPE_NOT_SUPPORTED', { type: String(input.type).slice(0, 20) });
      }
      const config: EngineConfig = {
        name,
        type: 'postgres',
        connectionUrl: checkConnectionUrl(input.connectionUrl),
        validUntilMarginMs:
          input.validUntilMargin === undefined
            ? DEFAULT_MARGIN_MS
            : parseDuration(input.validUntilMargin, 'validUntilMargin'),
        updatedAt: clock().toISOString(),
      };
      if (deps.outbound) await checkEngineHost(deps.outbound.allow, config.connectionUrl);
      if (input.verify !== false) await verifyConnection(engineTarget(config, deps.outbound));
      await records.batch([{ op: 'put', key: engineKey(name), value: config }]);
      return view(config);
    },
    /** The engine without its connection secret. */
    async get(name: string): Promise<EngineView> {
      return view(await loadEngine(records, checkName(name, 'engine')));
    },
    /** Create or replace a role template of an existing engine. */
    async setRole(engine: string, role: string, input: SetRoleInput): Promise<RoleView> {
      checkName(engine, 'engine');
      checkName(role, 'role');
      const fence = await loadEngineRow(records, engine);
      const ttlMs = parseDuration(input.ttl, 'ttl');
      const maxTtlMs = parseDuration(input.maxTtl, 'maxTtl');
      if (ttlMs > maxTtlMs) {
        throw hushError('TTL_MUST_NOT_EXCEED_MAX', { ttl: input.ttl, maxTtl: input.maxTtl });
      }
      const unlisted = input.allowUnlistedStatements === true;
      const stored: EngineRole = {
        engine,
        role,
        creationSql: checkRoleSql('creation', input.creationSql, unlisted),
        revocationSql: checkRoleSql('revocation', input.revocationSql ?? DEFAULT_REVOCATION, unlisted),
        renewalSql: checkRoleSql('renewal', input.renewalSql ?? DEFAULT_RENEWAL, unlisted),
        ...(unlisted ? { allowUnlistedStatements: true as const } : {}),
        ttlMs,
        maxTtlMs,
        updatedAt: clock().toISOString(),
      };
      // Fenced on the engine's row (rewritten as it is): a delete of the engine that read it before this write fails
      // and reads the roles again, so no role outlives its engine to come back with a new engine of the same name.
      await records.batch([
        { op: 'put', key: roleKey(engine, role), value: stored },
        { op: 'put', key: engineKey(engine), value: fence.value, expectedRevision: fence.revision },
      ]);
      return roleView(stored);
    },
    /** A role template. */
    async getRole(engine: string, role: string): Promise<RoleView> {
      return roleView(await loadRole(records, checkName(engine, 'engine'), checkName(role, 'role')));
    },
    /**
     * Delete a role template (HUSH_E_NOT_FOUND when absent). Leases issued under it keep the statements they were
     * issued with, so they still renew and revoke.
     */
    async deleteRole(engine: string, role: string): Promise<void> {
      await loadRole(records, checkName(engine, 'engine'), checkName(role, 'role'));
      await records.batch([{ op: 'delete', key: roleKey(engine, role) }]);
    },
    /** Every configured engine's name with its role names (sorted), from the stored keys (no record is opened). */
    async list(): Promise<{ name: string; roles: string[] }[]> {
      const byName = new Map<string, string[]>();
      for (const key of await records.keys('sys/engines/')) {
        // `sys/engines/<name>/config` or `sys/engines/<name>/roles/<role>`.
        const [, , name, kind, role] = key.split('/');
        if (!name) continue;
        const roles = byName.get(name) ?? [];
        if (kind === 'roles' && role) roles.push(role);
        byName.set(name, roles);
      }
      return [...byName]
        .map(([name, roles]) => ({ name, roles: roles.sort() }))
        .sort((a, b) => a.name.localeCompare(b.name));
    },
    /** Mark engine `name` as being deleted: from now on no credentials are issued from it (see deleteEngine). */
    async markDeleting(name: string): Promise<void> {
      checkName(name, 'engine');
      // Check-and-set, so a `configure` that lands meanwhile is not overwritten by the configuration read here.
      await retryCas(async () => {
        const row = await loadEngineRow(records, name);
        const marked: EngineConfig = { ...row.value, deleting: clock().toISOString() };
        await records.batch([
          { op: 'put', key: engineKey(name), value: marked, expectedRevision: row.revision },
        ]);
      });
    },
    /**
     * Delete an engine's configuration and every role template of it in one batch; returns the roles deleted.
     * Callers revoke the engine's leases first (see deleteEngine in src/leases): its connection is what revokes them.
     */
    async remove(name: string): Promise<string[]> {
      checkName(name, 'engine');
      const removed = await retryCas(async () => {
        const config = await loadEngineRow(records, name);
        // Configured again while the delete revoked its leases: not a lost race to retry, so decided after the loop.
        if (!config.value.deleting) return undefined;
        const rolesPrefix = roleKey(name, '');
        const roleKeys = await records.keys(rolesPrefix);
        // At the revision read above: a role written since (see setRole's fence) fails this batch, and we retry.
        await records.batch([
          ...roleKeys.map((key) => ({ op: 'delete' as const, key })),
          { op: 'delete', key: engineKey(name), expectedRevision: config.revision },
        ]);
        return roleKeys.map((key) => key.slice(rolesPrefix.length));
      });
      if (removed === undefined) {
        // Credentials may have been issued since the delete began; only a new delete revokes them.
        throw hushError('ENGINE_CONFIGURED_AGAIN_WHILE_BEING', { name });
      }
      return removed;
    },
  };
}

function roleView(r: EngineRole): RoleView {
  const { ttlMs, maxTtlMs, ...rest } = r;
  return { ...rest, ttl: Math.floor(ttlMs / 1000), maxTtl: Math.floor(maxTtlMs / 1000) };
}

/** The engine service. */
export type EngineService = ReturnType<typeof createEngineService>;
