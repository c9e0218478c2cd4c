import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { checkRegex } from '../src/scan/config/regex-safety.js';
import { parseScanConfig } from '../src/scan/config/scan-config.js';
import { put, tempDir } from './scan-support/git-repo.js';
import { REPO_ROOT as ROOT } from './support/compiled.js';
import { assertCompiledCli, hush } from './support/run-hush.js';

const AWS = 'AKIAZ4XQ7RZ2LMNBVC3D';

describe('custom rule regexes', () => {
  it('refuses exponential shapes and backreferences; bounds repetition for repository rules', () => {
    for (const bad of ['(a+)+$', '(a|a)*b', '(?:x[0-9]*)+y', '((a|b))+', '(a)\\1', '(?<n>a)\\k<n>']) {
      expect(checkRegex(bad), bad).toHaveProperty('error');
    }
    expect(checkRegex('acme_[a-z]+x*', 256)).toEqual({ pattern: 'acme_[a-z]{1,256}x{0,256}' });
    expect(checkRegex('k{2,}?v{3,9}w{400,}', 256)).toEqual({ pattern: 'k{2,256}?v{3,9}w{400,400}' });
    expect(checkRegex('acme_[a-z]+', undefined)).toEqual({ pattern: 'acme_[a-z]+' });
    // Escapes and classes are not mistaken for groups or quantifiers.
    expect(checkRegex('\\(a+\\)+[(+]\\p{L}{2}(?:ab)?(?<secret>[^)]{4})', 256)).toEqual({
      pattern: '\\(a{1,256}\\){1,256}[(+]\\p{L}{2}(?:ab)?(?<secret>[^)]{4})',
    });
  });

  it('a repository config may add rules and excludes, not disable built-in rules or exclude everything', () => {
    const text =
      'rules:\n  - {id: acme, title: A, regex: "acme_[a-z]+"}\nexclude: ["**", "*.log"]\ndisable: [aws-access-key-id]\n';
    const repo = parseScanConfig(text, 'r.yaml', 'repository');
    expect(repo.disable).toEqual([]);
    expect(repo.exclude).toEqual(['*.log']);
    expect(repo.rules[0]?.pattern.source).toBe('acme_[a-z]{1,256}');
    expect(repo.refused).toEqual([
      expect.stringMatching(/exclude "\*\*" ignored/),
      expect.stringMatching(/disable ignored \(aws-access-key-id\).*--trust-repo-config/),
    ]);
    // Excludes that each skip some files but together skip every file are a catch-all too.
    const split = parseScanConfig('exclude: [".*", "[!.]*"]\n', 'r.yaml', 'repository');
    expect(split.exclude).toEqual([]);
    expect(split.refused).toEqual([expect.stringMatching(/together they would skip every file/)]);
    const trusted = parseScanConfig(text, 'r.yaml', 'trusted-repository');
    expect(trusted.disable).toEqual(['aws-access-key-id']);
    expect(trusted.refused).toEqual([]);
    const many = `rules:\n${Array.from({ length: 51 }, (_, i) => `  - {id: r${i}, title: R, regex: "r${i}"}`).join('\n')}\n`;
    expect(() => parseScanConfig(many, 'r.yaml', 'repository')).toThrow(
      /51 rules; a repository config allows 50/,
    );
    expect(() => parseScanConfig(many, 'o.yaml', 'operator')).not.toThrow();
  });
});

describe('hush scan: the scanned repository config is not trusted', () => {
  beforeAll(() => assertCompiledCli());

  it('cannot disable a built-in rule or exclude everything; the report names the config and what was ignored', () => {
    const dir = tempDir();
    put(dir, 'app.env', `k=${AWS}\n`);
    put(dir, '.hush-scan.yaml', 'exclude: ["*"]\ndisable: [aws-access-key-id]\n');
    const human = hush(['scan', dir]);
    expect(human.code).toBe(1);
    expect(human.stderr).toContain(
      `config: ${dir}/.hush-scan.yaml (the scanned repository's config, limited`,
    );
    expect(human.stderr).toMatch(/warning: .*\.hush-scan\.yaml: disable ignored \(aws-access-key-id\)/);
    const json = JSON.parse(hush(['scan', dir, '--format', 'json']).stdout) as {
      config: { path: string; trust: string; disable: string[] };
      warnings: { message: string }[];
    };
    expect(json.config).toMatchObject({ path: `${dir}/.hush-scan.yaml`, trust: 'repository', disable: [] });
    expect(json.warnings.map((w) => w.message)).toEqual([
      expect.stringMatching(/exclude "\*" ignored/),
      expect.stringMatching(/disable ignored/),
    ]);
    // The operator may trust it.
    const trusted = hush(['scan', dir, '--trust-repo-config', '--format', 'json']);
    expect(trusted.code).toBe(0);
    expect(JSON.parse(trusted.stdout).config).toMatchObject({ trust: 'trusted-repository' });
    // Without a config the report says so.
    const plain = tempDir();
    put(plain, 'a.txt', 'x\n');
    expect(hush(['scan', plain]).stderr).toMatch(/config: none/);
    expect(JSON.parse(hush(['scan', plain, '--format', 'json']).stdout).config).toBeNull();
  });

  it('a catastrophic regex is refused with a clear error instead of hanging the scan', () => {
    const dir = tempDir();
    put(dir, 'a.txt', `${'a'.repeat(40)}!\n`);
    put(dir, '.hush-scan.yaml', 'rules:\n  - {id: slow, title: S, regex: "(a+)+$"}\n');
    // A liveness bound only: the refused config exits at once; without the check the match never ends.
    const r = spawnSync(process.execPath, [resolve(ROOT, 'bin/hush.js'), 'scan', '.'], {
      cwd: dir,
      encoding: 'utf8',
      timeout: 120_000,
      env: { ...process.env, GIT_CONFIG_GLOBAL: '/dev/null' },
    });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(
      /rule "slow" is refused: a repeated group holds a quantifier .*\[HUSH_E_CONFIG\]/,
    );
  });

  it('a polynomial regex on a long line is stopped, named, and the scan exits 2 (not clean)', () => {
    const dir = tempDir();
    // `\w*\w*\w*\w*\w*=` passes every syntactic check and, on a long word with no `=`, backtracks for hours.
    put(dir, 'a.txt', `${'a'.repeat(30_000)}\nacme_${'q'.repeat(12)}\n`);
    put(
      dir,
      '.hush-scan.yaml',
      [
        'rules:',
        '  - {id: slow-rule, title: S, regex: "\\\\w*\\\\w*\\\\w*\\\\w*\\\\w*="}',
        '  - {id: acme, title: A, regex: "acme_[a-z]+", keywords: [acme_]}',
        '',
      ].join('\n'),
    );
    // A liveness bound only (the child must finish); without the sandbox it runs for hours.
    const run = (extra: string[]) =>
      spawnSync(process.execPath, [resolve(ROOT, 'bin/hush.js'), 'scan', '.', ...extra], {
        cwd: dir,
        encoding: 'utf8',
        timeout: 300_000,
        env: { ...process.env, GIT_CONFIG_GLOBAL: '/dev/null' },
      });
    const r = run([]);
    expect(r.error).toBeUndefined();
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(
      /warning: .*\.hush-scan\.yaml: rule "slow-rule" was stopped: its regex ran past its time budget/,
    );
    expect(r.stderr).toMatch(/hush: 1 rule\(s\) of the repository's scan config were stopped/);
    // The other repository rule still ran, and --on-timeout pass reports by the findings.
    expect(r.stdout).toMatch(/a\.txt:2:1 .*\(acme\)/);
    const passed = run(['--on-timeout', 'pass', '--format', 'json']);
    expect(passed.status).toBe(1);
    const json = JSON.parse(passed.stdout) as { warnings: { message: string }[] };
    expect(json.warnings.map((w) => w.message)).toEqual([
      expect.stringMatching(/rule "slow-rule" was stopped/),
    ]);
  }, 600_000);
});
