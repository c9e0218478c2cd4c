import { describe, expect, it } from 'vitest';
import { scanText } from '../src/scan/engine/scan-text.js';
import { scanWindows } from '../src/scan/engine/scan-windows.js';
import { redactStream } from '../src/scan/redact.js';
import { ALL_RULES } from '../src/scan/rules/index.js';
import type { Rule } from '../src/scan/rules/rule.js';
import { runScan } from '../src/scan/run-scan.js';
import type { ScanSource } from '../src/scan/sources/source.js';

const AWS = 'AKIAZ4XQ7RZ2LMNBVC3D';

/** A rule that records the size of the line context each candidate's validator is given. */
function probeRule(seen: number[]): Rule {
  return {
    id: 'probe-token',
    title: 'probe',
    severity: 'low',
    keywords: ['probe_'],
    pattern: /probe_(?<secret>[a-z0-9]{8})/,
    validate: ({ line }) => {
      seen.push(line.length);
      return true;
    },
    examples: [],
    falsePositives: [],
  };
}

describe('engine: linear in line length', () => {
  it('hands validators a bounded slice of a huge line, not the whole line per candidate', () => {
    const seen: number[] = [];
    const line = Array.from({ length: 20_000 }, (_, i) => `probe_${String(i).padStart(8, 'a')} `).join('');
    const found = scanText(line, { path: 'one-line.txt', rules: [probeRule(seen)] });
    expect(found.length).toBeGreaterThan(15_000);
    expect(seen).toHaveLength(20_000);
    // Before the fix every candidate got the whole 300 KB line (quadratic); now at most 2 x 2,048 characters.
    expect(Math.max(...seen)).toBeLessThanOrEqual(4096);
    expect(line.length).toBeGreaterThan(100_000);
  });

  it('keeps an allow comment working on a long line (the line is searched for it once)', () => {
    const line = `${'x'.repeat(50_000)} key=${AWS} # hush:allow aws-access-key-id`;
    expect(scanText(line, { path: 'a.txt' })).toEqual([]);
    expect(scanText(line.replace('hush:allow', 'note'), { path: 'a.txt' })).toHaveLength(1);
  });
});

describe('engine: the time budget reaches inside one file', () => {
  it('stops in the middle of a single large unit and reports the scan as timed out', async () => {
    const text = Array.from({ length: 5_000 }, (_, i) => `k${i}=${AWS}`).join('\n');
    const source: ScanSource = {
      async *units() {
        yield { path: 'huge.env', text, bytes: text.length };
      },
    };
    // An injected clock: every reading is one millisecond later. The check before the unit passes; only a check
    // inside the file can notice the budget ran out.
    let t = 0;
    const result = await runScan([source], { rules: ALL_RULES, timeBudgetMs: 5, now: () => t++ });
    expect(result.timedOut).toBe(true);
    expect(result.units).toBe(0);
    const full = await runScan([source], { rules: ALL_RULES });
    expect(full.timedOut).toBe(false);
    expect(full.findings.length).toBeGreaterThan(0);
  });
});

describe('engine: windows inside one long line', () => {
  it('finds a secret straddling a window edge once, at its true column', async () => {
    const windowSize = 64 << 10;
    // Put the key across the first cut (the window is cut at windowSize when the line has no newline).
    const at = windowSize - 7;
    const line = `${'a '.repeat(at >> 1)}${at % 2 ? ' ' : ''}${AWS} ${'b '.repeat(100_000)}`;
    expect(line.indexOf(AWS)).toBe(at);
    const chunks: string[] = [];
    for (let i = 0; i < line.length; i += 10_000) chunks.push(line.slice(i, i + 10_000));
    const out = [];
    for await (const f of scanWindows(chunks, { path: 'min.js', windowSize, overlap: 8 << 10 })) out.push(f);
    expect(out.map((f) => [f.ruleId, f.line, f.column, f.secret])).toEqual([
      ['aws-access-key-id', 1, at + 1, AWS],
    ]);
  });

  it('reports a secret far into a long line at its true column (windows after the first count on)', async () => {
    const at = 500_003;
    const line = `${'z'.repeat(at)} ${AWS}`;
    const out = [];
    for await (const f of scanWindows([line], { path: 'min.js', windowSize: 64 << 10 })) out.push(f);
    expect(out.map((f) => f.column)).toEqual([at + 2]);
  });
});

describe('redact: long lines', () => {
  const collect = async (chunks: string[], window?: { windowSize: number; overlap: number }) => {
    let out = '';
    async function* input() {
      yield* chunks;
    }
    await redactStream(
      input(),
      (s) => {
        out += s;
      },
      undefined,
      window,
    );
    return out;
  };

  it('masks a password in a 10,000-character line', async () => {
    const line = `${'x'.repeat(9_950)} password="Xk9pQ2vLmN8rT4wZ" tail\n`;
    const out = await collect([line]);
    expect(out).not.toContain('Xk9pQ2vLmN8rT4wZ');
    expect(out).toContain('password="[REDACTED:');
    expect(out.endsWith(' tail\n')).toBe(true);
  });

  it('masks every secret of a line cut into windows, also one straddling a window edge, and keeps the rest', async () => {
    const windowSize = 4096;
    const overlap = 1024;
    const parts: string[] = [];
    // Keys at many offsets, so some straddle every kind of edge; everything else must come through byte for byte.
    for (let i = 0; i < 200; i++) parts.push(`${'q'.repeat(37 + (i % 53))} ${AWS} `);
    const line = parts.join('');
    const chunks: string[] = [];
    for (let i = 0; i < line.length; i += 999) chunks.push(line.slice(i, i + 999));
    const out = await collect(chunks, { windowSize, overlap });
    expect(out).not.toContain('AKIA');
    expect(out).toBe(line.split(AWS).join('[REDACTED:aws-access-key-id]'));
  });
});
