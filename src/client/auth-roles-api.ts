import type { Transport } from './http-transport.js';
import { roleName } from './path-params.js';

/** An AppRole role as written: durations like `30m`, `24h`, `7d`; 0 / omitted use limits mean none. */
export interface AppRoleWrite {
  readonly policies: readonly string[];
  /** How long a new secret id lives (default 30 d; see docs/identity.md). */
  readonly secretIdTtl?: string;
  readonly secretIdNumUses?: number;
  readonly tokenTtl?: string;
  readonly tokenMaxTtl?: string;
  readonly tokenNumUses?: number;
  readonly cidrs?: readonly string[];
}

/** An AppRole role as read back (never its role id or secret ids). */
export interface AppRoleView {
  readonly name: string;
  readonly policies: string[];
  readonly secretIdTtlSeconds: number;
  readonly secretIdNumUses: number;
  readonly tokenTtlSeconds: number;
  readonly tokenMaxTtlSeconds: number;
  readonly tokenNumUses: number;
  readonly cidrs: string[];
}

/** A secret id as listed: its accessor and limits, never the secret id. */
export interface SecretIdInfo {
  readonly accessor: string;
  readonly createdAt: string;
  readonly expiresAt: string | null;
  readonly usesRemaining: number | null;
}

/** A new secret id: the text is in this reply only. */
export interface NewSecretId {
  readonly secretId: string;
  readonly accessor: string;
  readonly expiresAt: string | null;
  readonly usesRemaining: number | null;
}

/** `approle`: manage AppRole roles and their secret ids (role ids and secret ids are shown only where named). */
export function approleApi(call: Transport) {
  const base = (name: string) => `/v1/auth/approle/role/${roleName(name, 'AppRole')}`;
  return {
    /** Create or replace role `name` (its role id is kept across updates). */
    writeRole: async (name: string, role: AppRoleWrite) =>
      call<AppRoleView>({ method: 'POST', path: base(name), body: role }),
    readRole: async (name: string) => call<AppRoleView>({ method: 'GET', path: base(name) }),
    listRoles: async () => call<{ roles: string[] }>({ method: 'GET', path: '/v1/auth/approle/role' }),
    /** Delete a role, its role id and every secret id it issued. */
    deleteRole: async (name: string) => {
      await call<undefined>({ method: 'DELETE', path: base(name) });
    },
    /** The role id of `name` (public, like a user name). */
    roleId: async (name: string) =>
      call<{ roleId: string }>({ method: 'GET', path: `${base(name)}/role-id` }),
    /** Issue a secret id; the text is in the reply only this once. */
    createSecretId: async (name: string) =>
      call<NewSecretId>({ method: 'POST', path: `${base(name)}/secret-id` }),
    /** The role's live secret ids, by accessor. */
    listSecretIds: async (name: string) =>
      call<{ secretIds: SecretIdInfo[] }>({ method: 'GET', path: `${base(name)}/secret-id` }),
    /** Revoke a secret id by accessor (later logins with it are refused as revoked). */
    revokeSecretId: async (name: string, accessor: string) => {
      await call<undefined>({
        method: 'POST',
        path: `${base(name)}/secret-id-accessor/revoke`,
        body: { accessor },
      });
    },
    /** Destroy a secret id by accessor (its row is deleted). */
    destroySecretId: async (name: string, accessor: string) => {
      await call<undefined>({
        method: 'POST',
        path: `${base(name)}/secret-id-accessor/destroy`,
        body: { accessor },
      });
    },
  };
}

/** A JWT role as read back (inline key material is summarised by `keys`, never returned). */
export interface JwtRoleView {
  readonly name: string;
  readonly boundIssuer: string;
  readonly boundAudiences: string[];
  readonly boundClaims: Record<string, string | string[]>;
  readonly userClaim: string;
  readonly policies: string[];
  readonly tokenTtlSeconds: number;
  readonly tokenMaxTtlSeconds: number;
  readonly clockSkewSeconds: number;
  readonly keys: 'jwks' | 'publicKeys' | 'jwksUrl' | 'oidcDiscoveryUrl';
  readonly jwksUrl?: string;
  readonly oidcDiscoveryUrl?: string;
}

/** `jwt`: manage JWT login roles (the fields of a role are in docs/identity.md). */
export function jwtApi(call: Transport) {
  const base = (name: string) => `/v1/auth/jwt/role/${roleName(name, 'JWT')}`;
  return {
    /** Create or replace role `name` from its JSON fields (the server validates them). */
    writeRole: async (name: string, role: Readonly<Record<string, unknown>>) =>
      call<JwtRoleView>({ method: 'POST', path: base(name), body: role }),
    readRole: async (name: string) => call<JwtRoleView>({ method: 'GET', path: base(name) }),
    listRoles: async () => call<{ roles: string[] }>({ method: 'GET', path: '/v1/auth/jwt/role' }),
    /** Delete a role (later logins with it fail; issued tokens live until they expire). */
    deleteRole: async (name: string) => {
      await call<undefined>({ method: 'DELETE', path: base(name) });
    },
  };
}
