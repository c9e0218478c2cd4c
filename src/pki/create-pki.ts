import { pkiConfigSchema } from '../core/certs/pki-config.js';
import type { StorageBackend } from '../storage/backend.js';
import type { Barrier } from '../store/barrier.js';
import { type CaView, createPkiCa, type PkiCa } from './pki-ca.js';
import { createPkiIssuer, type IssuedCert, type PkiIssuer } from './pki-issue.js';
import { createPkiRecords } from './pki-records.js';
import { createPkiRevocation, type PkiRevocation } from './pki-revoke.js';
import { createPkiRoles, type PkiRoles } from './pki-roles.js';

/** Hush's certificate authority: the CA itself, roles, issuing and signing, revocation and the CRL. */
export interface Pki {
  readonly ca: PkiCa;
  readonly roles: PkiRoles;
  readonly issuer: PkiIssuer;
  readonly revocation: PkiRevocation;
}

/**
 * Compose the CA over the store's storage and barrier (records sealed under the `@pki` keyring).
 *
 * @example
 * const pki = createPki({ readBackend: store.readBackend, barrier: store.barrier });
 * await pki.ca.init({ crlUrls: ['https://hush.internal:8200/v1/pki/crl'] });
 */
export function createPki(deps: {
  readonly readBackend: Pick<StorageBackend, 'get' | 'batch' | 'list'>;
  readonly barrier: Pick<Barrier, 'keyring' | 'onClose'>;
  readonly clock?: () => Date;
  /** Most issued certificates kept on record (the server's `pki.maxIssued`; default 100,000). */
  readonly maxIssued?: number;
  readonly onIssued?: (cert: IssuedCert, role: string) => Promise<void>;
  /** Called with the new CA's certificates (the server trusts its root when judging inventory chains). */
  readonly onCaCreated?: (view: CaView) => Promise<void>;
}): Pki {
  const records = createPkiRecords(deps.readBackend, deps.barrier);
  const now = deps.clock ?? (() => new Date());
  const ca = createPkiCa({ records, now, ...(deps.onCaCreated ? { onCreated: deps.onCaCreated } : {}) });
  const roles = createPkiRoles(records);
  return {
    ca,
    roles,
    issuer: createPkiIssuer({
      records,
      ca,
      roles,
      now,
      maxIssued: deps.maxIssued ?? pkiConfigSchema.parse({}).maxIssued,
      ...(deps.onIssued ? { onIssued: deps.onIssued } : {}),
    }),
    revocation: createPkiRevocation({ records, ca, now }),
  };
}
