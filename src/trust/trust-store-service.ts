import { X509Certificate } from 'node:crypto';
import { pemBlocks, toPem } from '../core/certs/pem.js';
import { hushError } from '../core/errors/index.js';
import { crlSignedBy, parseCrl, type TrustBundle } from '../core/trust/index.js';
import { retryCas, type SealedView } from '../store/sealed-view/index.js';

/** What a certificate is to a trust store: a trust anchor, a CA between, or a (third-party) signer to watch. */
export type TrustRole = 'root' | 'intermediate' | 'signer';
export const TRUST_ROLES: readonly TrustRole[] = ['root', 'intermediate', 'signer'];

/** One certificate of a store (public material only). */
export interface TrustedCert {
  readonly role: TrustRole;
  readonly pem: string;
  readonly subject: string;
  readonly fingerprint: string;
  readonly notAfter: string;
  readonly addedAt: string;
}

/** One CRL of a store, kept per issuer (a newer one replaces the older). */
export interface TrustedCrl {
  readonly pem: string;
  readonly issuer: string;
  readonly thisUpdate: string;
  readonly nextUpdate?: string;
  readonly revokedCount: number;
  readonly addedAt: string;
}

/** A named trust store as stored and shown. */
export interface TrustStoreView {
  readonly name: string;
  readonly certs: readonly TrustedCert[];
  readonly crls: readonly TrustedCrl[];
}

const NAME = /^[a-z0-9][a-z0-9_.-]{0,63}$/;
/** Storage prefix of trust stores (the store name follows). */
export const TRUST_PREFIX = 'trust/stores/';

/** Throw HUSH_E_INVALID_INPUT unless `name` is a valid trust store name. */
export function checkTrustStoreName(name: string): string {
  if (!NAME.test(name) || name.includes('..'))
    throw hushError('TRUST_STORE_NAME_INVALID', { name: name.slice(0, 40) });
  return name;
}

const oneLine = (subject: string) => subject.replace(/\n/g, ', ');

/** The parsed bundle of a stored view (what {@link checkSigner} takes). */
export function bundleOf(view: TrustStoreView): TrustBundle {
  const of = (role: TrustRole) =>
    view.certs.filter((c) => c.role === role).map((c) => new X509Certificate(c.pem));
  return {
    roots: of('root'),
    intermediates: of('intermediate'),
    crls: view.crls.map((c) => parseCrl(pemBlocks(c.pem)[0]?.der ?? Buffer.alloc(0), `CRL of ${c.issuer}`)),
  };
}

/**
 * Named trust stores of signer certificates: roots and intermediates (anchors for chains), third-party signer
 * certificates (watched by the scheduled re-check), and CRLs their issuers signed. Everything here is public
 * material, still sealed like every engine record so storage learns nothing of who is trusted.
 */
export function createTrustStoreService(deps: { readonly records: SealedView; readonly clock: () => Date }) {
  const { records } = deps;
  const key = (name: string) => `${TRUST_PREFIX}${checkTrustStoreName(name)}`;
  const empty = (name: string): TrustStoreView => ({ name, certs: [], crls: [] });

  async function change(name: string, fn: (view: TrustStoreView) => TrustStoreView): Promise<TrustStoreView> {
    return retryCas(async () => {
      const row = await records.get<TrustStoreView>(key(name));
      const next = fn(row?.value ?? empty(name));
      await records.batch([{ op: 'put', key: key(name), value: next, expectedRevision: row?.revision ?? 0 }]);
      return next;
    });
  }

  return {
    /** Every store name, sorted. */
    async list(): Promise<string[]> {
      return (await records.keys(TRUST_PREFIX)).map((k) => k.slice(TRUST_PREFIX.length)).sort();
    },
    async get(name: string): Promise<TrustStoreView> {
      const row = await records.get<TrustStoreView>(key(name));
      if (!row) throw hushError('NO_TRUST_STORE', { name });
      return row.value;
    },
    /** Add the certificates of a PEM text under `role` (roots and intermediates must be CAs); the store is made on first add. */
    async addCerts(name: string, pem: string, role: TrustRole, source = 'the PEM'): Promise<TrustStoreView> {
      const certs = pemBlocks(pem)
        .filter((b) => b.label === 'CERTIFICATE')
        .map((b) => {
          try {
            return new X509Certificate(b.der);
          } catch {
            throw hushError('TRUST_CERT_INVALID', { source });
          }
        });
      if (certs.length === 0) throw hushError('TRUST_CERT_INVALID', { source });
      for (const c of certs) {
        if (role !== 'signer' && !c.ca)
          throw hushError('TRUST_ROLE_NOT_CA', { subject: oneLine(c.subject), role });
      }
      const now = deps.clock().toISOString();
      return change(name, (view) => {
        const added = certs.map((c) => ({
          role,
          pem: toPem('CERTIFICATE', c.raw),
          subject: oneLine(c.subject),
          fingerprint: c.fingerprint256,
          notAfter: new Date(Date.parse(c.validTo)).toISOString(),
          addedAt: now,
        }));
        const fps = new Set(added.map((c) => c.fingerprint));
        return { ...view, certs: [...view.certs.filter((c) => !fps.has(c.fingerprint)), ...added] };
      });
    },
    /** Add a CRL (PEM or DER) signed by a CA certificate of the store; it replaces that issuer's older CRL. */
    async addCrl(name: string, bytes: Buffer, source = 'the CRL'): Promise<TrustStoreView> {
      const pem = pemBlocks(bytes.toString('latin1')).find((b) => b.label === 'X509 CRL');
      const crl = parseCrl(pem?.der ?? bytes, source);
      const now = deps.clock().toISOString();
      return change(name, (view) => {
        const issuer = view.certs
          .filter((c) => c.role !== 'signer')
          .find((c) => crlSignedBy(crl, new X509Certificate(c.pem)));
        if (!issuer) throw hushError('CRL_NO_ISSUER', { store: name, source });
        const entry: TrustedCrl = {
          pem: toPem('X509 CRL', crl.der),
          issuer: issuer.fingerprint,
          thisUpdate: crl.thisUpdate,
          ...(crl.nextUpdate ? { nextUpdate: crl.nextUpdate } : {}),
          revokedCount: crl.revoked.length,
          addedAt: now,
        };
        const older = view.crls.find((c) => c.issuer === issuer.fingerprint);
        if (older && older.thisUpdate > entry.thisUpdate) return view;
        return { ...view, crls: [...view.crls.filter((c) => c.issuer !== issuer.fingerprint), entry] };
      });
    },
  };
}

/** The trust store service. */
export type TrustStoreService = ReturnType<typeof createTrustStoreService>;
