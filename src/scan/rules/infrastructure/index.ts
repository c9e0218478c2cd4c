import type { Rule } from '../rule.js';

/** Rules of this category. */
export const infrastructureRules: readonly Rule[] = [];
