export { matchRule, type RuleHit } from './match-rule.js';
export type { Rule, RuleMatchContext, Severity } from './rule.js';
export * from './rule-catalogue.js';
