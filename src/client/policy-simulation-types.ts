import type { SimulationReport } from '../identity/policy-simulator.js';
import type { PolicyWrite } from './api-types.js';

/** `policies.simulate` input: the draft of policy `name` (a document or its YAML/JSON text) and the period. */
export interface SimulatePolicyRequest {
  readonly name: string;
  readonly policy: string | PolicyWrite;
  /** ISO-8601 instant or a duration ago (`7d`, `12h`). */
  readonly since: string;
  readonly until?: string;
}

/** `policies.simulate` reply: flips (before/after verdicts with the deciding rule) and counts. */
export type PolicySimulationReport = SimulationReport;
