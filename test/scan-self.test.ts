import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { commit, newRepo } from './scan-support/git-repo.js';
import { REPO_ROOT as ROOT } from './support/compiled.js';
import { assertCompiledCli, hush } from './support/run-hush.js';

describe('hush scan on this repository', () => {
  beforeAll(() => assertCompiledCli(), 120_000);

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

  it('git modes apply the top .hushignore of the repository to history paths', () => {
    const repo = newRepo();
    // A fake key assembled at run time, so this test file itself holds no credential-shaped literal.
    const key = ['AKIA', 'Z4XQ7RZ2LQQQ2KQ5'].join('');
    commit(repo, 'fixture', { 'fixtures/aws.env': `aws_access_key_id = ${key}\n` });
    expect(hush(['scan', '--git', repo]).code).toBe(1);
    commit(repo, 'ignore fixtures', { '.hushignore': '# fake keys\nfixtures/\n' });
    const r = hush(['scan', '--git', repo]);
    expect(r.stdout).toBe('');
    expect(r.code).toBe(0);
    rmSync(repo, { recursive: true, force: true });
  }, 60_000);
});
