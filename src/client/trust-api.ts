import type { SignerFinding, TrustRole, TrustStoreView } from '../trust/index.js';
import type { Transport } from './http-transport.js';

export type { SignerFinding, TrustRole, TrustStoreView };

const store = (name: string) => encodeURIComponent(name);

/** `trust`: trust stores of signer certificates (roots, intermediates, third-party signers) and their CRLs. */
export function trustApi(call: Transport) {
  return {
    list: async () => call<{ stores: string[] }>({ method: 'GET', path: '/v1/trust', fresh: true }),
    /** Certificates and CRLs of a store, as PEM (public material). */
    get: async (name: string) =>
      call<TrustStoreView>({ method: 'GET', path: `/v1/trust/${store(name)}`, fresh: true }),
    /** Add the certificates of a PEM text under `role` (the store is made on first add). */
    addCerts: async (name: string, pem: string, role: TrustRole) =>
      call<TrustStoreView>({ method: 'POST', path: `/v1/trust/${store(name)}/certs`, body: { pem, role } }),
    /** Add a CRL (PEM text, or DER as base64) signed by a CA of the store. */
    addCrl: async (name: string, crl: string) =>
      call<TrustStoreView>({ method: 'POST', path: `/v1/trust/${store(name)}/crls`, body: { crl } }),
    /** Re-check the store's signer certificates now. */
    check: async (name: string, warnDays?: number) =>
      call<{ signers: SignerFinding[] }>({
        method: 'POST',
        path: `/v1/trust/${store(name)}/check`,
        query: { warnDays },
        body: {},
      }),
  };
}
