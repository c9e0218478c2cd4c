import { createHash } from 'node:crypto';
import type { HushClient } from '../../client/index.js';
import { gateRequestDigest } from '../../core/approvals/index.js';
import { isHushError } from '../../core/errors/hush-error.js';
import { hushError } from '../../core/errors/index.js';
import { readArtefact, verifyRemote } from './artefact-signature.js';
import { verifyWithCertificate } from './trust-verify.js';

/** One `--verify ARTEFACT:SIGNATURE:KEY`. */
export interface ArtefactCheck {
  readonly artefact: string;
  readonly signature: string;
  readonly key: string;
}

/** Parse `ARTEFACT:SIGNATURE:KEY` (HUSH_E_USAGE on anything else). */
export function parseVerifySpec(spec: string): ArtefactCheck {
  const parts = spec.split(':');
  const [artefact, signature, key] = parts;
  if (parts.length !== 3 || !artefact || !signature || !key) {
    throw hushError('RUN_VERIFY_SPEC_INVALID', { spec: spec.slice(0, 120) });
  }
  return { artefact, signature, key };
}

/**
 * Refuse (HUSH_E_TRANSIT_INVALID, HUSH_E_UNTRUSTED_SIGNER) unless every artefact's detached signature verifies: with
 * its transit key, or, given a trust store, with its signer certificate (the third part) checked against the store.
 */
export async function verifyArtefacts(
  client: HushClient,
  checks: readonly ArtefactCheck[],
  trustStore?: string,
): Promise<VerifiedArtefact[]> {
  const verified: VerifiedArtefact[] = [];
  for (const c of checks) {
    const data = await readArtefact(c.artefact, 'artefact');
    verified.push({ file: c.artefact, sha256: sha256(data) });
    const sig = await readArtefact(c.signature, 'signature file');
    if (trustStore !== undefined) {
      const what = { file: c.artefact, sig: c.signature };
      await verifyWithCertificate(client, { store: trustStore, certFile: c.key, data, signature: sig, what });
      continue;
    }
    const version = await verifyRemote(client, c.key, data, sig, { key: c.key });
    if (version === undefined) {
      throw hushError('SIGNATURE_NOT_VERIFY', { sig: c.signature, file: c.artefact, key: c.key });
    }
  }
  return verified;
}

/** An artefact as it was when its signature verified. */
export interface VerifiedArtefact {
  readonly file: string;
  readonly sha256: string;
}

const sha256 = (data: Uint8Array) => createHash('sha256').update(data).digest('hex');

/**
 * Refuse (HUSH_E_TRANSIT_INVALID) when an artefact is no longer the bytes that verified: the gate may wait minutes
 * for an approver between verification and the command, and the approval is for what was verified.
 */
export async function assertUnchanged(verified: readonly VerifiedArtefact[]): Promise<void> {
  for (const v of verified) {
    if (sha256(await readArtefact(v.file, 'artefact')) !== v.sha256) {
      throw hushError('ARTEFACT_CHANGED_AFTER_VERIFY', { file: v.file });
    }
  }
}

/** How {@link passGate} waits. */
export interface GateWait {
  /** Give up after this long (0: do not wait; fail at once, leaving the request for an approver). */
  readonly timeoutMs: number;
  readonly pollMs: number;
  readonly log: (line: string) => void;
  readonly sleep?: (ms: number) => Promise<void>;
}

/**
 * Pass deploy gate `name`: spend an approved request for it, or ask for one and wait until an approver grants it
 * (or deny it, or the wait times out). The server decides (the gate is `read` on `gates/<name>`, guarded by a policy
 * rule with `approvals`); this only asks and waits.
 */
export async function passGate(
  client: HushClient,
  name: string,
  wait: GateWait,
  artefacts: readonly VerifiedArtefact[] = [],
): Promise<void> {
  const sleep = wait.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  try {
    await client.approvals.passGate(name, artefacts);
    return;
  } catch (err) {
    if (!isHushError(err, 'HUSH_E_APPROVAL_REQUIRED')) throw err;
  }
  // With verified artefacts the request is pinned to them: the approver approves this exact set, once.
  const request = await client.approvals.request({
    path: `gates/${name}`,
    capability: 'read',
    reason: 'hush run --gate',
    ...(artefacts.length > 0 ? { requestDigest: gateRequestDigest(name, artefacts) } : {}),
  });
  wait.log(
    `hush: deploy gate "${name}" needs approval: request ${request.id} (hush approve grant ${request.id})`,
  );
  const deadline = Date.now() + wait.timeoutMs;
  let status = request.status;
  while (status === 'pending') {
    if (Date.now() >= deadline) {
      throw hushError('APPROVAL_WAIT_TIMED_OUT', {
        id: request.id,
        seconds: Math.round(wait.timeoutMs / 1000),
        status,
      });
    }
    await sleep(Math.min(wait.pollMs, Math.max(0, deadline - Date.now())));
    status = (await client.approvals.show(request.id)).status;
  }
  if (status !== 'approved') throw hushError('APPROVAL_GATE_CLOSED', { gate: name, id: request.id, status });
  await client.approvals.passGate(name, artefacts);
  wait.log(`hush: deploy gate "${name}" passed (request ${request.id})`);
}
