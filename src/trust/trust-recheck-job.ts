import { X509Certificate } from 'node:crypto';
import type { AlertInput } from '../alerts/index.js';
import type { BackgroundJob } from '../cluster/background-jobs.js';
import { checkSigner } from '../core/trust/index.js';
import { bundleOf, type TrustStoreService } from './trust-store-service.js';

/** One signer certificate's state at a re-check. */
export interface SignerFinding {
  readonly store: string;
  readonly subject: string;
  readonly fingerprint: string;
  readonly daysLeft: number;
  /** `ok`, `expiring` (within the warning window), `revoked`, or `invalid` (expired, no chain, no EKU, stale CRL). */
  readonly state: 'ok' | 'expiring' | 'revoked' | 'invalid';
  readonly problems: readonly string[];
}

const DAY_MS = 86_400_000;

/** Check every signer certificate of every trust store at `now` (third-party signers are re-checked on a schedule). */
export async function recheckSigners(
  trust: Pick<TrustStoreService, 'list' | 'get'>,
  now: Date,
  warnDays: number,
): Promise<SignerFinding[]> {
  const out: SignerFinding[] = [];
  for (const name of await trust.list()) {
    const view = await trust.get(name);
    const bundle = bundleOf(view);
    for (const cert of view.certs.filter((c) => c.role === 'signer')) {
      const verdict = checkSigner(bundle, new X509Certificate(cert.pem), now);
      const daysLeft = Math.floor((Date.parse(cert.notAfter) - now.getTime()) / DAY_MS);
      const state = verdict.revoked
        ? 'revoked'
        : verdict.problems.length > 0
          ? 'invalid'
          : daysLeft <= warnDays
            ? 'expiring'
            : 'ok';
      out.push({
        store: name,
        subject: cert.subject,
        fingerprint: cert.fingerprint,
        daysLeft,
        state,
        problems: verdict.problems,
      });
    }
  }
  return out;
}

/** The alert a finding raises, if any (one key per certificate and state, so a repeat is suppressed while it cools). */
export function signerAlert(f: SignerFinding): AlertInput | undefined {
  if (f.state === 'ok') return undefined;
  const what =
    f.state === 'expiring'
      ? `expires in ${f.daysLeft} day(s)`
      : f.state === 'revoked'
        ? 'is revoked'
        : f.problems.join('; ');
  return {
    rule: `signer-cert-${f.state}`,
    severity: f.state === 'expiring' ? 'warning' : 'critical',
    message: `trust store "${f.store}": signer certificate ${f.subject} ${what}`,
    path: `trust/${f.store}`,
    key: `signer-cert-${f.state}:${f.fingerprint}`,
    cooldownSeconds: 86_400,
  };
}

/**
 * The leader-only job: re-check third-party signer certificates and raise alerts before expiry and on revocation
 * (a CRL imported since) or any other failure.
 */
export function trustRecheckJob(deps: {
  readonly trust: Pick<TrustStoreService, 'list' | 'get'>;
  readonly raise: (alert: AlertInput) => unknown;
  readonly intervalMs: number;
  readonly warnDays: number;
  readonly isSealed?: () => boolean;
  readonly clock?: () => Date;
}): BackgroundJob {
  return {
    name: 'trust-signer-recheck',
    intervalMs: deps.intervalMs,
    async run(signal) {
      if (signal.aborted || deps.isSealed?.() === true) return;
      for (const f of await recheckSigners(deps.trust, (deps.clock ?? (() => new Date()))(), deps.warnDays)) {
        const alert = signerAlert(f);
        if (alert) deps.raise(alert);
      }
    },
  };
}
