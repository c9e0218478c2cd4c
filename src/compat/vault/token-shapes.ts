import type { CreatedToken, TokenView } from '../../identity/index.js';

const unixSeconds = (iso: string): number => Math.floor(Date.parse(iso) / 1000);

/** Seconds between two ISO times (0 when `to` is null: a token without expiry). */
function spanSeconds(from: string, to: string | null): number {
  return to === null ? 0 : Math.max(0, Math.floor((Date.parse(to) - Date.parse(from)) / 1000));
}

/**
 * A Hush token as Vault's `auth/token/lookup-self` shows one. `id` (the token itself) is left empty: Hush never
 * sends a token back to anyone, its holder included; `entity_id` is Hush's identity.
 */
export function vaultTokenData(view: TokenView) {
  return {
    accessor: view.accessor,
    creation_time: unixSeconds(view.createdAt),
    creation_ttl: spanSeconds(view.createdAt, view.expiresAt),
    display_name: view.displayName,
    entity_id: view.identity,
    expire_time: view.expiresAt,
    explicit_max_ttl: spanSeconds(view.createdAt, view.maxExpiresAt),
    id: '',
    issue_time: view.createdAt,
    meta: Object.keys(view.metadata).length === 0 ? null : view.metadata,
    num_uses: view.usesRemaining ?? 0,
    orphan: view.parentAccessor === null,
    path: 'auth/token/create',
    policies: view.policies,
    renewable: view.renewable,
    ttl: view.ttlSeconds ?? 0,
    type: 'service',
  };
}

/** Vault's `auth` block of a login or token creation: the one reply that carries a new token. */
export function vaultAuthBlock(view: TokenView, clientToken: string | null) {
  return {
    client_token: clientToken ?? '',
    accessor: view.accessor,
    policies: view.policies,
    token_policies: view.policies,
    metadata: Object.keys(view.metadata).length === 0 ? null : view.metadata,
    lease_duration: view.ttlSeconds ?? 0,
    renewable: view.renewable,
    entity_id: view.identity,
    token_type: 'service',
    orphan: view.parentAccessor === null,
    num_uses: view.usesRemaining ?? 0,
  };
}

/** The `auth` block of a freshly created token. */
export function vaultCreatedAuth(created: CreatedToken) {
  return vaultAuthBlock(created.view, created.token);
}
