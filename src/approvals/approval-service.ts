import {
  type ApprovalRequest,
  type ApprovalStatus,
  type ApprovalVote,
  approvalStatus,
  REQUEST_DIGEST,
  usableBy,
  voteProblem,
} from '../core/approvals/index.js';
import { hushError } from '../core/errors/index.js';
import { isCapability, type RequestedCapability } from '../core/policy/capabilities.js';
import type { CompiledPolicy } from '../core/policy/compile-policy.js';
import { anyApprovalRule, requiredApprovals } from '../core/policy/required-approvals.js';
import type { Caller } from '../ports/auth-port.js';
import { retryCas, type SealedView } from '../store/sealed-view/index.js';
import { APPROVAL_PREFIX, allRequests, loadRequest, newApprovalId } from './approval-records.js';

/** A request as the API shows it: the stored record and its status now. */
export type ApprovalView = ApprovalRequest & { readonly status: ApprovalStatus };

/** Input of {@link ApprovalService.request}. */
export interface ApprovalRequestInput {
  readonly path: string;
  readonly capability: string;
  readonly reason?: string;
  /** Pin the approval to one exact request (`requestDigest` of core/approvals): only that batch passes, once. */
  readonly requestDigest?: string;
  /** How long the request (and then the approval) lives; default one hour. */
  readonly ttlSeconds?: number;
}

/** What the approval service needs: sealed records, the caller's policies, who may approve, and an alert hook. */
export interface ApprovalDeps {
  readonly records: SealedView;
  readonly clock: () => Date;
  /** The caller's compiled policies without waiting when cached (undefined: call `load`). */
  readonly policies: {
    peek(caller: Caller): readonly CompiledPolicy[] | undefined;
    load(caller: Caller): Promise<readonly CompiledPolicy[]>;
  };
  /** True when `caller` holds `approve` on `path` (plain policy check, never itself gated). */
  readonly canApprove: (caller: Caller, path: string) => Promise<boolean>;
  /** Called once per new request (alerting: someone wants a guarded thing). Must not throw. */
  readonly onRequested?: (request: ApprovalRequest) => void;
  readonly maxTtlSeconds?: number;
}

const DEFAULT_TTL_S = 3600;
const MAX_REASON = 500;

/**
 * Approvals, the two-person rule: a policy rule with `approvals: N` makes what it grants usable only after N other
 * identities holding `approve` on the path granted a request, once, before the request expires. `enforce` is the
 * decision (called from the server's auth port on every authorised use); the rest is the request life cycle.
 */
export function createApprovalService(deps: ApprovalDeps) {
  const { records } = deps;
  const maxTtl = deps.maxTtlSeconds ?? 86_400;
  const view = (r: ApprovalRequest): ApprovalView => ({ ...r, status: approvalStatus(r, deps.clock()) });

  async function policiesOf(caller: Caller) {
    return deps.policies.peek(caller) ?? (await deps.policies.load(caller));
  }

  async function visible(caller: Caller, r: ApprovalRequest): Promise<boolean> {
    return r.requester === caller.id || (await deps.canApprove(caller, r.path));
  }

  /**
   * Spend one approved request of `caller` for `capability` on `path`, or refuse with HUSH_E_APPROVAL_REQUIRED. A
   * request pinned to `digest` is spent before an unpinned one, so an approval of this exact batch is used for it.
   */
  async function spend(
    caller: Caller,
    path: string,
    capability: string,
    required: number,
    digestOf: (() => string) | undefined,
  ): Promise<void> {
    const digest = digestOf?.();
    await retryCas(async () => {
      const now = deps.clock();
      const fitting = (await allRequests(records)).filter((row) =>
        usableBy(row.value, caller.id, path, capability, required, now, digest),
      );
      const usable = fitting.find((row) => row.value.requestDigest !== undefined) ?? fitting[0];
      if (!usable) {
        if (digest)
          throw hushError('APPROVAL_REQUIRED_FOR_DIGEST', {
            capability,
            path,
            required,
            requestDigest: digest,
          });
        throw hushError('APPROVAL_REQUIRED', { capability, path, required });
      }
      const used = { ...usable.value, usedAt: now.toISOString() };
      await records.batch([
        { op: 'put', key: `${APPROVAL_PREFIX}${used.id}`, value: used, expectedRevision: usable.revision },
      ]);
    });
  }

  async function vote(caller: Caller, id: string, kind: 'grant' | 'deny', comment?: string) {
    return retryCas(async () => {
      const row = await loadRequest(records, id);
      const r = row.value;
      const now = deps.clock();
      const problem = voteProblem(r, caller.id, now);
      if (problem === 'self') throw hushError('APPROVAL_SELF', { id, path: r.path });
      if (problem === 'closed') {
        throw hushError('APPROVAL_CLOSED', {
          id,
          status: approvalStatus(r, now),
          path: r.path,
          capability: r.capability,
        });
      }
      if (problem === 'already-voted' && kind === 'grant') {
        throw hushError('APPROVAL_ALREADY_VOTED', { id, approver: caller.id });
      }
      const v: ApprovalVote = {
        approver: caller.id,
        at: now.toISOString(),
        ...(comment ? { comment: comment.slice(0, MAX_REASON) } : {}),
      };
      const next: ApprovalRequest =
        kind === 'grant' ? { ...r, grants: [...r.grants, v] } : { ...r, denial: v };
      await records.batch([
        { op: 'put', key: `${APPROVAL_PREFIX}${id}`, value: next, expectedRevision: row.revision },
      ]);
      return view(next);
    });
  }

  return {
    /**
     * Return when `caller` may use `capability` on `path` without (further) approval, spending one approved request
     * when a rule requires approvals. Call only after the policies allowed the request. Synchronous for callers
     * whose policies are cached and carry no approval rule (nearly everyone). `digest` yields the request's
     * `requestDigest` when the route computes one (a transit batch): pinned approvals fit only that exact request.
     */
    enforce(
      caller: Caller,
      path: string,
      capability: RequestedCapability,
      digest?: () => string,
    ): void | Promise<void> {
      const cached = deps.policies.peek(caller);
      if (cached && !anyApprovalRule(cached)) return;
      const required = cached ? requiredApprovals(cached, path, capability, deps.clock()) : undefined;
      if (required === 0) return;
      return (async () => {
        const n = required ?? requiredApprovals(await policiesOf(caller), path, capability, deps.clock());
        if (n > 0) await spend(caller, path, capability, n, digest);
      })();
    },

    /** How many approvals a use of `capability` on `path` by `caller` needs now (0: none); spends nothing. */
    async required(caller: Caller, path: string, capability: RequestedCapability): Promise<number> {
      return requiredApprovals(await policiesOf(caller), path, capability, deps.clock());
    },

    /** Ask for approval of `capability` on `path` (an open request of the same caller and subject is reused). */
    async request(caller: Caller, input: ApprovalRequestInput): Promise<ApprovalView> {
      if (!isCapability(input.capability) || input.capability === 'deny') {
        throw hushError('APPROVAL_NOT_NEEDED', {
          capability: input.capability.slice(0, 20),
          path: input.path,
          requester: caller.id,
        });
      }
      if (input.requestDigest !== undefined && !REQUEST_DIGEST.test(input.requestDigest)) {
        throw hushError('APPROVAL_DIGEST_INVALID', { digest: input.requestDigest.slice(0, 80) });
      }
      const ttl = input.ttlSeconds ?? DEFAULT_TTL_S;
      if (!Number.isInteger(ttl) || ttl < 60 || ttl > maxTtl) {
        throw hushError('APPROVAL_TTL_INVALID', { max: maxTtl, ttl: String(ttl).slice(0, 20) });
      }
      const now = deps.clock();
      const required = requiredApprovals(await policiesOf(caller), input.path, input.capability, now);
      if (required === 0) {
        throw hushError('APPROVAL_NOT_NEEDED', {
          capability: input.capability,
          path: input.path,
          requester: caller.id,
        });
      }
      const open = (await allRequests(records))
        .map((row) => row.value)
        .find(
          (r) =>
            r.requester === caller.id &&
            r.path === input.path &&
            r.capability === input.capability &&
            r.requestDigest === input.requestDigest &&
            ['pending', 'approved'].includes(approvalStatus(r, now)),
        );
      if (open) return view(open);
      const created: ApprovalRequest = {
        id: newApprovalId(),
        requester: caller.id,
        path: input.path,
        capability: input.capability,
        ...(input.reason ? { reason: input.reason.slice(0, MAX_REASON) } : {}),
        ...(input.requestDigest ? { requestDigest: input.requestDigest } : {}),
        required,
        createdAt: now.toISOString(),
        expiresAt: new Date(now.getTime() + ttl * 1000).toISOString(),
        grants: [],
      };
      await records.batch([
        { op: 'put', key: `${APPROVAL_PREFIX}${created.id}`, value: created, expectedRevision: 0 },
      ]);
      deps.onRequested?.(created);
      return view(created);
    },

    /** One request, when the caller made it or may approve it (otherwise HUSH_E_NOT_FOUND, as if absent). */
    async get(caller: Caller, id: string): Promise<ApprovalView> {
      const r = (await loadRequest(records, id)).value;
      if (!(await visible(caller, r))) throw hushError('NO_APPROVAL_REQUEST', { id });
      return view(r);
    },

    /** The requests the caller made or may approve, newest first, optionally of one status. */
    async list(caller: Caller, status?: ApprovalStatus): Promise<ApprovalView[]> {
      const out: ApprovalView[] = [];
      for (const row of await allRequests(records)) {
        const v = view(row.value);
        if ((status === undefined || v.status === status) && (await visible(caller, v))) out.push(v);
      }
      return out.sort((a, b) => (a.createdAt < b.createdAt ? 1 : a.createdAt > b.createdAt ? -1 : 0));
    },

    /** Approve request `id` (never one's own; once per approver). The route checks `approve` on its path first. */
    grant: (caller: Caller, id: string, comment?: string) => vote(caller, id, 'grant', comment),
    /** Deny request `id`: it is closed for good. */
    deny: (caller: Caller, id: string, comment?: string) => vote(caller, id, 'deny', comment),
  };
}

/** The approval service. */
export type ApprovalService = ReturnType<typeof createApprovalService>;
