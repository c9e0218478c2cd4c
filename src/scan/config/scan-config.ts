import ignore from 'ignore';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { hushError } from '../../core/errors/index.js';
import type { Rule } from '../rules/rule.js';
import { checkRegex } from './regex-safety.js';

const customRule = z.strictObject({
  id: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'kebab-case id'),
  title: z.string().min(1),
  regex: z.string().min(1),
  keywords: z.array(z.string().min(1)).default([]),
  entropy: z.number().min(0).max(8).optional(),
  severity: z.enum(['critical', 'high', 'medium', 'low']).default('high'),
});

const scanConfig = z.strictObject({
  rules: z.array(customRule).default([]),
  exclude: z.array(z.string().min(1)).default([]),
  /** Disable built-in rules by id. */
  disable: z.array(z.string()).default([]),
});

/**
 * Who wrote a config: the operator (`--config FILE`, trusted), or the scanned repository (a `.hush-scan.yaml` found
 * in the scanned directory: it may add rules and excludes within limits, and may not turn built-in rules off
 * unless the operator passes `--trust-repo-config`, which makes it `trusted-repository`).
 */
export type ConfigTrust = 'operator' | 'repository' | 'trusted-repository';

/** A validated scan config: custom rules compiled, excludes, disabled rule ids, and what was refused. */
export interface ScanConfig {
  readonly path: string;
  readonly trust: ConfigTrust;
  readonly rules: readonly Rule[];
  readonly exclude: readonly string[];
  readonly disable: readonly string[];
  /** Parts of a repository config that were not applied, and why (reported as scan warnings). */
  readonly refused: readonly string[];
}

/** What a repository config may add: enough for real projects, too little to stall or blind a scan. */
export const REPOSITORY_LIMITS = { rules: 50, regexLength: 512, repeat: 256, excludes: 200 } as const;

// A repository exclude that skips every one of these skips everything: that is disabling the scan, not an allowance.
const PROBES = ['a', 'a.txt', '.env', 'src/app.env', 'x/y/z/config.yaml', 'deploy/prod/secrets.json'];

function compileRule(r: z.infer<typeof customRule>, source: string, trust: ConfigTrust): Rule {
  const limited = trust === 'repository';
  if (limited && r.regex.length > REPOSITORY_LIMITS.regexLength) {
    throw hushError('RULE_CHARACTER_REGEX_REPOSITORY_CONFIG', {
      source,
      id: r.id,
      length: r.regex.length,
      regexLength: REPOSITORY_LIMITS.regexLength,
    });
  }
  const checked = checkRegex(r.regex, limited ? REPOSITORY_LIMITS.repeat : undefined);
  if ('error' in checked) {
    throw hushError('SOURCE_RULE_ID_REFUSED_ERROR', { source, id: r.id, error: checked.error });
  }
  let pattern: RegExp;
  try {
    pattern = new RegExp(checked.pattern);
  } catch (err) {
    const why = err instanceof Error ? err.message.replace(/^Invalid regular expression: /, '') : 'invalid';
    throw hushError('RULE_BAD_REGEX', { source, id: r.id, why });
  }
  const keywords = r.keywords.map((k) => k.toLowerCase());
  if (keywords.some((k) => /[^\x20-\x7e]/.test(k))) {
    throw hushError('RULE_NON_ASCII_KEYWORD_KEYWORDS', { source, id: r.id });
  }
  return {
    id: r.id,
    title: r.title,
    severity: r.severity,
    keywords,
    pattern,
    ...(r.entropy !== undefined ? { minEntropy: r.entropy } : {}),
    ...(keywords.length === 0 ? { alwaysRun: true } : {}),
    examples: [],
    falsePositives: [],
  };
}

/**
 * Parse and validate a `.hush-scan.yaml` / `.json` text strictly; errors name the file, field and rule. Every
 * custom regex is checked for catastrophic shapes (see checkRegex); a `repository` config is also held to
 * REPOSITORY_LIMITS, its repetition bounded, catch-all excludes and `disable` left out (listed in `refused`).
 */
export function parseScanConfig(text: string, source: string, trust: ConfigTrust = 'operator'): ScanConfig {
  let data: unknown;
  try {
    data = source.endsWith('.json') ? JSON.parse(text) : parseYaml(text);
  } catch {
    throw hushError('SOURCE_NOT_VALID_VALUE', { source, value: source.endsWith('.json') ? 'JSON' : 'YAML' });
  }
  const parsed = scanConfig.safeParse(data ?? {});
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const where = issue.path.join('.') || '(top level)';
    throw hushError('SOURCE_WHERE_MESSAGE', { source, where, message: issue.message });
  }
  const ids = new Set<string>();
  for (const r of parsed.data.rules) {
    if (ids.has(r.id)) throw hushError('RULE_ID_APPEARS_TWICE', { source, id: r.id });
    ids.add(r.id);
  }
  const limited = trust === 'repository';
  if (limited && parsed.data.rules.length > REPOSITORY_LIMITS.rules) {
    throw hushError('RULES_REPOSITORY_CONFIG_ALLOWS', {
      source,
      length: parsed.data.rules.length,
      rules: REPOSITORY_LIMITS.rules,
    });
  }
  if (limited && parsed.data.exclude.length > REPOSITORY_LIMITS.excludes) {
    throw hushError('EXCLUDES_REPOSITORY_CONFIG_ALLOWS', {
      source,
      length: parsed.data.exclude.length,
      excludes: REPOSITORY_LIMITS.excludes,
    });
  }
  const refused: string[] = [];
  let exclude = parsed.data.exclude;
  let disable = parsed.data.disable;
  if (limited) {
    exclude = exclude.filter((glob) => {
      const all = ignore().add(glob);
      if (!PROBES.every((p) => all.ignores(p))) return true;
      refused.push(`exclude "${glob}" ignored: it would skip every file`);
      return false;
    });
    // Each glob may pass alone while together they skip everything (".*" plus "[!.]*").
    const together = ignore().add(exclude);
    if (exclude.length > 1 && PROBES.every((p) => together.ignores(p))) {
      refused.push(`excludes ignored (${exclude.join(', ')}): together they would skip every file`);
      exclude = [];
    }
    if (disable.length > 0) {
      refused.push(
        `disable ignored (${disable.join(', ')}): a repository config may not turn off built-in rules; the operator can allow it with --trust-repo-config`,
      );
      disable = [];
    }
  }
  return Object.freeze({
    path: source,
    trust,
    rules: parsed.data.rules.map((r) => compileRule(r, source, trust)),
    exclude,
    disable,
    refused,
  });
}
