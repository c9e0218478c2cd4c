import type { AuditRecord } from '../audit/audit-record.js';
import type { AlertDraft, AlertRule } from './alert.js';
import type { AlertRulesConfig } from './alerts-config.js';
import { bulkReadRule } from './bulk-read.js';
import { createCooldown } from './cooldown.js';
import { decryptBurstRule } from './decrypt-burst.js';
import { denialBurstRule } from './denial-burst.js';
import { loginBruteForceRule } from './login-brute-force.js';
import { offHoursRule } from './off-hours.js';
import { type ProductionAccessRule, productionAccessRule } from './production-access.js';
import { tokenMisuseRule } from './token-misuse.js';

/** The enabled rules over one audit stream, with per-key cool-down applied. */
export interface RuleSet {
  /** Alerts `record` raises after suppression (a storm gives one alert per key per cool-down). */
  evaluate(record: AuditRecord): AlertDraft[];
  /** The first-access rule, when enabled (its memory can be persisted). */
  readonly productionAccess?: ProductionAccessRule;
}

/**
 * Build the enabled rules from config. Pure: the only state is in memory and time comes from the records.
 *
 * @example
 * const rules = createRuleSet(alertsConfigSchema.parse({}).rules);
 * for (const record of records) for (const a of rules.evaluate(record)) console.log(a.message);
 */
export function createRuleSet(config: AlertRulesConfig): RuleSet {
  const rules: { rule: AlertRule; cooldownMs: number }[] = [];
  const add = (enabled: boolean, cooldownSeconds: number, rule: AlertRule) => {
    if (enabled) rules.push({ rule, cooldownMs: cooldownSeconds * 1000 });
  };
  const c = config;
  add(c.denialBurst.enabled, c.denialBurst.cooldownSeconds, denialBurstRule(c.denialBurst));
  add(c.bulkRead.enabled, c.bulkRead.cooldownSeconds, bulkReadRule(c.bulkRead));
  const production = c.productionAccess.enabled ? productionAccessRule(c.productionAccess) : undefined;
  if (production) add(true, c.productionAccess.cooldownSeconds, production);
  add(c.tokenMisuse.enabled, c.tokenMisuse.cooldownSeconds, tokenMisuseRule(c.tokenMisuse));
  add(
    c.offHours.enabled && c.offHours.windows.length > 0,
    c.offHours.cooldownSeconds,
    offHoursRule(c.offHours),
  );
  add(c.loginBruteForce.enabled, c.loginBruteForce.cooldownSeconds, loginBruteForceRule(c.loginBruteForce));
  add(c.decryptBurst.enabled, c.decryptBurst.cooldownSeconds, decryptBurstRule(c.decryptBurst));
  const cooldown = createCooldown();
  return {
    ...(production ? { productionAccess: production } : {}),
    evaluate(record) {
      const out: AlertDraft[] = [];
      for (const { rule, cooldownMs } of rules) {
        for (const draft of rule.evaluate(record)) {
          if (cooldown.admit(draft.key, Date.parse(draft.time) || 0, cooldownMs)) out.push(draft);
        }
      }
      return out;
    },
  };
}
