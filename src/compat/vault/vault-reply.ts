/**
 * Vault's response envelope: every reply with a body carries these fields, with `data` for secrets engines and
 * `auth` for logins; leases are not issued through this API, so `lease_id` is empty and `lease_duration` 0 except
 * where a token's TTL is the lease.
 */
export interface VaultEnvelope {
  readonly request_id: string;
  readonly lease_id: string;
  readonly renewable: boolean;
  readonly lease_duration: number;
  readonly data: unknown;
  readonly wrap_info: null;
  readonly warnings: readonly string[] | null;
  readonly auth: unknown;
}

/** `{ data }` in Vault's envelope. */
export function vaultData(
  requestId: string,
  data: unknown,
  extra: Partial<VaultEnvelope> = {},
): VaultEnvelope {
  return {
    request_id: requestId,
    lease_id: '',
    renewable: false,
    lease_duration: 0,
    data,
    wrap_info: null,
    warnings: null,
    auth: null,
    ...extra,
  };
}

/** `{ auth }` in Vault's envelope (logins, token creation and renewal). */
export function vaultAuth(
  requestId: string,
  auth: { readonly lease_duration: number; readonly renewable: boolean },
) {
  return vaultData(requestId, null, { auth, lease_duration: 0, renewable: false });
}
