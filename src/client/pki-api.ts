import type { PkiKeyType, PkiRole } from '../core/certs/pki-role.js';
import type { CaInitInput, CaView, IssuedCert, IssueInput, RoleInput } from '../pki/index.js';
import type { Transport } from './http-transport.js';

const seg = (name: string) => encodeURIComponent(name);

/** `pki`: Hush's certificate authority; CA keys never leave the server. */
export function pkiApi(call: Transport) {
  return {
    /** Set up the root and intermediate (admin on pki/ca); refused when a CA exists. */
    initCa: async (input: CaInitInput = {}) =>
      call<CaView>({ method: 'POST', path: '/v1/pki/ca', body: input }),
    /** The CA certificates and CRL URLs (no token needed). */
    showCa: async () => call<CaView>({ method: 'GET', path: '/v1/pki/ca', fresh: true }),
    /** Create or replace a role. */
    putRole: async (name: string, input: RoleInput) =>
      call<{ role: PkiRole }>({ method: 'PUT', path: `/v1/pki/roles/${seg(name)}`, body: input }),
    readRole: async (name: string) =>
      call<{ role: PkiRole }>({ method: 'GET', path: `/v1/pki/roles/${seg(name)}`, fresh: true }),
    listRoles: async () => call<{ roles: string[] }>({ method: 'GET', path: '/v1/pki/roles', fresh: true }),
    deleteRole: async (name: string) =>
      call<{ name: string; deleted: true }>({ method: 'DELETE', path: `/v1/pki/roles/${seg(name)}` }),
    /** A new key and certificate under `role` (update on pki/issue/ROLE); the key is returned once. */
    issue: async (role: string, input: IssueInput & { keyType?: PkiKeyType }) =>
      call<IssuedCert>({ method: 'POST', path: `/v1/pki/issue/${seg(role)}`, body: input }),
    /** Sign a PEM certificate signing request under `role` (update on pki/sign/ROLE). */
    sign: async (role: string, csr: string, input: IssueInput = {}) =>
      call<IssuedCert>({ method: 'POST', path: `/v1/pki/sign/${seg(role)}`, body: { ...input, csr } }),
    /** Revoke a certificate this CA issued, by serial (update on pki/revoke). */
    revoke: async (serial: string) =>
      call<{ serial: string; revokedAt: string }>({
        method: 'POST',
        path: '/v1/pki/revoke',
        body: { serial },
      }),
    /** The current CRL: number, next update and PEM (DER at GET /v1/pki/crl). */
    crl: async () =>
      call<{ pem: string; number: number; nextUpdate: string }>({
        method: 'GET',
        path: '/v1/pki/crl/info',
        fresh: true,
      }),
  };
}
