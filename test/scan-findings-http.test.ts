import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { api, useHushServer } from './support/hush-server.js';
import { runHush } from './support/run-hush.js';

const fx = useHushServer('scan-findings');
const FP = 'a'.repeat(64);

async function as(token: string, method: string, path: string, body?: unknown) {
  return api(fx.server, token, method, path, body);
}
async function tokenWith(name: string, rules: unknown[]): Promise<string> {
  expect((await as(fx.root, 'PUT', `/v1/sys/policies/${name}`, { name, rules })).status).toBeLessThan(300);
  const made = await as(fx.root, 'POST', '/v1/auth/token/create', { policies: [name], displayName: name });
  expect(made.status).toBe(200);
  return (made.json as { token: string }).token;
}

describe('scan findings (POST/GET /v1/scan/findings) against a real server', () => {
  it('stores a report of places and fingerprints, lists it newest first, and never takes a value', async () => {
    await as(fx.root, 'PUT', '/v1/secrets/app/prod/db-password', { value: 'stored-value-1' });
    const first = await as(fx.root, 'POST', '/v1/scan/findings', {
      source: 'repo:web',
      findings: [{ fingerprint: FP, rule: 'generic-password', file: 'config/.env', line: 3 }],
    });
    expect(first.status).toBe(201);
    const second = await as(fx.root, 'POST', '/v1/scan/findings', {
      findings: [
        {
          fingerprint: FP,
          rule: 'known-secret',
          file: 'app.env',
          line: 1,
          storedPath: 'app/prod/db-password',
        },
      ],
    });
    expect(second.status).toBe(201);
    const listed = await as(fx.root, 'GET', '/v1/scan/findings?limit=10');
    expect(listed.status).toBe(200);
    const reports = (listed.json as { reports: { findings: { storedPath?: string }[]; source?: string }[] })
      .reports;
    expect(reports.map((r) => r.findings[0]?.storedPath)).toEqual(['app/prod/db-password', undefined]);
    expect(reports[1]?.source).toBe('repo:web');

    const withValue = await as(fx.root, 'POST', '/v1/scan/findings', {
      findings: [{ fingerprint: FP, rule: 'r', file: 'f', line: 1, secret: 'hunter2' }],
    });
    expect(withValue.status).toBe(400);
    expect(withValue.text).not.toContain('hunter2');
  });

  it('a reporter may name only stored paths it may read; listing needs read on sys/scan/findings', async () => {
    const reporter = await tokenWith('findings-reporter', [
      { path: 'sys/scan/findings', capabilities: ['update'] },
    ]);
    const named = await as(reporter, 'POST', '/v1/scan/findings', {
      findings: [
        { fingerprint: FP, rule: 'known-secret', file: 'a', line: 1, storedPath: 'app/prod/db-password' },
      ],
    });
    expect(named.status).toBe(403);
    const plain = await as(reporter, 'POST', '/v1/scan/findings', {
      findings: [{ fingerprint: FP, rule: 'generic-password', file: 'a', line: 1 }],
    });
    expect(plain.status).toBe(201);
    expect((await as(reporter, 'GET', '/v1/scan/findings')).status).toBe(403);
  });

  it('a stored path must be a secret address (no glob, no dot segment), even for root', async () => {
    for (const storedPath of ['app/prod/**', 'app/../prod/db-password', 'app/prod/a b']) {
      const res = await as(fx.root, 'POST', '/v1/scan/findings', {
        findings: [{ fingerprint: FP, rule: 'known-secret', file: 'a', line: 1, storedPath }],
      });
      expect([storedPath, res.status]).toEqual([storedPath, 400]);
      expect((res.json as { error: { code: string } }).error.code).toBe('HUSH_E_INVALID_ADDRESS');
    }
  });

  it('a lister sees the stored path of a finding only when it may read that path', async () => {
    await as(fx.root, 'PUT', '/v1/secrets/hidden/prod/signing-key', { value: 'stored-value-2' });
    const posted = await as(fx.root, 'POST', '/v1/scan/findings', {
      source: 'repo:hidden',
      findings: [
        {
          fingerprint: FP,
          rule: 'known-secret',
          file: 'k.env',
          line: 2,
          storedPath: 'hidden/prod/signing-key',
        },
        { fingerprint: FP, rule: 'known-secret', file: 'a.env', line: 1, storedPath: 'app/prod/db-password' },
      ],
    });
    expect(posted.status).toBe(201);
    const lister = await tokenWith('findings-lister', [
      { path: 'sys/scan/findings', capabilities: ['read'] },
      { path: 'app/**', capabilities: ['read'] },
    ]);
    const listed = await as(lister, 'GET', '/v1/scan/findings?limit=1');
    expect(listed.status).toBe(200);
    expect(listed.text).not.toContain('hidden/prod/signing-key');
    const [report] = (listed.json as { reports: { findings: { storedPath?: string; file: string }[] }[] })
      .reports;
    expect(report?.findings).toEqual([
      expect.objectContaining({ file: 'k.env', line: 2 }),
      expect.objectContaining({ file: 'a.env', storedPath: 'app/prod/db-password' }),
    ]);
    expect(report?.findings[0]).not.toHaveProperty('storedPath');
  });

  it('hush scan --report stores the findings with the stored path a value matched, and no value', async () => {
    const value = 'Qv8ZpL2mX9rT4wK7nB3cF6hJ1sD5gY0e';
    await as(fx.root, 'PUT', '/v1/secrets/app/prod/api-key', { value });
    const dir = join(fx.dir, 'repo');
    await mkdir(dir, { recursive: true });
    await writeFile(join(dir, 'deploy.env'), `API_KEY=${value}\n`);
    const run = await runHush(['scan', '--report', 'repo:deploy', dir], {
      env: { HUSH_ADDR: fx.server.url, HUSH_TOKEN: fx.root },
    });
    expect(run.code, run.stderr).toBe(1);
    expect(run.stderr).toMatch(/stored \d+ finding\(s\) as report /);
    const listed = await as(fx.root, 'GET', '/v1/scan/findings?limit=1');
    expect(listed.text).not.toContain(value);
    const [report] = (
      listed.json as { reports: { source?: string; findings: { storedPath?: string; file: string }[] }[] }
    ).reports;
    expect(report?.source).toBe('repo:deploy');
    expect(report?.findings).toContainEqual(
      expect.objectContaining({ storedPath: 'app/prod/api-key', file: join(dir, 'deploy.env'), line: 1 }),
    );
  });

  it('hush scan --report without a server is a one-line usage error', async () => {
    const run = await runHush(['scan', '--report', '.'], { env: {} });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/--report stores the findings on a Hush server/);
  });
});
