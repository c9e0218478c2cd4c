import { parseDocument } from 'yaml';
import type { AuditRecord } from '../core/audit/audit-record.js';
import type { AuditQuery } from '../core/audit/search-audit.js';
import { hushError } from '../core/errors/index.js';
import type { CompiledPolicy } from '../core/policy/compile-policy.js';
import { parsePolicy } from '../core/policy/compile-policy.js';
import { replayableRecord } from '../core/policy/past-requests.js';
import { type PastRequest, type PolicySimulation, simulatePolicy } from '../core/policy/simulate-policy.js';
import type { PolicyService } from './policy-service.js';
import type { TokenService } from './token-service.js';

const DAY_MS = 86_400_000;

/** Bounds of one simulation: how far back, how many records read, how many flips returned. */
export interface SimulationLimits {
  readonly maxDays: number;
  readonly maxRecords: number;
  readonly maxFlips: number;
}

/** Default bounds: 90 days, 500,000 records read, 1000 flips listed. */
export const DEFAULT_SIMULATION_LIMITS: SimulationLimits = {
  maxDays: 90,
  maxRecords: 500_000,
  maxFlips: 1000,
};

/** What the simulator reads: the audit trail (matching a query), the stored policies and the live tokens. */
export interface PolicySimulatorDeps {
  readonly records: (query: AuditQuery) => AsyncIterable<AuditRecord>;
  readonly policies: Pick<PolicyService, 'list' | 'compile'>;
  readonly tokens: Pick<TokenService, 'findByAccessor'>;
  readonly clock: () => Date;
  readonly limits?: Partial<SimulationLimits>;
}

/** A simulation request: the draft (a policy document) replaces the stored policy `name` for the period. */
export interface SimulationRequest {
  readonly name: string;
  readonly policy: unknown;
  readonly since: Date;
  readonly until?: Date;
}

/** The reply: the flips and counts, the period replayed, and how many records could not be replayed. */
export interface SimulationReport extends PolicySimulation {
  readonly name: string;
  readonly since: string;
  readonly until: string;
  /** Records read in the period. */
  readonly scanned: number;
  /**
   * Decided records that cannot be replayed: requests that made no policy check (logins, token-only routes),
   * records written before Hush recorded the checks, and records of tokens since gone.
   */
  readonly skipped: number;
}

/**
 * The policy simulator (`POST /v1/sys/policies/simulate`, `hush policy simulate`): replay the audit trail of a
 * bounded period against a draft policy and list the requests whose verdict would flip. The draft is validated
 * like a policy write; the period and the records read are bounded (coded errors past the bounds).
 */
export function createPolicySimulator(deps: PolicySimulatorDeps) {
  const limits = { ...DEFAULT_SIMULATION_LIMITS, ...deps.limits };
  return {
    async simulate(request: SimulationRequest): Promise<SimulationReport> {
      const input = typeof request.policy === 'string' ? parseDraftText(request.policy) : request.policy;
      // The draft stands in for the stored policy `name`, whatever name its text gives.
      const doc =
        input !== null && typeof input === 'object' && !Array.isArray(input)
          ? { ...(input as Record<string, unknown>), name: request.name }
          : input;
      const draft = parsePolicy(doc);
      const until = request.until ?? deps.clock();
      const since = request.since;
      if (until.getTime() <= since.getTime()) {
        throw hushError('SIMULATION_PERIOD_INVALID', {
          since: since.toISOString(),
          until: until.toISOString(),
        });
      }
      const span = until.getTime() - since.getTime();
      const days = Math.round(span / DAY_MS);
      if (span > limits.maxDays * DAY_MS)
        throw hushError('SIMULATION_PERIOD_TOO_LONG', { days, maxDays: limits.maxDays });
      const current = await storedPolicies(deps.policies);
      const tally = { scanned: 0, skipped: 0 };
      const requests = await collect(deps, { since, until }, limits.maxRecords, tally);
      const sim = simulatePolicy({ draft, current, requests, maxFlips: limits.maxFlips });
      return { name: draft.name, since: since.toISOString(), until: until.toISOString(), ...tally, ...sim };
    },
  };
}

/** The policy simulator's API. */
export type PolicySimulator = ReturnType<typeof createPolicySimulator>;

/** A draft as text (YAML, or JSON, which YAML reads too); a syntax error names its line. */
function parseDraftText(text: string): unknown {
  const doc = parseDocument(text, { prettyErrors: false });
  const error = doc.errors[0];
  if (error) {
    const line = error.linePos?.[0].line ?? 1;
    throw hushError('SIMULATION_DRAFT_NOT_YAML', {
      line,
      why: error.message.split('\n')[0] ?? 'syntax error',
    });
  }
  try {
    // A policy needs no aliases; a few are allowed, an alias bomb (each level repeating the last) is refused.
    return doc.toJS({ maxAliasCount: 10 });
  } catch (err) {
    throw hushError('SIMULATION_DRAFT_NOT_YAML', {
      line: 1,
      why: err instanceof Error ? (err.message.split('\n')[0] ?? 'unreadable') : 'unreadable',
    });
  }
}

async function storedPolicies(
  policies: PolicySimulatorDeps['policies'],
): Promise<Map<string, CompiledPolicy>> {
  const compiled = await policies.compile(await policies.list());
  return new Map(compiled.map((p) => [p.name, p]));
}

/** Read the period's records into replayable requests; over `maxRecords` records is a coded error. */
async function collect(
  deps: PolicySimulatorDeps,
  query: AuditQuery,
  maxRecords: number,
  tally: { scanned: number; skipped: number },
): Promise<PastRequest[]> {
  const out: PastRequest[] = [];
  // A token's current policies, looked up once per accessor (null: the token is gone).
  const currentOf = new Map<string, readonly string[] | null>();
  for await (const record of deps.records(query)) {
    tally.scanned += 1;
    if (tally.scanned > maxRecords) throw hushError('SIMULATION_RECORD_BUDGET_EXCEEDED', { maxRecords });
    const r = replayableRecord(record);
    if (r.kind === 'replay') out.push(r.request);
    else if (r.kind === 'needs-policies') {
      if (!currentOf.has(r.accessor)) {
        currentOf.set(r.accessor, (await deps.tokens.findByAccessor(r.accessor))?.policies ?? null);
      }
      const policies = currentOf.get(r.accessor);
      if (policies) out.push({ ...r.request, policies });
      else tally.skipped += 1;
    } else if (r.why === 'no-checks') tally.skipped += 1;
  }
  return out;
}
