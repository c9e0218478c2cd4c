import { basename, dirname } from 'node:path';
import { verifyBeforeUse } from '../../audit/chain-broken.js';
import { searchAuditFiles } from '../../audit/index.js';
import { findStoredHead, type HeadRecords } from '../../audit/stored-head.js';
import type { ServerConfig } from '../../config/server-config-schema.js';
import { hushError } from '../../core/errors/index.js';
import type { DeploymentFacts } from '../../core/incident/runbook.js';
import type { Identity } from '../../identity/index.js';
import { createIncidentService, type IncidentDeps } from '../../incident/incident-service.js';
import type { HushStore } from '../../store/index.js';
import type { IncidentRouteDeps } from '../routes/incident/incident.js';
import type { SealControl } from '../server-deps.js';

/** The parts the incident routes are composed from; optional engines (leases, rotation) join when configured. */
export interface IncidentParts {
  readonly store: Pick<HushStore, 'list'>;
  readonly identity: Pick<Identity, 'services'>;
  readonly seal: Pick<SealControl, 'seal'>;
  readonly leases?: IncidentDeps['leases'];
  readonly rotateOne?: IncidentDeps['rotateOne'];
  /** The store's records holding the audit chain heads: the report checks the trail against its head. */
  readonly auditHeads?: HeadRecords;
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
    auditRecords: auditTrail(config, parts.auditHeads),
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

/**
 * The server's audit trail, oldest first, once its chain verifies (see verifiedRecords); HUSH_E_CONFIG-style coded
 * error when the server writes no audit file. Shared by the incident report and the crypt recipients view.
 */
export function auditTrail(config: ServerConfig, heads: HeadRecords | undefined) {
  const file = config.audit.file;
  return () => {
    if (!file) throw hushError('SERVER_WRITES_NO_AUDIT_FILE');
    return verifiedRecords(dirname(file.path), basename(file.path), {
      ...(heads ? { heads } : {}),
      onlyChain: config.storage.kind === 'sqlite',
    });
  };
}

function describeStorage(config: ServerConfig): string {
  const s = config.storage;
  return `${s.kind} (${s.kind === 'sqlite' ? s.path : s.target})`;
}

/**
 * The trail's records, only once its hash chain verifies against the head kept in the store (when one is): a
 * tampered trail, or one with records cut from the end, fails the report (HUSH_E_INTEGRITY).
 */
async function* verifiedRecords(
  dir: string,
  fileName: string,
  options: { readonly heads?: HeadRecords; readonly onlyChain: boolean },
) {
  const found = options.heads
    ? await findStoredHead(options.heads, dir, fileName, { onlyChain: options.onlyChain })
    : undefined;
  await verifyBeforeUse(
    dir,
    fileName,
    false,
    found ? { seq: found.stored.seq, hash: found.stored.hash } : undefined,
  );
  yield* searchAuditFiles(dir, {}, fileName);
}
