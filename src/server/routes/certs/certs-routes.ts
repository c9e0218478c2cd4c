import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import { undeclaredResponse } from '../../../api/contract.js';
import type { CertService, CertUpload, CheckedCert, IngestReport } from '../../../certs/index.js';
import type { ProbeTarget } from '../../../certs/tls-probe.js';
import type {} from '../../plugins/audit.js';
import { checkerOf, routeAuth } from '../../route-config.js';
import { optionalBody } from '../secrets/secrets-schemas.js';
import { keysBody, probeBody, scanSecretsBody, uploadBody } from './certs-schemas.js';

/** Everything {@link certsRoutes} is built from. */
export interface CertsRouteDeps {
  readonly certs: CertService;
  /** Called after a change to the inventory (re-check: alerts, metrics). */
  readonly onChanged?: () => Promise<void>;
}

/** Policy paths the certificate routes check: reading the inventory, changing it, choosing what the server dials. */
export const CERTS_POLICY = { inventory: 'sys/certs', endpoints: 'sys/certs/endpoints' } as const;

const read = { requireUnsealed: true, auth: routeAuth.fixed(CERTS_POLICY.inventory, 'read') } as const;
const write = { requireUnsealed: true, auth: routeAuth.fixed(CERTS_POLICY.inventory, 'update') } as const;
const tags = ['certs'];

/** A listed certificate: its facts without the PEM and sighting details, plus days left and findings. */
export function certSummary(c: CheckedCert) {
  const { pem: _pem, sightings, ...facts } = c.record;
  return {
    ...facts,
    daysLeft: c.daysLeft,
    live: c.live,
    locations: sightings.map((s) => s.location),
    findings: c.findings,
  };
}

function audited(request: FastifyRequest, report: IngestReport): IngestReport {
  request.auditPath = CERTS_POLICY.inventory;
  request.auditDetails = { added: report.added, updated: report.updated, failed: report.failed };
  return report;
}

/**
 * Certificate inventory API: `GET /v1/certs` (list with findings), `GET /v1/certs/items/<sha256>` (one, with its
 * sightings and PEM), `GET /v1/certs/endpoints`, `POST /v1/certs/items` (add PEM certificates),
 * `POST /v1/certs/keys` (where private keys were found, as public-key digests), `POST /v1/certs/scan-secrets`
 * (certificates held in secrets the caller may read) and `POST /v1/certs/probe` (TLS endpoints, STARTTLS). Reads
 * need `read` on `sys/certs`, changes `update`; trust anchors and probes (the server dials out) need `admin` on `sys/certs/endpoints`.
 *
 * @example
 * routes: [audit, certsRoutes({ certs, auth })]
 */
export function certsRoutes(deps: CertsRouteDeps): FastifyPluginAsync {
  const changed = async () => deps.onChanged?.();
  return async (app) => {
    app.get(
      '/v1/certs',
      {
        schema: {
          summary: 'List the certificate inventory with days left and findings',
          tags,
          response: undeclaredResponse,
        },
        config: { ...read, operation: 'certs.list' },
      },
      async (request) => {
        request.auditPath = CERTS_POLICY.inventory;
        const all = await deps.certs.checkAll();
        all.sort((a, b) => a.record.notAfter.localeCompare(b.record.notAfter));
        return { certificates: all.map(certSummary) };
      },
    );

    app.get<{ Params: { fingerprint: string } }>(
      '/v1/certs/items/:fingerprint',
      {
        schema: {
          summary: 'One certificate: facts, sightings, findings, PEM',
          tags,
          response: undeclaredResponse,
        },
        config: { ...read, operation: 'certs.show' },
      },
      async (request) => {
        request.auditPath = CERTS_POLICY.inventory;
        const c = await deps.certs.show(request.params.fingerprint);
        return { certificate: { ...c.record, daysLeft: c.daysLeft, live: c.live, findings: c.findings } };
      },
    );

    app.get(
      '/v1/certs/endpoints',
      {
        schema: {
          summary: 'Remembered TLS endpoints and their last probe',
          tags,
          response: undeclaredResponse,
        },
        config: { ...read, operation: 'certs.endpoints' },
      },
      async (request) => {
        request.auditPath = CERTS_POLICY.endpoints;
        return { endpoints: await deps.certs.endpoints() };
      },
    );

    app.post<{ Body: { items: CertUpload[]; trustAnchor?: boolean } }>(
      '/v1/certs/items',
      {
        schema: {
          summary: 'Add certificates (PEM) to the inventory',
          tags,
          body: uploadBody,
          response: undeclaredResponse,
        },
        // A trust anchor changes what the server trusts when it dials: that also takes `admin` on the endpoints.
        config: {
          requireUnsealed: true,
          auth: routeAuth.fixed(CERTS_POLICY.inventory, 'update', 'admin'),
          operation: 'certs.add',
        },
      },
      async (request) => {
        if (request.body.trustAnchor) await checkerOf(request).require(CERTS_POLICY.endpoints, 'admin');
        const report = await deps.certs.ingest(request.body.items, {
          trustAnchor: request.body.trustAnchor === true,
        });
        await changed();
        return audited(request, report);
      },
    );

    app.post<{ Body: { keys: { spkiSha256: string; location: string }[] } }>(
      '/v1/certs/keys',
      {
        schema: {
          summary: 'Record where private keys were found (public-key digests only)',
          tags,
          body: keysBody,
          response: undeclaredResponse,
        },
        config: { ...write, operation: 'certs.keys' },
      },
      async (request) => {
        request.auditPath = CERTS_POLICY.inventory;
        const out = await deps.certs.reportKeys(request.body.keys);
        request.auditDetails = { keys: request.body.keys.length, matched: out.matched.length };
        await changed();
        return out;
      },
    );

    app.post<{ Body: { prefix?: string } | undefined }>(
      '/v1/certs/scan-secrets',
      {
        schema: {
          summary: 'Add certificates held in secrets the caller may read',
          tags,
          body: scanSecretsBody,
          response: undeclaredResponse,
        },
        // Changes the inventory, from the secrets the caller may read (each checked in turn).
        config: {
          requireUnsealed: true,
          auth: routeAuth.fixed(CERTS_POLICY.inventory, 'update', 'read'),
          operation: 'certs.scan-secrets',
        },
        preValidation: optionalBody,
      },
      async (request) => {
        const prefix = request.body?.prefix;
        const report = await deps.certs.scanSecrets({
          ...(prefix ? { prefix } : {}),
          // Looking into a secret is no use of an approval: guarded secrets are skipped, approvals kept.
          mayRead: (path) => checkerOf(request).mayUseFreely(path, 'read'),
        });
        await changed();
        return audited(request, report);
      },
    );

    app.post<{ Body: { targets: ProbeTarget[]; remember?: boolean } }>(
      '/v1/certs/probe',
      {
        schema: {
          summary: 'Probe TLS endpoints now (SNI, STARTTLS) and optionally remember them',
          tags,
          body: probeBody,
          response: undeclaredResponse,
        },
        config: {
          requireUnsealed: true,
          operation: 'certs.probe',
          // The server connects where the caller says: only admins choose that (as with command hooks).
          auth: routeAuth.fixed(CERTS_POLICY.endpoints, 'admin'),
        },
      },
      async (request) => {
        const report = await deps.certs.probe(request.body.targets, {
          remember: request.body.remember === true,
        });
        await changed();
        audited(request, report);
        request.auditPath = CERTS_POLICY.endpoints;
        return report;
      },
    );
  };
}
