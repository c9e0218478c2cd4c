import type { AuditEventInput } from '../audit/audit-log.js';
import { hushError } from '../core/errors/index.js';
import { parseAddress, parsePrefix } from '../core/secrets/address.js';
import { hostAllowed, notAllowed, portOf } from '../net/outbound-allow-list.js';
import type { StorageBackend } from '../storage/backend.js';
import { openSealedView, type ViewBarrier } from '../store/sealed-view/index.js';
import { coversPath, dueAt, policyFor } from './due.js';
import type { OutboundGuard } from './hooks.js';
import { parsePolicyInput, type RotationPolicy } from './policy-schema.js';
import { createPolicyStore, type PolicyStore, type RotationState } from './policy-store.js';
import {
  type RotateContext,
  type RotationFailedEvent,
  type RotationResult,
  type RotationStore,
  rotateSecret,
} from './rotate-secret.js';
import { ROTATION_VIEW } from './rotation-records.js';

/** Everything the rotation service is built from. */
export interface RotationServiceDeps {
  readonly store: RotationStore;
  /** Storage and barrier for the encrypted policy/state records (a HushStore's `readBackend` and `barrier`). */
  readonly backend: Pick<StorageBackend, 'get' | 'batch' | 'list'>;
  readonly barrier: ViewBarrier;
  readonly clock?: () => Date;
  /** Audit every rotation (the audit log's `append`); the server passes it, local CLI mode has none. */
  readonly audit?: (event: AuditEventInput) => Promise<unknown>;
  /** Alert hook for failed rotations (wired by the alerts integration). */
  readonly onRotationFailed?: (event: RotationFailedEvent) => void | Promise<void>;
  /** The server's outbound allow-list for URL hooks (see OutboundGuard); absent in local CLI mode. */
  readonly outbound?: OutboundGuard;
}

/** Called before each secret is rotated (routes check the caller's `rotate` capability here). */
export type AuthorizePath = (path: string) => Promise<void>;

/** Which secrets a batch rotation considers. */
export interface BatchOptions extends Omit<RotateContext, 'trigger'> {
  readonly prefix?: string;
  readonly authorize?: AuthorizePath;
}

/** One line of `hush rotate status`. */
export interface RotationStatusEntry {
  readonly path: string;
  readonly policy: { readonly kind: RotationPolicy['kind']; readonly target: string };
  readonly nextDueAt: string;
  readonly due: boolean;
  readonly flagged: boolean;
  readonly last?: RotationState['last'];
  readonly onDeploy: boolean;
}

/** A batch's results; `failed` counts the failures so callers can set an exit code. */
export interface BatchReport {
  readonly results: RotationResult[];
  readonly rotated: number;
  readonly failed: number;
}

function report(results: RotationResult[]): BatchReport {
  const failed = results.filter((r) => r.outcome === 'failed').length;
  return { results, rotated: results.length - failed, failed };
}

/**
 * Build the rotation service: policies (encrypted records), per-secret state, rotate now / by prefix / due ones /
 * on deploy, and status. Rotations of one secret are serialised in this process so a scheduler pass and a manual
 * rotation never stage over each other (across processes the store's check-and-set on `pending` decides).
 *
 * @example
 * const rotation = createRotationService({ store, backend: store.readBackend, barrier: store.barrier });
 * await rotation.setPolicy({ path: 'app/prod/db', interval: '30d' }, 'user:alice');
 * await rotation.rotate('app/prod/db', { actor: 'user:alice', trigger: 'manual' });
 */
export function createRotationService(deps: RotationServiceDeps) {
  const clock = deps.clock ?? (() => new Date());
  const policies: PolicyStore = createPolicyStore(openSealedView(deps.backend, deps.barrier, ROTATION_VIEW));
  const rotateDeps = {
    store: deps.store,
    policies,
    clock,
    ...(deps.audit ? { audit: deps.audit } : {}),
    ...(deps.onRotationFailed ? { onRotationFailed: deps.onRotationFailed } : {}),
    ...(deps.outbound ? { outbound: deps.outbound } : {}),
  };
  const inFlight = new Map<string, Promise<RotationResult>>();

  function once(path: string, policy: RotationPolicy, ctx: RotateContext): Promise<RotationResult> {
    const running = inFlight.get(path);
    if (running) return running;
    const p = rotateSecret(rotateDeps, path, policy, ctx).finally(() => inFlight.delete(path));
    inFlight.set(path, p);
    return p;
  }

  /** Every secret path a policy set covers below `prefix` (path policies count even before the secret exists). */
  async function coveredPaths(all: readonly RotationPolicy[], prefix?: string): Promise<string[]> {
    const paths = new Set<string>();
    for (const p of all) {
      if (p.kind === 'path') {
        if (prefix === undefined || coversPath(prefix, p.target)) paths.add(p.target);
        continue;
      }
      // A prefix policy covers the secrets below it: list them (all pages).
      const scope = prefix !== undefined && coversPath(p.target, prefix) ? prefix : p.target;
      if (prefix !== undefined && !coversPath(prefix, p.target) && !coversPath(p.target, prefix)) continue;
      let cursor: string | undefined;
      do {
        const page = await deps.store.list(scope, { recursive: true, ...(cursor ? { cursor } : {}) });
        for (const e of page.entries) if (e.kind === 'secret') paths.add(e.path);
        cursor = page.cursor;
      } while (cursor !== undefined);
    }
    return [...paths].filter((path) => policyFor(all, path) !== undefined).sort();
  }

  async function servedCreatedAt(path: string): Promise<string | undefined> {
    try {
      const info = await deps.store.versions(path);
      const served = info.labels ? info.labels.current : info.current;
      return info.versions.find((v) => v.version === served)?.createdAt;
    } catch {
      return undefined;
    }
  }

  async function statusOf(all: readonly RotationPolicy[], path: string): Promise<RotationStatusEntry> {
    const policy = policyFor(all, path) as RotationPolicy;
    const state = await policies.getState(path);
    const next = dueAt(policy, state, await servedCreatedAt(path));
    return {
      path,
      policy: { kind: policy.kind, target: policy.target },
      nextDueAt: next.toISOString(),
      due: next.getTime() <= clock().getTime(),
      flagged: state?.flagged === true,
      ...(state?.last ? { last: state.last } : {}),
      onDeploy: policy.onDeploy,
    };
  }

  async function runBatch(
    options: BatchOptions,
    trigger: RotateContext['trigger'],
    pick: (entry: RotationStatusEntry) => boolean,
  ): Promise<BatchReport> {
    if (options.prefix !== undefined) parsePrefix(options.prefix);
    const all = await policies.listPolicies();
    const results: RotationResult[] = [];
    for (const path of await coveredPaths(all, options.prefix)) {
      if (!pick(await statusOf(all, path))) continue;
      await options.authorize?.(path);
      const ctx = {
        trigger,
        actor: options.actor,
        ...(options.requestId ? { requestId: options.requestId } : {}),
      };
      results.push(await once(path, policyFor(all, path) as RotationPolicy, ctx));
    }
    return report(results);
  }

  return {
    /** Create or replace a policy (validated; the generator is dry-run). */
    async setPolicy(input: unknown, actor: string): Promise<RotationPolicy> {
      const policy = parsePolicyInput(input, actor, clock());
      const hook = policy.hook;
      if (deps.outbound && hook && 'url' in hook) {
        const url = new URL(hook.url);
        if (!hostAllowed(deps.outbound.allow, url.hostname, portOf(url)))
          throw notAllowed('hook', url.hostname, portOf(url));
      }
      await policies.putPolicy(policy);
      return policy;
    },
    /** The policy stored exactly for this path or prefix; HUSH_E_NOT_FOUND otherwise. */
    async getPolicy(kind: RotationPolicy['kind'], target: string): Promise<RotationPolicy> {
      const found = await policies.getPolicy(kind, target.replace(/\/$/, ''));
      if (!found) throw hushError('NO_ROTATION_POLICY', { kind, target });
      return found;
    },
    /** The policy that governs a secret (its own, else the longest covering prefix), or undefined. */
    async effectivePolicy(path: string): Promise<RotationPolicy | undefined> {
      parseAddress(path);
      return policyFor(await policies.listPolicies(), path);
    },
    listPolicies: () => policies.listPolicies(),
    deletePolicy: (kind: RotationPolicy['kind'], target: string) =>
      policies.deletePolicy(kind, target.replace(/\/$/, '')),
    /** Rotate one secret now under its effective policy (HUSH_E_NOT_FOUND without one). */
    async rotate(path: string, ctx: Omit<RotateContext, 'trigger'> & { trigger?: RotateContext['trigger'] }) {
      parseAddress(path);
      const policy = policyFor(await policies.listPolicies(), path);
      if (!policy) throw hushError('NO_ROTATION_POLICY_COVERS', { path });
      return once(path, policy, { trigger: 'manual', ...ctx });
    },
    /** Rotate every covered secret below a prefix now. */
    rotatePrefix: (options: BatchOptions & { prefix: string }) => runBatch(options, 'manual', () => true),
    /** Rotate the secrets whose next due time has passed (the scheduler's pass). */
    rotateDue: (options: BatchOptions) => runBatch(options, 'scheduled', (e) => e.due),
    /** Rotate due or flagged secrets whose policy has `onDeploy` (the deploy pipeline's step). */
    onDeploy: (options: BatchOptions) =>
      runBatch(options, 'on-deploy', (e) => e.onDeploy && (e.due || e.flagged)),
    /** Mark a secret for rotation at the next `--on-deploy` run. */
    async flag(path: string): Promise<RotationState> {
      parseAddress(path);
      return policies.updateState(path, (old) => ({ ...(old ?? {}), path, flagged: true }));
    },
    /** Carry a moved secret's rotation state to its new path (call after each secret of a move commits). */
    followMove: (from: string, to: string) => policies.moveState(from, to),
    /** Next due time, flag and last result of every covered secret below `prefix` (all when absent). */
    async status(prefix?: string): Promise<RotationStatusEntry[]> {
      if (prefix !== undefined) parsePrefix(prefix);
      const all = await policies.listPolicies();
      const out: RotationStatusEntry[] = [];
      for (const path of await coveredPaths(all, prefix)) out.push(await statusOf(all, path));
      return out;
    },
  };
}

/** The rotation service API. */
export type RotationService = ReturnType<typeof createRotationService>;
