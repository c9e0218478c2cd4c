import type { Rule } from '../rule.js';
import { hashicorpRules } from './hashicorp.js';
import { hostingRules } from './hosting.js';
import { hushRules } from './hush.js';
import { observabilityRules } from './observability.js';
import { saasRules } from './saas.js';

/** Infrastructure, hosting, observability and SaaS tokens (Hush's own first). */
export const infrastructureRules: readonly Rule[] = [
  ...hushRules,
  ...hashicorpRules,
  ...hostingRules,
  ...observabilityRules,
  ...saasRules,
];
