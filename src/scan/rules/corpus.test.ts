import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { type CorpusLabel, generateCorpus } from '../../../bench/scan-corpus/generate.js';
import { checksumSuffix } from '../checksum/checksum-token.js';
import { ALL_RULES, RULES_BY_CATEGORY } from './index.js';
import { matchRule } from './match-rule.js';

const dirs: string[] = [];
const freshDir = () => {
  const dir = mkdtempSync(join(tmpdir(), 'hush-corpus-test-'));
  dirs.push(dir);
  return dir;
};
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

const generate = (dir: string, seed = 7) =>
  generateCorpus(dir, { seed, copies: 2, checksumSuffix, rulesByCategory: RULES_BY_CATEGORY });

function lineOf(text: string, index: number): number {
  let line = 1;
  for (let i = text.indexOf('\n'); i !== -1 && i < index; i = text.indexOf('\n', i + 1)) line++;
  return line;
}

describe('scan corpus generator', () => {
  it('writes labels.json that round-trips, with every label pointing at its planted value', () => {
    const dir = freshDir();
    const { files, labels } = generate(dir);
    const stored = JSON.parse(readFileSync(join(dir, 'labels.json'), 'utf8')) as {
      files: string[];
      labels: CorpusLabel[];
    };
    expect(stored.files).toEqual(files);
    expect(stored.labels).toEqual(labels);
    expect(labels.length).toBeGreaterThan(100);
    const categories = new Set(labels.map((l) => l.category));
    for (const c of Object.keys(RULES_BY_CATEGORY)) expect(categories.has(c), c).toBe(true);
    for (const label of labels) {
      const lines = readFileSync(join(dir, label.file), 'utf8').split('\n');
      const span = lines.slice(label.line - 1, label.endLine).join('\n');
      expect(label.endLine).toBeGreaterThanOrEqual(label.line);
      expect(span.trim().length, `${label.file}:${label.line}`).toBeGreaterThan(0);
      expect(span.includes(label.needle), `${label.file}:${label.line} ${label.kind}`).toBe(true);
    }
  });

  it('is deterministic for a seed and varies across seeds', () => {
    const a = generate(freshDir(), 11);
    const b = generate(freshDir(), 11);
    const c = generate(freshDir(), 12);
    expect(b.labels).toEqual(a.labels);
    expect(c.labels.map((l) => l.needle)).not.toEqual(a.labels.map((l) => l.needle));
  });

  it('meets the accuracy targets on the realistic files with the rules alone', () => {
    const dir = freshDir();
    const { files, labels } = generate(dir, 3);
    let tp = 0;
    let fp = 0;
    let found = 0;
    let total = 0;
    for (const file of files.filter((f) => !f.startsWith('rule-examples/'))) {
      const text = readFileSync(join(dir, file), 'utf8');
      const lower = text.toLowerCase();
      const spans = labels.filter((l) => l.file === file);
      const selected = ALL_RULES.filter(
        (r) =>
          (r.paths === undefined || r.paths.test(file)) &&
          (r.keywords.some((k) => lower.includes(k)) || (r.paths !== undefined && r.keywords.length === 0)),
      );
      const lines = selected.flatMap((r) => matchRule(r, text, file).map((h) => lineOf(text, h.index)));
      for (const line of lines) spans.some((l) => line >= l.line && line <= l.endLine) ? tp++ : fp++;
      for (const l of spans) {
        total++;
        if (lines.some((line) => line >= l.line && line <= l.endLine)) found++;
      }
    }
    expect(tp / (tp + fp)).toBeGreaterThanOrEqual(0.97);
    expect(found / total).toBeGreaterThanOrEqual(0.95);
  });
});
