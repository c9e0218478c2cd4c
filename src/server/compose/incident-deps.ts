import { basename, dirname } from 'node:path';
import { verifyBeforeUse } from '../../audit/chain-broken.js';
import { searchAuditFiles } from '../../audit/index.js';
import type { ServerConfig } from '../../config/server-config-schema.js';
import { HushError } from '../../core/errors/hush-error.js';
import type { DeploymentFacts } from '../../core/incident/runbook.js';
import type { Identity } from '../../identity/index.js';
import { createIncidentService, type IncidentDeps } from '../../incident/incident-service.js';
import type { HushStore } from '../../store/index.js';
import type { IncidentRouteDeps } from '../routes/incident.js';
import type { SealControl } from '../server-deps.js';

/** The parts the incident routes are composed from; optional engines (leases, rotation) join when configured. */
export interface IncidentParts {
  readonly store: Pick<HushStore, 'list'>;
  readonly identity: Pick<Identity, 'services'>;
  readonly seal: Pick<SealControl, 'seal'>;
  readonly leases?: IncidentDeps['leases'];
  readonly rotateOne?: IncidentDeps['rotateOne'];
  readonly extraFacts?: () => Partial<DeploymentFacts> | Promise<Partial<DeploymentFacts>>;
}

/** Build the incident routes' deps from the server config and its composed parts. */
export function incidentDeps(config: ServerConfig, parts: IncidentParts): IncidentRouteDeps {
  const file = config.audit.file;
  const incident = createIncidentService({
    tokens: parts.identity.services.tokens,
    approle: parts.identity.services.approle,
    secrets: parts.store,
    lockdown: () => parts.seal.seal('lockdown'),
    ...(parts.leases ? { leases: parts.leases } : {}),
    ...(parts.rotateOne ? { rotateOne: parts.rotateOne } : {}),
    auditRecords: () => {
      if (!file) {
        throw new HushError(
          'HUSH_E_CONFIG',
          'this server writes no audit file (audit.file is not configured), so there is no trail to report from; search your stdout audit collector instead',
        );
      }
      return verifiedRecords(dirname(file.path), basename(file.path));
    },
  });
  return {
    incident,
    facts: async () => ({
      storage: describeStorage(config),
      seal: config.seal.kind,
      audit: [file?.path, config.audit.stdout ? 'stdout' : undefined].filter(Boolean).join(' and ') || 'none',
      address: `${config.tls ? 'https' : 'http'}://${config.listen.host}:${config.listen.port}`,
      ...(await parts.extraFacts?.()),
    }),
  };
}

function describeStorage(config: ServerConfig): string {
  const s = config.storage;
  return `${s.kind} (${s.kind === 'sqlite' ? s.path : s.target})`;
}

/** The trail's records, only once its hash chain verifies: a tampered trail fails the report (HUSH_E_INTEGRITY). */
async function* verifiedRecords(dir: string, fileName: string) {
  await verifyBeforeUse(dir, fileName);
  yield* searchAuditFiles(dir, {}, fileName);
}
