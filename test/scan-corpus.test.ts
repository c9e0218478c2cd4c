import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { generateCorpus } from '../bench/scan-corpus/generate.js';
import { checksumSuffix } from '../src/scan/checksum/checksum-token.js';
import { scanText } from '../src/scan/engine/scan-text.js';
import { RULES_BY_CATEGORY, ruleCategory } from '../src/scan/rules/index.js';

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

interface Tally {
  tp: number;
  fp: number;
  found: number;
  labels: number;
}

/** Precision and recall of the real engine (scanText, full catalogue) on a generated labelled corpus. */
function measure(seed: number) {
  const dir = mkdtempSync(join(tmpdir(), 'hush-corpus-engine-'));
  dirs.push(dir);
  const { files, labels } = generateCorpus(dir, { seed, checksumSuffix, rulesByCategory: RULES_BY_CATEGORY });
  const total: Tally = { tp: 0, fp: 0, found: 0, labels: 0 };
  const byCat = new Map<string, Tally>();
  const cat = (c: string) => {
    const t = byCat.get(c) ?? { tp: 0, fp: 0, found: 0, labels: 0 };
    byCat.set(c, t);
    return t;
  };
  const misses: string[] = [];
  for (const file of files) {
    const findings = scanText(readFileSync(join(dir, file), 'utf8'), { path: file });
    const spans = labels.filter((l) => l.file === file);
    for (const f of findings) {
      const t = cat(ruleCategory(f.ruleId) ?? 'unknown');
      const hit = spans.some((l) => f.line >= l.line && f.line <= l.endLine);
      if (hit) {
        total.tp++;
        t.tp++;
      } else {
        total.fp++;
        t.fp++;
        misses.push(`FP ${file}:${f.line} ${f.ruleId}`);
      }
    }
    for (const l of spans) {
      const t = cat(l.category);
      total.labels++;
      t.labels++;
      if (findings.some((f) => f.line >= l.line && f.line <= l.endLine)) {
        total.found++;
        t.found++;
      } else misses.push(`FN ${file}:${l.line} ${l.kind}`);
    }
  }
  return { total, byCat, misses };
}

describe('accuracy of the real engine on the labelled corpus', () => {
  for (const seed of [3, 19]) {
    it(`seed ${seed}: precision >= 0.97 and recall >= 0.95 overall and per category`, () => {
      const { total, byCat, misses } = measure(seed);
      expect(total.labels).toBeGreaterThan(300);
      expect(total.tp / (total.tp + total.fp), misses.slice(0, 10).join('\n')).toBeGreaterThanOrEqual(0.97);
      expect(total.found / total.labels, misses.slice(0, 10).join('\n')).toBeGreaterThanOrEqual(0.95);
      for (const [c, t] of byCat) {
        if (t.tp + t.fp > 0) expect(t.tp / (t.tp + t.fp), `precision of ${c}`).toBeGreaterThanOrEqual(0.9);
        if (t.labels > 0) expect(t.found / t.labels, `recall of ${c}`).toBeGreaterThanOrEqual(0.9);
      }
    });
  }
});
