import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildCli, hush, ROOT } from './scan-support/run-hush.js';

describe('hush scan on this repository', () => {
  beforeAll(() => buildCli(), 120_000);

  it('the tree is clean with the committed .hushignore and baseline (exit 0)', () => {
    const r = hush(['scan', '.', '--baseline', '.hush-baseline.json', '--format', 'json', '--no-archives']);
    const findings = (JSON.parse(r.stdout) as { findings: { path: string; line: number; ruleId: string }[] })
      .findings;
    expect(findings.map((f) => `${f.path}:${f.line} ${f.ruleId}`)).toEqual([]);
    expect(r.code).toBe(0);
  }, 120_000);

  it('the ignored fixtures do hold fake credentials (the check above can fail)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'hush-self-'));
    cpSync(join(ROOT, 'src/scan/rules'), dir, { recursive: true });
    const r = hush(['scan', dir, '--format', 'json']);
    rmSync(dir, { recursive: true, force: true });
    expect(r.code).toBe(1);
    expect((JSON.parse(r.stdout) as { findings: unknown[] }).findings.length).toBeGreaterThan(0);
  }, 120_000);
});
