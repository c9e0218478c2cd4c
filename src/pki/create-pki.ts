import { pkiConfigSchema } from '../core/certs/pki-config.js';
import type { HsmSigner } from '../ports/hsm-signer-port.js';
import { openSealedView, type ViewBackend, type ViewBarrier } from '../store/sealed-view/index.js';
import { type CaView, createPkiCa, type PkiCa } from './pki-ca.js';
import { createPkiIssuer, type IssuedCert, type PkiIssuer } from './pki-issue.js';
import { PKI_VIEW } from './pki-records.js';
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
  readonly readBackend: ViewBackend;
  readonly barrier: ViewBarrier;
  readonly clock?: () => Date;
  /** Most issued certificates kept on record (the server's `pki.maxIssued`; default 100,000). */
  readonly maxIssued?: number;
  readonly onIssued?: (cert: IssuedCert, role: string) => Promise<void>;
  /** Called with the new CA's certificates (the server trusts its root when judging inventory chains). */
  readonly onCaCreated?: (view: CaView) => Promise<void>;
  /** CA keys held in an HSM (`keys.hsmTokens`). */
  readonly hsm?: HsmSigner;
}): Pki {
  const records = openSealedView(deps.readBackend, deps.barrier, PKI_VIEW);
  const now = deps.clock ?? (() => new Date());
  const ca = createPkiCa({
    records,
    now,
    ...(deps.onCaCreated ? { onCreated: deps.onCaCreated } : {}),
    ...(deps.hsm ? { hsm: deps.hsm } : {}),
  });
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
