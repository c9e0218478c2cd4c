import type { Rule } from '../rule.js';
import { hashicorpRules } from './hashicorp.js';
import { hostingRules } from './hosting.js';
import { observabilityRules } from './observability.js';
import { saasRules } from './saas.js';

/** Infrastructure, hosting, observability and SaaS tokens. */
export const infrastructureRules: readonly Rule[] = [
  ...hashicorpRules,
  ...hostingRules,
  ...observabilityRules,
  ...saasRules,
];
