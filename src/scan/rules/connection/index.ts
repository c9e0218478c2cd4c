import type { Rule } from '../rule.js';

/** Rules of this category. */
export const connectionRules: readonly Rule[] = [];
