import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import { undeclaredResponse } from '../../../api/contract.js';
import type { CaInitInput, IssueInput, Pki, RoleInput } from '../../../pki/index.js';
import { routeAuth } from '../../route-config.js';
import { onAuditedPath } from '../auth-helpers.js';
import { caInitBody, issueBody, revokeBody, roleBody, roleParams, signBody } from './pki-schemas.js';

/** What {@link pkiRoutes} is built from. */
export interface PkiRouteDeps {
  readonly pki: Pki;
  /** Called after a certificate is issued or revoked (the inventory re-checks: alerts, metrics). */
  readonly onChanged?: () => Promise<void>;
}

/** Policy paths of the CA: `pki/ca` (admin to set up), `pki/roles/<name>`, `pki/issue/<role>`, `pki/sign/<role>`, `pki/revoke`. */
export const PKI_POLICY = {
  ca: 'pki/ca',
  roles: 'pki/roles',
  role: (name: string) => `pki/roles/${name}`,
  issue: (role: string) => `pki/issue/${role}`,
  sign: (role: string) => `pki/sign/${role}`,
  revoke: 'pki/revoke',
} as const;

/** Public routes: the CA certificates and the CRL are what relying parties fetch, like a CA's distribution point. */
const PUBLIC = { requireUnsealed: true, auth: routeAuth.public } as const;
const tags = ['pki'];
type Named = { Params: { name: string } };

/**
 * Hush's certificate authority (`/v1/pki/...`): `POST /v1/pki/ca` sets up the root and intermediate (admin on
 * `pki/ca`); `GET /v1/pki/ca` and `GET /v1/pki/ca/pem` give the certificates and `GET /v1/pki/crl` (DER) and
 * `GET /v1/pki/crl/pem` the CRL, without a token; roles under `/v1/pki/roles/<name>`; `POST /v1/pki/issue/<role>`
 * and `POST /v1/pki/sign/<role>` (update on `pki/issue/<role>`, `pki/sign/<role>`); `POST /v1/pki/revoke`.
 */
export function pkiRoutes(deps: PkiRouteDeps): FastifyPluginAsync {
  const changed = async () => deps.onChanged?.();
  const { pki } = deps;
  return async (app) => {
    app.post<{ Body: CaInitInput | undefined }>(
      '/v1/pki/ca',
      {
        schema: {
          summary: 'Set up the root and intermediate CA (keys never leave Hush)',
          tags,
          body: caInitBody,
          response: undeclaredResponse,
        },
        config: { ...onAuditedPath('admin', () => PKI_POLICY.ca), operation: 'pki.ca.init' },
      },
      async (request, reply) => {
        reply.code(201);
        return pki.ca.init(request.body ?? {});
      },
    );
    app.get(
      '/v1/pki/ca',
      {
        schema: {
          summary: 'The CA certificates (root, intermediate, chain) and CRL URLs',
          tags,
          response: undeclaredResponse,
        },
        config: { ...PUBLIC, operation: 'pki.ca.show' },
      },
      async () => pki.ca.show(),
    );
    app.get(
      '/v1/pki/ca/pem',
      {
        schema: {
          summary: 'The CA chain as PEM (intermediate, then root)',
          tags,
          response: undeclaredResponse,
        },
        config: { ...PUBLIC, operation: 'pki.ca.pem' },
      },
      async (_request, reply) => reply.type('application/x-pem-file').send((await pki.ca.show()).chain),
    );
    app.get(
      '/v1/pki/crl',
      {
        schema: { summary: 'The certificate revocation list (DER)', tags, response: undeclaredResponse },
        config: { ...PUBLIC, operation: 'pki.crl' },
      },
      async (_request, reply) => reply.type('application/pkix-crl').send((await pki.revocation.crl()).der),
    );
    app.get(
      '/v1/pki/crl/pem',
      {
        schema: { summary: 'The certificate revocation list (PEM)', tags, response: undeclaredResponse },
        config: { ...PUBLIC, operation: 'pki.crl.pem' },
      },
      async (_request, reply) => reply.type('application/x-pem-file').send((await pki.revocation.crl()).pem),
    );

    app.get(
      '/v1/pki/crl/info',
      {
        schema: {
          summary: 'The CRL as JSON: its number, next update and PEM (for the SDK)',
          tags,
          response: undeclaredResponse,
        },
        config: { ...PUBLIC, operation: 'pki.crl.info' },
      },
      async () => {
        const { der: _der, ...rest } = await pki.revocation.crl();
        return rest;
      },
    );
    app.get(
      '/v1/pki/roles',
      {
        schema: { summary: 'List PKI role names', tags, response: undeclaredResponse },
        config: { ...onAuditedPath('list', () => PKI_POLICY.roles), operation: 'pki.roles.list' },
      },
      async () => {
        return { roles: await pki.roles.list() };
      },
    );
    app.put<Named & { Body: RoleInput }>(
      '/v1/pki/roles/:name',
      {
        schema: {
          summary: 'Create or replace a PKI role (domains, key types, TTL)',
          tags,
          params: roleParams,
          body: roleBody,
          response: undeclaredResponse,
        },
        config: {
          ...onAuditedPath('update', (r: FastifyRequest<Named>) => PKI_POLICY.role(r.params.name)),
          operation: 'pki.roles.put',
        },
      },
      async (request) => {
        return { role: await pki.roles.put(request.params.name, request.body) };
      },
    );
    app.get<Named>(
      '/v1/pki/roles/:name',
      {
        schema: { summary: 'A PKI role', tags, params: roleParams, response: undeclaredResponse },
        config: {
          ...onAuditedPath('read', (r: FastifyRequest<Named>) => PKI_POLICY.role(r.params.name)),
          operation: 'pki.roles.read',
        },
      },
      async (request) => {
        return { role: await pki.roles.get(request.params.name) };
      },
    );
    app.delete<Named>(
      '/v1/pki/roles/:name',
      {
        schema: { summary: 'Delete a PKI role', tags, params: roleParams, response: undeclaredResponse },
        config: {
          ...onAuditedPath('delete', (r: FastifyRequest<Named>) => PKI_POLICY.role(r.params.name)),
          operation: 'pki.roles.delete',
        },
      },
      async (request) => {
        await pki.roles.remove(request.params.name);
        return { name: request.params.name, deleted: true };
      },
    );

    app.post<Named & { Body: IssueInput | undefined }>(
      '/v1/pki/issue/:name',
      {
        schema: {
          summary: 'Issue a certificate and a new private key under a role',
          tags,
          params: roleParams,
          body: issueBody,
          response: undeclaredResponse,
        },
        config: {
          ...onAuditedPath('update', (r: FastifyRequest<Named>) => PKI_POLICY.issue(r.params.name)),
          operation: 'pki.issue',
        },
      },
      async (request, reply) => {
        const issued = await pki.issuer.issue(request.params.name, request.body ?? {});
        request.auditDetails = { serial: issued.serial, notAfter: issued.notAfter };
        await changed();
        // The reply carries a private key: no cache may keep it.
        reply.header('cache-control', 'no-store');
        return issued;
      },
    );
    app.post<Named & { Body: IssueInput & { csr: string } }>(
      '/v1/pki/sign/:name',
      {
        schema: {
          summary: 'Sign a certificate signing request under a role',
          tags,
          params: roleParams,
          body: signBody,
          response: undeclaredResponse,
        },
        config: {
          ...onAuditedPath('update', (r: FastifyRequest<Named>) => PKI_POLICY.sign(r.params.name)),
          operation: 'pki.sign',
        },
      },
      async (request) => {
        const { csr, ...input } = request.body;
        const issued = await pki.issuer.sign(request.params.name, csr, input);
        request.auditDetails = { serial: issued.serial, notAfter: issued.notAfter };
        await changed();
        return issued;
      },
    );
    app.post<{ Body: { serial: string } }>(
      '/v1/pki/revoke',
      {
        schema: {
          summary: 'Revoke a certificate this CA issued (the CRL is signed again at once)',
          tags,
          body: revokeBody,
          response: undeclaredResponse,
        },
        config: { ...onAuditedPath('update', () => PKI_POLICY.revoke), operation: 'pki.revoke' },
      },
      async (request) => {
        const out = await pki.revocation.revoke(request.body.serial);
        request.auditDetails = { serial: out.serial };
        return out;
      },
    );
  };
}
