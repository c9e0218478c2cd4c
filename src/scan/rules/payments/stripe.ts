import type { Rule } from '../rule.js';
import { tokenRule } from '../shared/define-rule.js';
import { fake } from '../shared/fake-value.js';

const KINDS = [
  ['sk_live_', 'stripe-live-secret-key', 'Stripe live secret key', 'critical', 99],
  ['rk_live_', 'stripe-live-restricted-key', 'Stripe live restricted key', 'critical', 99],
  ['sk_test_', 'stripe-test-secret-key', 'Stripe test-mode secret key', 'low', 99],
  ['whsec_', 'stripe-webhook-secret', 'Stripe webhook signing secret', 'high', 64],
] as const;

export const stripeRules: readonly Rule[] = KINDS.map(([prefix, id, title, severity, max]) =>
  tokenRule({
    id,
    title,
    severity,
    keywords: [prefix],
    token: `${prefix}[A-Za-z0-9]{24,${max}}`,
    minEntropy: 3.8,
    examples: [
      `STRIPE_KEY=${prefix}${fake(`${id}-1`, 32)}`,
      `const stripe = require('stripe')('${prefix}${fake(`${id}-2`, max === 64 ? 32 : 99)}');`,
    ],
    falsePositives: [
      `STRIPE_KEY=${prefix}xxxxxxxxxxxxxxxxxxxxxxxxxxxx`,
      `STRIPE_KEY=${prefix}${fake(`${id}-3`, 12)}`,
    ],
  }),
);
