import { mkdir } from 'node:fs/promises';
import { userInfo } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditRecord } from '../src/core/audit/audit-record.js';
import { exitCodeFor } from '../src/core/errors/error-catalogue.js';
import { assertCompiledCli, hushIn, oneLineError } from './support/run-hush.js';
import { makeTempDir, removeTempDir } from './support/temp-dir.js';

// Issue 12.13: local CLI use writes the same hash-chained trail under the data directory.

let dir: string;
beforeAll(async () => {
  assertCompiledCli();
  dir = await makeTempDir('audit-local');
});
afterAll(() => removeTempDir(dir));

const records = (stdout: string): AuditRecord[] =>
  stdout
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as AuditRecord);

describe('local CLI use is audited', () => {
  it('put then get: `hush audit verify` passes and `hush audit search` shows both as local:<user>', async () => {
    const hush = hushIn(join(dir, 'one'));
    expect((await hush(['init'])).code).toBe(0);
    expect((await hush(['put', 'app/dev/db'], { input: 's3cr3t-value' })).code).toBe(0);
    const got = await hush(['get', 'app/dev/db']);
    expect([got.code, got.stdout]).toEqual([0, 's3cr3t-value\n']);
    const missing = await hush(['get', 'app/dev/none']);
    expect(missing.code).toBe(exitCodeFor('HUSH_E_NOT_FOUND'));

    const verify = await hush(['audit', 'verify', '--json']);
    expect(verify.code, verify.stderr).toBe(0);
    expect(JSON.parse(verify.stdout)).toMatchObject({ ok: true, checked: 4, fileName: 'audit-local.jsonl' });

    const search = await hush(['audit', 'search', '--json', '--path', 'app/**']);
    expect(search.code, search.stderr).toBe(0);
    const found = records(search.stdout);
    const who = `local:${userInfo().username}`;
    expect(found.map((r) => [r.operation, r.path, r.outcome, r.identity, r.errorCode])).toEqual([
      ['secrets.write', 'app/dev/db', 'allowed', who, null],
      ['secrets.read', 'app/dev/db', 'allowed', who, null],
      ['secrets.read', 'app/dev/none', 'error', who, 'HUSH_E_NOT_FOUND'],
    ]);
    // The write was recorded before it ran, and its outcome names that record.
    expect(found[0]?.details).toMatchObject({ requestSeq: 1 });
    // No value on the trail.
    expect(search.stdout).not.toContain('s3cr3t-value');
  });

  it('a trail that cannot be written refuses the command: no value printed, nothing written', async () => {
    const data = join(dir, 'refuse');
    const hush = hushIn(data);
    expect((await hush(['init'])).code).toBe(0);
    expect((await hush(['put', 'app/dev/k'], { input: 'first' })).code).toBe(0);
    // Something the trail cannot be appended to: the live file replaced by a directory.
    await removeTempDir(join(data, 'audit-local.jsonl'));
    await mkdir(join(data, 'audit-local.jsonl'));
    const get = await hush(['get', 'app/dev/k']);
    expect(get.code).toBe(exitCodeFor('HUSH_E_AUDIT_UNAVAILABLE'));
    expect(get.stdout).toBe('');
    expect(oneLineError(get)).toMatch(/HUSH_E_AUDIT_UNAVAILABLE/);
    const put = await hush(['put', 'app/dev/k'], { input: 'second' });
    expect(put.code).toBe(exitCodeFor('HUSH_E_AUDIT_UNAVAILABLE'));
    await removeTempDir(join(data, 'audit-local.jsonl'));
    expect((await hush(['get', 'app/dev/k'])).stdout).toBe('first\n');
  });

  it('concurrent CLI processes writing one trail keep one unbroken chain', async () => {
    const hush = hushIn(join(dir, 'many'));
    expect((await hush(['init'])).code).toBe(0);
    const writers = 8;
    const runs = await Promise.all(
      Array.from({ length: writers }, (_, i) => hush(['put', `app/dev/k${i}`], { input: `v${i}` })),
    );
    for (const run of runs) expect(run.code, run.stderr).toBe(0);
    const verify = await hush(['audit', 'verify', '--json']);
    expect(verify.code, verify.stdout + verify.stderr).toBe(0);
    expect(JSON.parse(verify.stdout)).toMatchObject({ ok: true, checked: writers * 2 });
    const writes = records(
      (await hush(['audit', 'search', '--json', '--operation', 'secrets.write'])).stdout,
    );
    expect(writes.map((r) => r.path).sort()).toEqual(
      Array.from({ length: writers }, (_, i) => `app/dev/k${i}`).sort(),
    );
  }, 120_000);
});
