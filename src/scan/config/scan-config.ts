import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { HushError } from '../../core/errors/hush-error.js';
import type { Rule } from '../rules/rule.js';

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

/** A validated scan config: custom rules compiled, excludes and disabled rule ids. */
export interface ScanConfig {
  readonly rules: readonly Rule[];
  readonly exclude: readonly string[];
  readonly disable: readonly string[];
}

function compileRule(r: z.infer<typeof customRule>, source: string): Rule {
  let pattern: RegExp;
  try {
    pattern = new RegExp(r.regex);
  } catch (err) {
    const why = err instanceof Error ? err.message.replace(/^Invalid regular expression: /, '') : 'invalid';
    throw new HushError(
      'HUSH_E_CONFIG',
      `${source}: rule "${r.id}" has a bad regex (${why}); fix its "regex"`,
    );
  }
  const keywords = r.keywords.map((k) => k.toLowerCase());
  if (keywords.some((k) => /[^\x20-\x7e]/.test(k))) {
    throw new HushError(
      'HUSH_E_CONFIG',
      `${source}: rule "${r.id}" has a non-ASCII keyword; keywords must be ASCII`,
    );
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

/** Parse and validate a `.hush-scan.yaml` / `.json` text strictly; errors name the file, field and rule. */
export function parseScanConfig(text: string, source: string): ScanConfig {
  let data: unknown;
  try {
    data = source.endsWith('.json') ? JSON.parse(text) : parseYaml(text);
  } catch {
    throw new HushError(
      'HUSH_E_CONFIG',
      `${source} is not valid ${source.endsWith('.json') ? 'JSON' : 'YAML'}`,
    );
  }
  const parsed = scanConfig.safeParse(data ?? {});
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const where = issue.path.join('.') || '(top level)';
    throw new HushError('HUSH_E_CONFIG', `${source}: ${where}: ${issue.message}`);
  }
  const ids = new Set<string>();
  for (const r of parsed.data.rules) {
    if (ids.has(r.id)) throw new HushError('HUSH_E_CONFIG', `${source}: rule id "${r.id}" appears twice`);
    ids.add(r.id);
  }
  return Object.freeze({
    rules: parsed.data.rules.map((r) => compileRule(r, source)),
    exclude: parsed.data.exclude,
    disable: parsed.data.disable,
  });
}
