import { randomBytes, timingSafeEqual } from 'node:crypto';
import { appendFileSync } from 'node:fs';
import { Writable } from 'node:stream';
import { HushError } from '../src/core/errors/index.js';
import type { UnsealMaterial } from '../src/seal/seal.js';
import type {
  Caller,
  DenialEvent,
  InitRequest,
  InitResult,
  SealControl,
  SealStatus,
  ServerAudit,
  ServerAuth,
} from '../src/server/server-deps.js';

/**
 * A SealControl that holds its state in memory, used until the real store (src/store) is merged: it issues one
 * random unseal share at init and compares it in constant time. The integrator re-runs the sys tests on the store.
 */
export function createTestSealControl(
  state: { initialized?: boolean; sealed?: boolean } = {},
): SealControl & {
  share?: string;
} {
  let initialized = state.initialized ?? false;
  let sealed = state.sealed ?? true;
  let share: Buffer | undefined;
  const status = (): SealStatus => ({ initialized, sealed, kind: 'shamir', threshold: 1, shares: 1 });
  return {
    status,
    async init(_request: InitRequest): Promise<InitResult> {
      if (initialized) throw new HushError('HUSH_E_ALREADY_INITIALIZED', 'the store is already initialised');
      initialized = true;
      share = randomBytes(32);
      return {
        shares: [share.toString('hex')],
        threshold: 1,
        rootToken: `hush_${randomBytes(32).toString('hex')}`,
      };
    },
    async unseal(material: UnsealMaterial): Promise<SealStatus> {
      const given = Buffer.from(material.shares?.[0] ?? '', 'hex');
      if (!share || given.length !== share.length || !timingSafeEqual(given, share)) {
        throw new HushError('HUSH_E_UNSEAL_FAILED', 'the unseal share is wrong; check it was copied in full');
      }
      sealed = false;
      return status();
    },
    async seal(): Promise<void> {
      sealed = true;
    },
  };
}

/** Token auth over one fixed token (constant-time), granting `sudo` on sys/seal only when `allowSeal`. */
export function createTestAuth(token: string, allowSeal: boolean): ServerAuth {
  const expected = Buffer.from(token);
  return {
    async authenticate(presented: string | undefined): Promise<Caller> {
      const got = Buffer.from(presented ?? '');
      if (got.length !== expected.length || !timingSafeEqual(got, expected)) {
        throw new HushError('HUSH_E_UNAUTHENTICATED', 'no valid token was presented; pass X-Hush-Token');
      }
      return { id: 'accessor-test' };
    },
    authorize(_caller: Caller, path: string, capability: string): void {
      if (!allowSeal) throw new HushError('HUSH_E_FORBIDDEN', `no ${capability} capability on ${path}`);
    },
  };
}

/** Audit sink appending denials to a real JSONL file. */
export function createFileAudit(file: string): ServerAudit {
  return {
    async recordDenial(_request: unknown, event: DenialEvent): Promise<void> {
      appendFileSync(file, `${JSON.stringify(event)}\n`, { mode: 0o600 });
    },
  };
}

/** A pino destination capturing log lines in memory, to assert what is (not) logged. */
export function captureLogs(): { stream: Writable; text: () => string } {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk, _enc, done) {
      chunks.push(String(chunk));
      done();
    },
  });
  return { stream, text: () => chunks.join('') };
}

/** Default limits/log level for inject tests. */
export const TEST_CONFIG = { limits: { bodyBytes: 1024, maxValueBytes: 512 }, logLevel: 'info' } as const;
