import { describe, expect, it } from 'vitest';
import { ALL_RULES, RULES_BY_CATEGORY } from './index.js';
import { matchRule } from './match-rule.js';

const ADVERSARIAL = [
  'a'.repeat(100_000),
  'A1+/'.repeat(25_000),
  'eyJ'.repeat(33_000),
  'x:'.repeat(50_000),
  `password=${'a'.repeat(100_000)}`,
  '-----BEGIN PRIVATE KEY-----'.repeat(3_000),
  'https://u:'.repeat(10_000),
  `${'ab_'.repeat(33_000)}@`,
];

describe('rule catalogue', () => {
  it('has at least 120 rules with unique kebab-case ids', () => {
    expect(ALL_RULES.length).toBeGreaterThanOrEqual(120);
    const ids = ALL_RULES.map((r) => r.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) expect(id).toMatch(/^[a-z0-9]+(?:-[a-z0-9]+)*$/);
  });

  it('groups every rule in exactly one category', () => {
    const grouped = Object.values(RULES_BY_CATEGORY).flat();
    expect(grouped.length).toBe(ALL_RULES.length);
  });
});

describe.each(ALL_RULES.map((r) => [r.id, r] as const))('rule %s', (_id, rule) => {
  it('has lower-case keywords present in every example', () => {
    expect(rule.examples.length).toBeGreaterThan(0);
    expect(rule.falsePositives.length).toBeGreaterThan(0);
    if (rule.paths)
      expect(rule.paths.test(rule.examplePath ?? 'example.txt'), 'examplePath fits paths').toBe(true);
    // Always-run rules, and path-selected rules without keywords (key-only files), need no keyword.
    if (rule.alwaysRun || (rule.paths && rule.keywords.length === 0)) return;
    expect(rule.keywords.length).toBeGreaterThan(0);
    for (const k of rule.keywords) expect(k).toBe(k.toLowerCase());
    for (const ex of rule.examples) {
      const lower = ex.toLowerCase();
      expect(
        rule.keywords.some((k) => lower.includes(k)),
        `no keyword in: ${ex.slice(0, 80)}`,
      ).toBe(true);
    }
  });

  it('captures the credential in a named secret group', () => {
    expect(rule.pattern.source).toContain('(?<secret>');
  });

  it('matches each example', () => {
    for (const ex of rule.examples) {
      expect(
        matchRule(rule, ex, rule.examplePath ?? 'example.txt').length,
        `example: ${ex.slice(0, 120)}`,
      ).toBeGreaterThan(0);
    }
  });

  it('does not match its false positives', () => {
    for (const fp of rule.falsePositives) {
      expect(
        matchRule(rule, fp, rule.examplePath ?? 'example.txt'),
        `false positive: ${fp.slice(0, 120)}`,
      ).toEqual([]);
    }
  });

  it('stays linear on 100 KB of adversarial input', () => {
    for (const input of ADVERSARIAL) {
      const start = performance.now();
      matchRule(rule, input);
      // A safety net only: catastrophic backtracking takes minutes, a linear scan takes milliseconds.
      expect(performance.now() - start).toBeLessThan(2_000);
    }
  });
});
