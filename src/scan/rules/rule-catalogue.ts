import { checksumMatches, checksumSuffix } from '../checksum/checksum-token.js';
import { aiRules } from './ai/index.js';
import { chatRules } from './chat/index.js';
import { cloudRules } from './cloud/index.js';
import { codePasswordRules } from './code-passwords/index.js';
import { connectionRules } from './connection/index.js';
import { credentialFilesRules } from './credential-files/index.js';
import { frameworkKeyRules } from './framework-keys/index.js';
import { genericRules } from './generic/index.js';
import { hushRules } from './hush/index.js';
import { infrastructureRules } from './infrastructure/index.js';
import { jwtRules } from './jwt/index.js';
import { messagingRules } from './messaging/index.js';
import { passwordHashRules } from './password-hashes/index.js';
import { paymentRules } from './payments/index.js';
import { privateKeyRules } from './private-keys/index.js';
import { registryRules } from './registries/index.js';
import type { Rule } from './rule.js';
import { sourceRules } from './source/index.js';

/** Rule categories, in report order. */
export type RuleCategory =
  | 'hush'
  | 'cloud'
  | 'source'
  | 'chat'
  | 'payments'
  | 'messaging'
  | 'ai'
  | 'registries'
  | 'infrastructure'
  | 'private-keys'
  | 'jwt'
  | 'connection'
  | 'password-hashes'
  | 'credential-files'
  | 'framework-keys'
  | 'code-passwords'
  | 'generic';

/** Every rule, grouped by category. */
export const RULES_BY_CATEGORY: Readonly<Record<RuleCategory, readonly Rule[]>> = Object.freeze({
  hush: hushRules,
  cloud: cloudRules,
  source: sourceRules,
  chat: chatRules,
  payments: paymentRules,
  messaging: messagingRules,
  ai: aiRules,
  registries: registryRules,
  infrastructure: infrastructureRules,
  'private-keys': privateKeyRules,
  jwt: jwtRules,
  connection: connectionRules,
  'password-hashes': passwordHashRules,
  'credential-files': credentialFilesRules,
  'framework-keys': frameworkKeyRules,
  'code-passwords': codePasswordRules,
  generic: genericRules,
});

/** The full catalogue, specific rules first and generic assignment rules last. */
export const ALL_RULES: readonly Rule[] = Object.freeze(Object.values(RULES_BY_CATEGORY).flat());

const categoryById = new Map<string, RuleCategory>(
  Object.entries(RULES_BY_CATEGORY).flatMap(([cat, rules]) =>
    rules.map((r) => [r.id, cat as RuleCategory] as const),
  ),
);

/** The category of a rule id, or undefined for an unknown id. */
export function ruleCategory(ruleId: string): RuleCategory | undefined {
  return categoryById.get(ruleId);
}

/** True when a classic GitHub token (`ghp_` + 30 + 6) carries a valid CRC-32 checksum. */
export function githubChecksumOk(token: string): boolean {
  return /^gh[pousr]_[A-Za-z0-9]{36}$/.test(token) && checksumMatches(token.slice(4, 34), token.slice(34));
}

/**
 * A checksum-valid `ghp_` token for a 30-character base62 body (tests and fixtures only).
 * @example githubTokenFor('R8fQz2LpX7vKc3NwT9mYb5HsD1gJa4') // 'ghp_R8fQ...' + 6 checksum characters
 */
export function githubTokenFor(body: string): string {
  return `ghp_${body}${checksumSuffix(body)}`;
}
