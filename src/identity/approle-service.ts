import { HushError } from '../core/errors/hush-error.js';
import { constantTimeEqual } from '../core/token/constant-time.js';
import { generateRoleId, generateSecretId } from '../core/token/token-ids.js';
import { ipAllowed, parseCidrs } from './cidr.js';
import type { LoginGuard } from './login-guard.js';
import { assertRoleName } from './names.js';
import { type RecordStore, retryCas } from './record-store.js';
import type { CreatedToken, TokenService } from './token-service.js';

/** An AppRole role as configured by an operator. Durations in ms; 0 means "no limit". */
export interface AppRoleConfig {
  readonly policies: readonly string[];
  readonly secretIdTtlMs: number;
  readonly secretIdNumUses: number;
  readonly tokenTtlMs: number;
  readonly tokenMaxTtlMs: number;
  readonly tokenNumUses: number;
  /** Where logins (and so secret ids) may come from; empty = anywhere. */
  readonly cidrs: readonly string[];
}

/** The stored role: config plus its role id (public, like a user name). */
export interface AppRole extends AppRoleConfig {
  readonly name: string;
  readonly roleId: string;
}

interface SecretIdEntry {
  readonly createdAt: number;
  readonly expiresAt: number | null;
  readonly usesRemaining: number | null;
}

/** A new secret id, returned once (storage keeps only its HMAC). */
export interface IssuedSecretId {
  readonly secretId: string;
  readonly expiresAt: string | null;
  readonly usesRemaining: number | null;
}

const ROLE_PREFIX = 'auth/approle/role/';
const roleKey = (name: string) => `${ROLE_PREFIX}${name}`;
const roleIdKey = (lookup: string) => `auth/approle/role-id/${lookup}`;
const secretIdKey = (name: string, lookup: string) => `auth/approle/secret-id/${name}/${lookup}`;

const BAD_CREDENTIALS = 'invalid role id or secret id; check both values, or generate a new secret id';

/**
 * AppRole machine login: a role id (public) and a secret id (secret, HMAC-stored, with TTL, use count and the role's
 * CIDR binding) are exchanged for a token carrying the role's policies.
 */
export function createAppRoleService(deps: {
  readonly records: RecordStore;
  readonly tokens: Pick<TokenService, 'create'>;
  readonly guard: LoginGuard;
  readonly clock: () => Date;
}) {
  const { records } = deps;
  const now = () => deps.clock().getTime();

  async function role(name: string): Promise<AppRole> {
    const found = await records.get<AppRole>(roleKey(assertRoleName(name, 'AppRole')));
    if (!found) {
      throw new HushError(
        'HUSH_E_NOT_FOUND',
        `no AppRole role named "${name}"; create it with POST /v1/auth/approle/role/${name}`,
      );
    }
    return found.value;
  }

  async function verify(roleId: string, secretId: string, sourceIp: string): Promise<AppRole> {
    const bad = () => new HushError('HUSH_E_UNAUTHENTICATED', BAD_CREDENTIALS);
    const index = await records.get<{ name: string; roleId: string }>(
      roleIdKey(await records.lookupId(roleId)),
    );
    if (!index || !constantTimeEqual(index.value.roleId, roleId)) throw bad();
    const r = await role(index.value.name).catch(() => {
      throw bad();
    });
    const key = secretIdKey(r.name, await records.lookupId(`${r.name}\u0000${secretId}`));
    await retryCas(async () => {
      const entry = await records.get<SecretIdEntry>(key);
      if (!entry) throw bad();
      const t = now();
      if (entry.value.expiresAt !== null && t >= entry.value.expiresAt) {
        await records.batch([{ op: 'delete', key, expectedRevision: entry.revision }]);
        throw new HushError(
          'HUSH_E_UNAUTHENTICATED',
          `the secret id expired at ${new Date(entry.value.expiresAt).toISOString()}; generate a new one`,
        );
      }
      if (!ipAllowed(r.cidrs, sourceIp)) {
        throw new HushError(
          'HUSH_E_UNAUTHENTICATED',
          `logins for role "${r.name}" are not allowed from ${sourceIp} (not in its CIDR list)`,
        );
      }
      const left = entry.value.usesRemaining;
      if (left === null) return;
      // The last use deletes the secret id; check-and-set makes two concurrent logins unable to share one use.
      await records.batch([
        left <= 1
          ? { op: 'delete', key, expectedRevision: entry.revision }
          : {
              op: 'put',
              key,
              value: { ...entry.value, usesRemaining: left - 1 },
              expectedRevision: entry.revision,
            },
      ]);
    });
    return r;
  }

  return {
    /** Create or replace a role (its role id is kept across updates). */
    async writeRole(name: string, config: AppRoleConfig): Promise<AppRole> {
      assertRoleName(name, 'AppRole');
      const cidrs = parseCidrs(config.cidrs, 'cidrs');
      return retryCas(async () => {
        const existing = await records.get<AppRole>(roleKey(name));
        const roleId = existing?.value.roleId ?? generateRoleId();
        const next: AppRole = { ...config, cidrs, name, roleId };
        await records.batch([
          { op: 'put', key: roleKey(name), value: next, expectedRevision: existing?.revision ?? 0 },
          { op: 'put', key: roleIdKey(await records.lookupId(roleId)), value: { name, roleId } },
        ]);
        return next;
      });
    },

    /** A role's configuration and role id. */
    readRole: role,

    /** Every role (for access review). */
    async listRoles(): Promise<AppRole[]> {
      const out: AppRole[] = [];
      for (const key of await records.keys(ROLE_PREFIX)) {
        const found = await records.get<AppRole>(key);
        if (found) out.push(found.value);
      }
      return out;
    },

    /** Issue a secret id for a role; the text is returned once and only its HMAC is stored. */
    async generateSecretId(name: string): Promise<IssuedSecretId> {
      const r = await role(name);
      const secretId = generateSecretId();
      const t = now();
      const entry: SecretIdEntry = {
        createdAt: t,
        expiresAt: r.secretIdTtlMs > 0 ? t + r.secretIdTtlMs : null,
        usesRemaining: r.secretIdNumUses > 0 ? r.secretIdNumUses : null,
      };
      // The role name is mixed in so that a secret id is only ever valid for the role it was issued to.
      const key = secretIdKey(r.name, await records.lookupId(`${r.name}\u0000${secretId}`));
      await records.batch([{ op: 'put', key, value: entry, expectedRevision: 0 }]);
      return {
        secretId,
        expiresAt: entry.expiresAt === null ? null : new Date(entry.expiresAt).toISOString(),
        usesRemaining: entry.usesRemaining,
      };
    },

    /** Exchange role id + secret id for a token (rate-limited per role id and source address). */
    async login(roleId: string, secretId: string, sourceIp: string): Promise<CreatedToken> {
      const subject = `approle:${await records.lookupId(roleId)}`;
      return deps.guard.attempt(subject, sourceIp, async () => {
        const r = await verify(roleId, secretId, sourceIp);
        return deps.tokens.create({
          policies: r.policies,
          ...(r.tokenTtlMs > 0 ? { ttlMs: r.tokenTtlMs } : {}),
          ...(r.tokenMaxTtlMs > 0 ? { maxTtlMs: r.tokenMaxTtlMs } : {}),
          ...(r.tokenNumUses > 0 ? { numUses: r.tokenNumUses } : {}),
          identity: `approle:${r.name}`,
          displayName: `approle-${r.name}`,
          metadata: { role: r.name, sourceIp },
        });
      });
    },
  };
}

/** The AppRole service API. */
export type AppRoleService = ReturnType<typeof createAppRoleService>;
