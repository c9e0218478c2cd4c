import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import { undeclaredResponse } from '../../../api/contract.js';
import { recheckSigners, TRUST_ROLES, type TrustRole, type TrustStoreService } from '../../../trust/index.js';
import { authorized, onAuditedPath } from '../auth-helpers.js';

/** What {@link trustRoutes} is built from. */
export interface TrustRouteDeps {
  readonly trust: TrustStoreService;
}

const storeParams = {
  type: 'object',
  required: ['store'],
  additionalProperties: false,
  properties: { store: { type: 'string', pattern: '^[a-z0-9][a-z0-9_.-]{0,63}$' } },
} as const;
const certsBody = {
  type: 'object',
  required: ['pem', 'role'],
  additionalProperties: false,
  properties: {
    pem: { type: 'string', maxLength: 1024 * 1024 },
    role: { type: 'string', enum: [...TRUST_ROLES] },
  },
} as const;
const crlBody = {
  type: 'object',
  required: ['crl'],
  additionalProperties: false,
  properties: {
    crl: { type: 'string', maxLength: 16 * 1024 * 1024, description: 'PEM text, or DER in base64' },
  },
} as const;

type Store = { Params: { store: string } };

/** `capability` on `trust/<store>` (the audit path too), checked by the auth guard just before the handler. */
const onStore = (capability: string) =>
  onAuditedPath(capability, (r: FastifyRequest<Store>) => `trust/${r.params.store}`);

/**
 * Trust stores of signer certificates (`/v1/trust/...`): `list` on `trust`, `read` on `trust/<store>` for its
 * certificates, CRLs and a signer check, `update` to add certificates or CRLs.
 */
export function trustRoutes(deps: TrustRouteDeps): FastifyPluginAsync {
  const { trust } = deps;
  const tags = ['trust'];
  return async (app) => {
    app.get(
      '/v1/trust',
      {
        schema: { summary: 'Trust store names', tags, response: undeclaredResponse },
        config: { ...authorized('trust', 'list'), operation: 'trust.list' },
      },
      async () => {
        return { stores: await trust.list() };
      },
    );
    app.get<Store>(
      '/v1/trust/:store',
      {
        schema: {
          summary: 'A trust store: certificates and CRLs (PEM)',
          tags,
          params: storeParams,
          response: undeclaredResponse,
        },
        config: { ...onStore('read'), operation: 'trust.read' },
      },
      async (request) => {
        return trust.get(request.params.store);
      },
    );
    app.post<Store & { Body: { pem: string; role: TrustRole } }>(
      '/v1/trust/:store/certs',
      {
        schema: {
          summary: 'Add root, intermediate or signer certificates',
          tags,
          params: storeParams,
          body: certsBody,
          response: undeclaredResponse,
        },
        config: { ...onStore('update'), operation: 'trust.certs.add' },
      },
      async (request) => {
        request.auditDetails = { role: request.body.role };
        return trust.addCerts(request.params.store, request.body.pem, request.body.role);
      },
    );
    app.post<Store & { Body: { crl: string } }>(
      '/v1/trust/:store/crls',
      {
        schema: {
          summary: 'Add a CRL signed by a CA of the store',
          tags,
          params: storeParams,
          body: crlBody,
          response: undeclaredResponse,
        },
        config: { ...onStore('update'), operation: 'trust.crls.add' },
      },
      async (request) => {
        const text = request.body.crl;
        const bytes = text.includes('-----BEGIN') ? Buffer.from(text, 'latin1') : Buffer.from(text, 'base64');
        return trust.addCrl(request.params.store, bytes);
      },
    );
    app.post<Store & { Querystring: { warnDays?: string } }>(
      '/v1/trust/:store/check',
      {
        schema: {
          summary: "Re-check the store's signer certificates now (as the scheduled job does)",
          tags,
          params: storeParams,
          querystring: {
            type: 'object',
            additionalProperties: false,
            properties: { warnDays: { type: 'string', pattern: '^[0-9]{1,4}$' } },
          },
          response: undeclaredResponse,
        },
        config: { ...onStore('read'), operation: 'trust.check' },
      },
      async (request) => {
        const one = { list: async () => [request.params.store], get: trust.get };
        const warnDays = request.query.warnDays === undefined ? 30 : Number(request.query.warnDays);
        return { signers: await recheckSigners(one, new Date(), warnDays) };
      },
    );
  };
}
