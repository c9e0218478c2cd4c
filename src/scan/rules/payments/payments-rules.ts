import type { Rule } from '../rule.js';
import { otherPaymentRules } from './others.js';
import { stripeRules } from './stripe.js';

/** Payment provider keys. */
export const paymentRules: readonly Rule[] = [...stripeRules, ...otherPaymentRules];
