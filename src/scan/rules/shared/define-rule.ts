import type { Rule, RuleMatchContext, Severity } from '../rule.js';
import { containsKnownExample } from './known-examples.js';
import { looksPlaceholder } from './placeholder.js';

/** Fields every rule spec shares; severity defaults to `high`. */
interface BaseSpec {
  readonly id: string;
  readonly title: string;
  readonly severity?: Severity;
  readonly keywords: readonly string[];
  readonly minEntropy?: number;
  readonly validate?: (ctx: RuleMatchContext) => boolean;
  /** Keep values that look like placeholders (for formats where the check would hide real tokens). */
  readonly allowPlaceholders?: boolean;
  /** Assignment-style rule without a vendor format: the engine applies its stricter generic filters. */
  readonly generic?: boolean;
  /** A catch-all that yields to a specific rule matching the same value (see Rule.fallback). */
  readonly fallback?: boolean;
  /** See Rule.keywordFollows: a cheap necessary condition at each keyword occurrence. */
  readonly keywordFollows?: (text: string, end: number) => boolean;
  /** See Rule.anchor: where the pattern is tried. */
  readonly anchor?: Rule['anchor'];
  /** See Rule.paths. */
  readonly paths?: RegExp;
  /** See Rule.examplePath. */
  readonly examplePath?: string;
  readonly examples: readonly string[];
  readonly falsePositives: readonly string[];
}

/** A token recognised by its own shape (a vendor prefix, a fixed length). */
export interface TokenSpec extends BaseSpec {
  /** Regex source of the whole token; it becomes the `secret` group. */
  readonly token: string;
  /** Characters that must not touch the token on either side (a character class body). */
  readonly boundary?: string;
  readonly flags?: string;
}

/** A value with no distinctive shape, recognised by the name it is assigned to. */
export interface ContextSpec extends BaseSpec {
  /** Words (plain letters, digits, `_`, `|`, `?`, groups) that must appear in the assigned name; case-insensitive. */
  readonly context: string;
  /** Regex source of the value; it becomes the `secret` group. */
  readonly secret: string;
}

const DEFAULT_BOUNDARY = 'A-Za-z0-9_';

/** Make plain words case-insensitive without the `i` flag, so the value's own character classes stay exact. */
export function anyCase(words: string): string {
  return words.replace(/[A-Za-z]/g, (ch) => `[${ch.toLowerCase()}${ch.toUpperCase()}]`);
}

function finish(spec: BaseSpec, pattern: RegExp): Rule {
  const own = spec.validate;
  const allow = spec.allowPlaceholders === true;
  return Object.freeze({
    id: spec.id,
    title: spec.title,
    severity: spec.severity ?? 'high',
    keywords: Object.freeze([...spec.keywords]),
    pattern,
    ...(spec.minEntropy === undefined ? {} : { minEntropy: spec.minEntropy }),
    ...(spec.generic === undefined ? {} : { generic: spec.generic }),
    ...(spec.fallback === undefined ? {} : { fallback: spec.fallback }),
    ...(spec.keywordFollows ? { keywordFollows: spec.keywordFollows } : {}),
    ...(spec.anchor ? { anchor: Object.freeze({ ...spec.anchor }) } : {}),
    ...(spec.examplePath ? { examplePath: spec.examplePath } : {}),
    ...(spec.paths ? { paths: spec.paths } : {}),
    // The known-example test looks at the secret only: matched elsewhere (a user name, a host) an example string
    // would let anyone hide the real password beside it.
    validate: (ctx: RuleMatchContext) =>
      (allow || !looksPlaceholder(ctx.secret)) &&
      !containsKnownExample(ctx.secret) &&
      (own ? own(ctx) : true),
    examples: Object.freeze([...spec.examples]),
    falsePositives: Object.freeze([...spec.falsePositives]),
  });
}

/**
 * A rule for a self-describing token: the token must stand alone (no word characters glued to either side).
 * @example tokenRule({ id: 'npm-access-token', token: 'npm_[A-Za-z0-9]{36}', ... })
 */
export function tokenRule(spec: TokenSpec): Rule {
  const b = spec.boundary ?? DEFAULT_BOUNDARY;
  return finish(spec, new RegExp(`(?<![${b}])(?<secret>${spec.token})(?![${b}])`, spec.flags ?? ''));
}

/**
 * Separators between a name and its value across env, YAML, JSON, TOML, HCL, code and name/value pairs. Blanks
 * after the separator stay on the line, so an empty value (`KEY=`) never takes the next line as its value.
 */
export const ASSIGN =
  `(?:["']?\\]?\\s{0,4}(?:=>|:=|=|:|,)` +
  // ...or a name/value pair: Kubernetes `- name: X` + `value: ...`, ECS `{"name": "X", "value": "..."}`.
  `|["']?\\s{0,4},?\\s{0,4}(?:\\r?\\n[ \\t]{0,20})?["']?value["']?\\s{0,4}:)[ \\t]{0,4}(?:\\[\\s{0,4})?[@]?["'\`]?`;

/**
 * A rule for a value assigned to a name containing `context` (e.g. TWILIO_AUTH_TOKEN=..., "twilioToken": "...").
 * @example contextRule({ id: 'twilio-auth-token', context: 'twilio', secret: '[a-f0-9]{32}', ... })
 */
export function contextRule(spec: ContextSpec): Rule {
  // The context word comes first so the engine rejects most positions on one character; the lookbehind then checks
  // that the name starts at a word boundary at most 30 characters before it.
  const name = `(?<=(?:^|[^A-Za-z0-9])[A-Za-z0-9_.-]{0,30})(?:${anyCase(spec.context)})[A-Za-z0-9_.-]{0,30}?`;
  const value = `(?<secret>${spec.secret})(?![A-Za-z0-9_+/=-])`;
  return finish(spec, new RegExp(`${name}${ASSIGN}${value}`));
}

/** A rule with a hand-written pattern (multi-part formats such as connection strings or key blocks). */
export function patternRule(spec: BaseSpec & { readonly pattern: RegExp }): Rule {
  return finish(spec, spec.pattern);
}
