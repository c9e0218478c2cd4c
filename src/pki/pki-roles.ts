import { PKI_KEY_TYPES, type PkiKeyType, type PkiRole } from '../core/certs/pki-role.js';
import { hushError } from '../core/errors/index.js';
import type { SealedView } from '../store/sealed-view/index.js';
import { pkiKeys } from './pki-records.js';

/** What a caller sends to create or replace a role; everything but the domains has a default. */
export interface RoleInput {
  readonly allowedDomains: readonly string[];
  readonly allowBareDomains?: boolean;
  readonly allowSubdomains?: boolean;
  readonly allowGlobs?: boolean;
  readonly allowWildcards?: boolean;
  readonly allowIpSans?: boolean;
  readonly keyTypes?: readonly PkiKeyType[];
  readonly maxTtlSeconds?: number;
  readonly ttlSeconds?: number;
  readonly usages?: readonly ('server' | 'client')[];
}

const ROLE_NAME = /^[a-z0-9][a-z0-9_.-]{0,63}$/;
/** A role's longest TTL may not pass a year: Hush's CA is for short-lived certificates. */
export const MAX_ROLE_TTL_SECONDS = 366 * 86_400;
const DOMAIN = /^[a-z0-9*]([a-z0-9*-]{0,62})?(\.[a-z0-9*]([a-z0-9*-]{0,62})?)*$/;

/** The role with its defaults, or a coded error naming what is wrong. */
export function roleFromInput(name: string, input: RoleInput): PkiRole {
  const bad = (reason: string) => hushError('PKI_ROLE_INVALID', { role: name.slice(0, 64), reason });
  if (!ROLE_NAME.test(name)) throw bad('a role name is 1-64 characters of a-z, 0-9, ".", "_", "-"');
  const domains = input.allowedDomains.map((d) => d.trim().toLowerCase());
  for (const d of domains)
    if (!DOMAIN.test(d) || d.length > 253) throw bad(`"${d.slice(0, 80)}" is not a domain`);
  const globs = input.allowGlobs === true;
  if (!globs && domains.some((d) => d.includes('*'))) throw bad('a domain holds "*": set allowGlobs');
  const maxTtl = input.maxTtlSeconds ?? 86_400;
  const ttl = input.ttlSeconds ?? Math.min(3_600, maxTtl);
  if (!Number.isSafeInteger(maxTtl) || maxTtl < 60 || maxTtl > MAX_ROLE_TTL_SECONDS)
    throw bad(`maxTtlSeconds must be 60..${MAX_ROLE_TTL_SECONDS}`);
  if (!Number.isSafeInteger(ttl) || ttl < 60 || ttl > maxTtl)
    throw bad('ttlSeconds must be 60..maxTtlSeconds');
  const keyTypes = [...new Set<PkiKeyType>(input.keyTypes ?? ['ec-p256'])];
  const unknown = keyTypes.find((k) => !(PKI_KEY_TYPES as readonly string[]).includes(k));
  if (unknown !== undefined || keyTypes.length === 0) throw bad(`key types are ${PKI_KEY_TYPES.join(', ')}`);
  return {
    name,
    allowedDomains: domains,
    allowBareDomains: input.allowBareDomains === true,
    allowSubdomains: input.allowSubdomains !== false,
    allowGlobs: globs,
    allowWildcards: input.allowWildcards === true,
    allowIpSans: input.allowIpSans === true,
    keyTypes,
    maxTtlSeconds: maxTtl,
    ttlSeconds: ttl,
    usages: [...new Set<'server' | 'client'>(input.usages ?? ['server'])],
  };
}

/** Role use cases over the sealed records. */
export function createPkiRoles(records: SealedView) {
  async function get(name: string): Promise<PkiRole> {
    const row = ROLE_NAME.test(name) ? await records.get<PkiRole>(pkiKeys.role(name)) : undefined;
    if (!row) throw hushError('PKI_ROLE_NOT_FOUND', { role: name.slice(0, 64) });
    return row.value;
  }
  return {
    get,
    /** Create or replace a role. */
    async put(name: string, input: RoleInput): Promise<PkiRole> {
      const role = roleFromInput(name, input);
      await records.batch([{ op: 'put', key: pkiKeys.role(name), value: role }]);
      return role;
    },
    async list(): Promise<string[]> {
      return (await records.keys(pkiKeys.ROLES)).map((k) => k.slice(pkiKeys.ROLES.length)).sort();
    },
    async remove(name: string): Promise<void> {
      await get(name);
      await records.batch([{ op: 'delete', key: pkiKeys.role(name) }]);
    },
  };
}

export type PkiRoles = ReturnType<typeof createPkiRoles>;
