import { basename, dirname } from 'node:path';
import { createAuditTrailReader } from '../../audit/audit-trail-reader.js';
import type { HeadRecords } from '../../audit/stored-head.js';
import type { ServerConfig } from '../../config/server-config-schema.js';
import { hushError } from '../../core/errors/index.js';
import type { Identity } from '../../identity/index.js';
import { createPolicySimulator } from '../../identity/policy-simulator.js';
import type { AuditTrailRouteDeps } from '../routes/sys/audit-trail.js';
import type { PolicySimulateDeps } from '../routes/sys/policy-simulate.js';

/**
 * The audit trail read back (the console's Audit pages) and the policy simulator that replays it, built from the
 * server's audit file. A server writing no audit file serves both routes, which answer that there is no trail.
 */
export function auditTrailDeps(
  config: ServerConfig,
  parts: { readonly identity: Pick<Identity, 'services'>; readonly auditHeads?: HeadRecords },
): { auditTrail: AuditTrailRouteDeps; policySimulator: PolicySimulateDeps } {
  const file = config.audit.file;
  const clock = parts.identity.services.clock;
  const trail = createAuditTrailReader({
    dir: file ? dirname(file.path) : '',
    fileName: file ? basename(file.path) : '',
    ...(parts.auditHeads ? { heads: parts.auditHeads } : {}),
    onlyChain: config.storage.kind === 'sqlite',
  });
  const withFile =
    <A extends unknown[], R>(fn: (...args: A) => R) =>
    (...args: A): R => {
      if (!file) throw hushError('SERVER_WRITES_NO_AUDIT_FILE');
      return fn(...args);
    };
  const guarded = {
    records: withFile(trail.records),
    search: withFile(trail.search),
    request: withFile(trail.request),
    verify: withFile(trail.verify),
  };
  const { policies, tokens } = parts.identity.services;
  const simulator = createPolicySimulator({ records: guarded.records, policies, tokens, clock });
  return { auditTrail: { trail: guarded, clock }, policySimulator: { simulator, clock } };
}
