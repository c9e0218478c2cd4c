import type { MessageTable } from '../message-template.js';

/** Messages raised under src/leases/ (ids are unique across every domain file). */
export const leasesMessages = {
  ENGINE_KEPT_LEASES_COULD_NOT: {
    code: 'HUSH_E_UPSTREAM',
    template:
      'engine "{name}" was kept: {length} of its leases could not be revoked ({error}); they are queued and retried, so delete the engine again once `hush lease list --prefix creds/{name}/` shows none',
  },
  LEASE_REVOKED_WHILE_CREDENTIALS_BEING: {
    code: 'HUSH_E_CAS_CONFLICT',
    template:
      'the lease was revoked while its credentials were being created (its token or engine {engineName} was revoked or deleted meanwhile); no credentials were issued',
  },
  SECRETS_ENGINE_BEING_DELETED: {
    code: 'HUSH_E_NOT_FOUND',
    template: 'secrets engine "{engine}" is being deleted',
    hint: 'configure it again (hush creds config) to issue credentials from it',
  },
  TOKEN_REVOKED_WHILE_CREDENTIALS_BEING: {
    code: 'HUSH_E_UNAUTHENTICATED',
    template: 'the token was revoked while credentials were being issued for it; no credentials were issued',
  },
  LEASE_ID_MALFORMED_EXPECTED_CREDS: {
    code: 'HUSH_E_INVALID_INPUT',
    template:
      'lease id "{text}" is malformed; expected creds/ENGINE/ROLE/<32 hex digits> as printed by hush creds read',
  },
  LEASE_PREFIX_MALFORMED_EXPECTED_CREDS: {
    code: 'HUSH_E_INVALID_INPUT',
    template:
      'lease prefix "{text}" is malformed; expected creds, creds/ENGINE, creds/ENGINE/ROLE or a longer lease-id prefix',
  },
  LEASE_REVOKE_NEEDS_OWNER: {
    code: 'HUSH_E_USAGE',
    template: 'name an identity or a token accessor whose leases to revoke',
  },
  NO_LEASE_HUSH_LEASE_LIST: {
    code: 'HUSH_E_NOT_FOUND',
    template: 'no lease {leaseId}; hush lease list shows the live ones',
  },
  LEASE_BEING_REVOKED: {
    code: 'HUSH_E_INVALID_INPUT',
    template: 'lease {leaseId} is being revoked',
    hint: 'read new credentials instead',
  },
  LEASE_LEASE_ID_EXPIRED_EXPIRE: {
    code: 'HUSH_E_NOT_FOUND',
    template: 'lease {leaseId} expired at {expireAt}',
    hint: 'read new credentials instead',
  },
  ROLE_NO_LONGER_EXISTS: {
    code: 'HUSH_E_INVALID_INPUT',
    template: 'role {engine}/{role} no longer exists',
    hint: 'pass --increment',
  },
  LEASE_REVOKED_WHILE_RENEWING: {
    code: 'HUSH_E_NOT_FOUND',
    template: 'lease {leaseId} was revoked while renewing',
  },
  NO_LEASE_MAY_REVOKED_ALREADY: {
    code: 'HUSH_E_NOT_FOUND',
    template: 'no lease {leaseId}; it may have been revoked already (hush lease list)',
  },
} as const satisfies MessageTable;
