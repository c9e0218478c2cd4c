import type { Rule } from '../rule.js';

/** Rules of this category. */
export const genericRules: readonly Rule[] = [];
