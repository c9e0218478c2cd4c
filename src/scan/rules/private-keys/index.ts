import type { Rule } from '../rule.js';

/** Rules of this category. */
export const privateKeyRules: readonly Rule[] = [];
