import type { FastifyPluginAsync } from 'fastify';
import { parseAddress } from '../../../core/secrets/address.js';
import type {
  FindingsInput,
  FindingsReport,
  ReportedFinding,
  ScanFindings,
} from '../../../incident/scan-findings.js';
import type {} from '../../plugins/audit.js';
import { checkerOf, routeAuth } from '../../route-config.js';
import { readableBy } from '../auth-helpers.js';
import { callerOf } from '../secrets/secrets-request.js';

/** What the scan findings routes need. */
export interface ScanFindingsRouteDeps {
  readonly findings: ScanFindings;
}

/** The policy path of stored scan reports: `update` to report, `read` to list. */
export const SCAN_FINDINGS_PATH = 'sys/scan/findings';
const MAX_FINDINGS = 1000;

const findingSchema = {
  type: 'object',
  required: ['fingerprint', 'rule', 'file', 'line'],
  additionalProperties: false,
  properties: {
    fingerprint: { type: 'string', pattern: '^[0-9a-f]{64}$' },
    rule: { type: 'string', minLength: 1, maxLength: 128 },
    file: { type: 'string', minLength: 1, maxLength: 4096 },
    line: { type: 'integer', minimum: 0 },
    storedPath: { type: 'string', minLength: 1, maxLength: 1024 },
  },
} as const;
const reportBody = {
  type: 'object',
  required: ['findings'],
  additionalProperties: false,
  properties: {
    source: { type: 'string', minLength: 1, maxLength: 256 },
    findings: { type: 'array', maxItems: MAX_FINDINGS, items: findingSchema },
  },
} as const;
const reportSchema = {
  type: 'object',
  required: ['id', 'reportedAt', 'reportedBy', 'findings'],
  additionalProperties: false,
  properties: {
    id: { type: 'string' },
    reportedAt: { type: 'string' },
    reportedBy: { type: 'string' },
    ...reportBody.properties,
  },
} as const;
const listQuery = {
  type: 'object',
  additionalProperties: false,
  properties: { limit: { type: 'string', pattern: '^([1-9]|[1-9][0-9]|100)$' } },
} as const;

function withoutStoredPath(f: ReportedFinding): ReportedFinding {
  const { storedPath: _hidden, ...rest } = f;
  return rest;
}

/**
 * `POST /v1/scan/findings` (a scan reports what it found: fingerprints, file, line, rule and the stored path a value
 * matched, never a value) and `GET /v1/scan/findings?limit=N` (the newest reports, newest first). Reporting needs
 * `update` on `sys/scan/findings` and `read` on every stored path it names (so a report cannot attach a leak to a
 * secret its reporter could not match); listing needs `read` on `sys/scan/findings`, and a finding's stored path is
 * shown only to a lister who may `read` that path.
 */
export function scanFindingsRoutes(deps: ScanFindingsRouteDeps): FastifyPluginAsync {
  const tags = ['scan'];
  return async (app) => {
    app.post<{ Body: FindingsInput }>(
      '/v1/scan/findings',
      {
        schema: {
          summary: 'Store a scan report (fingerprints and places, never values)',
          tags,
          body: reportBody,
          response: { 201: reportSchema },
        },
        config: {
          requireUnsealed: true,
          operation: 'scan.findings.report',
          auth: routeAuth.fixed(SCAN_FINDINGS_PATH, 'update', 'read'),
        },
      },
      async (request, reply) => {
        request.auditPath = SCAN_FINDINGS_PATH;
        const named = new Set(request.body.findings.flatMap((f) => (f.storedPath ? [f.storedPath] : [])));
        for (const path of named) {
          // A secret address, not a glob or a dot path: the console links it as one.
          parseAddress(path);
          await checkerOf(request).require(path, 'read');
        }
        const stored = await deps.findings.report(callerOf(request).id, request.body);
        request.auditDetails = { report: stored.id, findings: stored.findings.length, matched: named.size };
        reply.code(201);
        return stored;
      },
    );

    app.get<{ Querystring: { limit?: string } }>(
      '/v1/scan/findings',
      {
        schema: {
          summary: 'The newest stored scan reports (newest first)',
          tags,
          querystring: listQuery,
          response: {
            200: {
              type: 'object',
              required: ['reports'],
              additionalProperties: false,
              properties: { reports: { type: 'array', items: reportSchema } },
            },
          },
        },
        config: {
          requireUnsealed: true,
          operation: 'scan.findings.list',
          auth: routeAuth.fixed(SCAN_FINDINGS_PATH, 'read', 'read'),
        },
      },
      async (request) => {
        request.auditPath = SCAN_FINDINGS_PATH;
        const stored = await deps.findings.list(Number(request.query.limit ?? 20));
        // A stored path names a secret: shown only to a lister who may read it (the finding itself stays listed).
        const mayRead = readableBy(request);
        const reports: FindingsReport[] = [];
        for (const report of stored) {
          const findings: ReportedFinding[] = [];
          for (const f of report.findings) {
            if (f.storedPath === undefined || (await mayRead(f.storedPath))) findings.push(f);
            else findings.push(withoutStoredPath(f));
          }
          reports.push({ ...report, findings });
        }
        request.auditDetails = { shown: reports.length };
        return { reports };
      },
    );
  };
}
