import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, join, relative, resolve } from 'node:path';
import { parse } from 'yaml';
import { z } from 'zod';
import { type CryptRules, RULE_KEYS } from '../core/crypt/index.js';
import { hushError } from '../core/errors/index.js';
import type { Recipients } from './data-keys.js';

/** The config files read, nearest first: SOPS's own, then Hush's (same schema plus `hush_transit`). */
export const CONFIG_NAMES = ['.sops.yaml', '.hush-crypt.yaml'] as const;

const ruleSchema = z
  .object({
    path_regex: z.string().optional(),
    age: z.union([z.string(), z.array(z.string())]).optional(),
    hush_transit: z.union([z.string(), z.array(z.string())]).optional(),
    unencrypted_suffix: z.string().optional(),
    encrypted_suffix: z.string().optional(),
    unencrypted_regex: z.string().optional(),
    encrypted_regex: z.string().optional(),
  })
  .passthrough(); // SOPS rules may name kms, pgp... which Hush does not use: ignored, not refused.

const configSchema = z.object({ creation_rules: z.array(ruleSchema).default([]) }).passthrough();

/** What a creation rule says for one file. */
export interface CreationRule {
  readonly recipients: Recipients;
  readonly rules: CryptRules;
  /** The config file it came from (for messages). */
  readonly source: string;
}

const list = (v: string | string[] | undefined): string[] =>
  (Array.isArray(v) ? v : (v ?? '').split(',')).map((s) => s.trim()).filter((s) => s !== '');

/** The nearest config file at or above `dir`, if any. */
export function findConfig(dir: string): string | undefined {
  let d = resolve(dir);
  for (;;) {
    for (const name of CONFIG_NAMES) {
      const p = join(d, name);
      if (existsSync(p)) return p;
    }
    const up = dirname(d);
    if (up === d) return undefined;
    d = up;
  }
}

/**
 * The first creation rule whose `path_regex` matches `file` (relative to the config's folder, as SOPS matches it),
 * or undefined when there is no config or no rule matches.
 */
export async function creationRuleFor(file: string, cwd: string): Promise<CreationRule | undefined> {
  const source = findConfig(cwd);
  if (!source) return undefined;
  let parsed: z.infer<typeof configSchema>;
  try {
    parsed = configSchema.parse(parse(await readFile(source, 'utf8')) ?? {});
  } catch {
    throw hushError('CRYPT_CONFIG_INVALID', { file: source });
  }
  const rel = relative(dirname(source), resolve(cwd, file));
  for (const rule of parsed.creation_rules) {
    if (rule.path_regex !== undefined) {
      let re: RegExp;
      try {
        re = new RegExp(rule.path_regex);
      } catch {
        throw hushError('CRYPT_CONFIG_INVALID', { file: source });
      }
      if (!re.test(rel) && !re.test(file)) continue;
    }
    const rules: Record<string, string> = {};
    for (const k of RULE_KEYS) if (rule[k] !== undefined) rules[k] = rule[k] as string;
    return { recipients: { age: list(rule.age), transit: list(rule.hush_transit) }, rules, source };
  }
  return undefined;
}
