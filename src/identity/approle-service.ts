import { hushError } from '../core/errors/index.js';
import { constantTimeEqual } from '../core/token/constant-time.js';
import { generateRoleId } from '../core/token/token-ids.js';
import { retryCas, type SealedView } from '../store/sealed-view/index.js';
import { createSecretIds, type IssuedSecretId, type SecretIdView } from './approle-secret-ids.js';
import { ipAllowed, parseCidrs } from './cidr.js';
import type { LoginGuard } from './login-guard.js';
import { assertRoleName } from './names.js';
import type { CreatedToken, TokenService } from './token-service.js';

export type { IssuedSecretId, SecretIdView } from './approle-secret-ids.js';

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

const ROLE_PREFIX = 'auth/approle/role/';
const roleKey = (name: string) => `${ROLE_PREFIX}${name}`;
const roleIdKey = (lookup: string) => `auth/approle/role-id/${lookup}`;

/**
 * AppRole machine login: a role id (public) and a secret id (secret, HMAC-stored, with TTL, use count and the role's
 * CIDR binding) are exchanged for a token carrying the role's policies.
 */
export function createAppRoleService(deps: {
  readonly records: SealedView;
  readonly tokens: Pick<TokenService, 'create'>;
  readonly guard: LoginGuard;
  readonly clock: () => Date;
}) {
  const { records } = deps;
  const now = () => deps.clock().getTime();
  const secretIds = createSecretIds(records, now);

  async function role(name: string): Promise<AppRole> {
    const found = await records.get<AppRole>(roleKey(assertRoleName(name, 'AppRole')));
    if (!found) {
      throw hushError('NO_APP_ROLE_ROLE_NAMED', { name });
    }
    return found.value;
  }

  async function verify(roleId: string, secretId: string, sourceIp: string): Promise<AppRole> {
    const bad = () => hushError('APPROLE_BAD_CREDENTIALS');
    const index = await records.get<{ name: string; roleId: string }>(
      roleIdKey(await records.lookupId(roleId)),
    );
    if (!index || !constantTimeEqual(index.value.roleId, roleId)) throw bad();
    const r = await role(index.value.name).catch(() => {
      throw bad();
    });
    await secretIds.use(r.name, secretId, bad, () => {
      if (!ipAllowed(r.cidrs, sourceIp)) {
        throw hushError('LOGINS_ROLE_NOT_ALLOWED_NOT', { name: r.name, sourceIp });
      }
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
      return secretIds.issue(await role(name));
    },

    /** A role's live secret ids, by accessor (never the secret ids). */
    async listSecretIds(name: string): Promise<SecretIdView[]> {
      return secretIds.list((await role(name)).name);
    },

    /** Revoke a role's secret id by accessor (logins with it fail at once and are told it was revoked). */
    async revokeSecretId(name: string, accessor: string): Promise<void> {
      await secretIds.revoke((await role(name)).name, accessor);
    },

    /** Destroy a role's secret id by accessor (its row is deleted). */
    async destroySecretId(name: string, accessor: string): Promise<void> {
      await secretIds.destroy((await role(name)).name, accessor);
    },

    /**
     * Revoke every secret id of the role behind an AppRole identity (`approle:<name>`), for incident response;
     * returns their accessors (none for another kind of identity or a role that does not exist).
     */
    async revokeSecretIdsOf(identity: string): Promise<string[]> {
      const name = identity.startsWith('approle:') ? identity.slice('approle:'.length) : undefined;
      if (name === undefined || !(await records.get<AppRole>(roleKey(name)))) return [];
      return secretIds.revokeAll(name);
    },

    /**
     * Delete a role, its role id and every secret id it issued, in one batch. Tokens already issued keep working
     * until they expire: revoke them with `hush incident revoke --identity approle:<name>`.
     */
    async deleteRole(name: string): Promise<void> {
      const r = await role(name);
      await records.batch([
        ...(await secretIds.destroyAllOps(r.name)),
        { op: 'delete', key: roleIdKey(await records.lookupId(r.roleId)) },
        { op: 'delete', key: roleKey(r.name) },
      ]);
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
