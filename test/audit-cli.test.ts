import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadOrCreateAuditKey } from '../src/audit/audit-key-file.js';
import { createAuditLog, createJsonlFileSink } from '../src/audit/index.js';
import type { AuditRecord } from '../src/core/audit/audit-record.js';
import { hmacField } from '../src/core/audit/hmac-field.js';
import { cli, type RealServer, startRealServer } from './audit-cli-support.js';
import { makeTempDir, removeTempDir } from './support/temp-dir.js';

let dir: string;
let srv: RealServer;
let root: string;
let reader: string;
const VALUE = 'audit-cli-secret-value-41';

async function call(method: string, path: string, token: string | undefined, body?: unknown) {
  const headers: Record<string, string> = {};
  if (token) headers['x-hush-token'] = token;
  if (body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(srv.url + path, {
    method,
    headers,
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: res.status, json: (await res.json()) as Record<string, unknown> };
}

const lines = (file: string) => readFileSync(file, 'utf8').split('\n').filter(Boolean);
const records = (): AuditRecord[] => lines(join(dir, 'audit.jsonl')).map((l) => JSON.parse(l) as AuditRecord);

beforeAll(async () => {
  dir = await makeTempDir('audit-cli');
  srv = await startRealServer(dir);
  root = srv.rootToken ?? '';
  expect(root).toMatch(/^hush_s_/);
  await call('PUT', '/v1/sys/policies/app-read', root, {
    rules: [{ path: 'app/**', capabilities: ['read'] }],
  }).then((r) => expect(r.status).toBe(200));
  const created = await call('POST', '/v1/auth/token/create', root, { policies: ['app-read'] });
  reader = String(created.json['token']);
  expect((await call('PUT', '/v1/secrets/app/prod/db', root, { value: VALUE })).status).toBe(200);
  expect((await call('GET', '/v1/secrets/app/prod/db', reader)).status).toBe(200);
  expect((await call('PUT', '/v1/secrets/app/prod/db', reader, { value: 'x' })).status).toBe(403);
  expect((await call('GET', '/v1/secrets/other/prod/x', undefined)).status).toBe(401);
});
afterAll(async () => {
  await srv?.shutdown();
  await removeTempDir(dir);
});

describe('hush audit verify (records written by a real server)', () => {
  it('prints OK with the count and head, in text and JSON', async () => {
    const all = records();
    const last = all.at(-1)!;
    const ok = await cli(['audit', 'verify', '--data-dir', dir]);
    expect(ok.code).toBe(0);
    expect(ok.stdout).toContain(`OK: ${all.length} records verified`);
    expect(ok.stdout).toContain(`head ${last.seq}:${last.hash}`);
    const json = await cli(['audit', 'verify', '--dir', join(dir, 'audit.jsonl'), '--json']);
    expect(JSON.parse(json.stdout)).toMatchObject({
      ok: true,
      checked: all.length,
      head: { seq: last.seq, hash: last.hash },
      fileName: 'audit.jsonl',
    });
  });

  it('names the edited, deleted, reordered and malformed line and exits 7', async () => {
    const cases: [string, (l: string[]) => string[], RegExp][] = [
      [
        'edited',
        (l) => l.map((x, i) => (i === 2 ? x.replace('"requestId":"', '"requestId":"x') : x)),
        /audit chain broken \(edited\) at audit\.jsonl:3, seq 3: audit\.jsonl:3 \(seq 3\) was edited/,
      ],
      [
        'deleted',
        (l) => l.filter((_, i) => i !== 1),
        /broken \(deleted\) at audit\.jsonl:2, seq 3: record seq 2 is missing/,
      ],
      [
        'reordered',
        (l) => [l[0]!, l[2]!, l[1]!, ...l.slice(3)],
        /broken \(reordered\) at audit\.jsonl:2, seq 3: record seq 3 at audit\.jsonl:2 comes before seq 2/,
      ],
      [
        'inserted',
        (l) => [...l.slice(0, 3), l[1]!, ...l.slice(3)],
        /broken \(inserted\) at audit\.jsonl:4, seq 2/,
      ],
      [
        'malformed',
        (l) => [...l.slice(0, 4), '{"seq":5,', ...l.slice(5)],
        /broken \(malformed\) at audit\.jsonl:5/,
      ],
    ];
    for (const [kind, tamper, message] of cases) {
      const copy = await makeTempDir('audit-tamper');
      try {
        writeFileSync(join(copy, 'audit.jsonl'), `${tamper(lines(join(dir, 'audit.jsonl'))).join('\n')}\n`);
        const run = await cli(['audit', 'verify', '--dir', copy]);
        expect([kind, run.code]).toEqual([kind, 7]);
        expect(run.stderr).toMatch(message);
        expect(run.stderr).toContain('[HUSH_E_INTEGRITY]');
        const json = await cli(['audit', 'verify', '--dir', copy, '--json']);
        expect(json.code).toBe(7);
        expect(JSON.parse(json.stdout).problem.kind).toBe(kind);
        expect(JSON.parse(json.stderr).error.code).toBe('HUSH_E_INTEGRITY');
      } finally {
        await removeTempDir(copy);
      }
    }
  });

  it('--expect-head catches records cut off the end (SEQ:HASH and plain HASH)', async () => {
    const all = records();
    const head = all.at(-1)!;
    const copy = await makeTempDir('audit-trunc');
    try {
      cpSync(join(dir, 'audit.jsonl'), join(copy, 'audit.jsonl'));
      expect(
        (await cli(['audit', 'verify', '--dir', copy, '--expect-head', `${head.seq}:${head.hash}`])).code,
      ).toBe(0);
      expect((await cli(['audit', 'verify', '--dir', copy, '--expect-head', head.hash])).code).toBe(0);
      // An older head is fine too: the log has grown past it.
      expect((await cli(['audit', 'verify', '--dir', copy, '--expect-head', all[1]!.hash])).code).toBe(0);
      writeFileSync(
        join(copy, 'audit.jsonl'),
        `${lines(join(dir, 'audit.jsonl')).slice(0, -2).join('\n')}\n`,
      );
      expect((await cli(['audit', 'verify', '--dir', copy])).code).toBe(0); // undetectable without a head
      const cut = await cli(['audit', 'verify', '--dir', copy, '--expect-head', `${head.seq}:${head.hash}`]);
      expect(cut.code).toBe(7);
      expect(cut.stderr).toMatch(
        `the log ends at seq ${head.seq - 2} but seq ${head.seq} was recorded earlier`,
      );
      const plain = await cli(['audit', 'verify', '--dir', copy, '--expect-head', head.hash]);
      expect(plain.code).toBe(7);
      expect(plain.stderr).toMatch(/no record has the head hash noted earlier/);
      const bad = await cli(['audit', 'verify', '--dir', copy, '--expect-head', 'nope']);
      expect([bad.code, bad.stderr]).toEqual([2, expect.stringMatching(/--expect-head must be SEQ:HASH/)]);
    } finally {
      await removeTempDir(copy);
    }
  });

  it('a directory without audit files is a coded error naming it', async () => {
    const empty = await makeTempDir('audit-empty');
    try {
      const run = await cli(['audit', 'verify', '--dir', empty]);
      expect(run.code).toBe(3);
      expect(run.stderr).toContain(`no audit files (audit.jsonl, audit.log, audit-local.jsonl) in ${empty}`);
    } finally {
      await removeTempDir(empty);
    }
  });
});

describe('hush audit search', () => {
  it('filters by outcome, path, identity, operation and time', async () => {
    // A write's `requested` record is paired with its outcome and shown once, as the outcome.
    const all = records().filter((r) => r.outcome !== 'requested');
    const json = async (...args: string[]) => {
      const run = await cli(['audit', 'search', '--data-dir', dir, '--json', ...args]);
      expect(run.code).toBe(0);
      return run.stdout
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l) as AuditRecord);
    };
    expect(await json()).toHaveLength(all.length);
    const denied = await json('--outcome', 'denied');
    expect(denied.map((r) => [r.operation, r.errorCode])).toEqual([
      ['secrets.write', 'HUSH_E_FORBIDDEN'],
      ['secrets.read', 'HUSH_E_UNAUTHENTICATED'],
    ]);
    expect((await json('--path', 'app/**')).map((r) => [r.operation, r.outcome])).toEqual([
      ['secrets.write', 'allowed'],
      ['secrets.read', 'allowed'],
      ['secrets.write', 'denied'],
    ]);
    expect(
      (await json('--identity', 'root', '--operation', 'secrets.write', '--outcome', 'allowed')).map(
        (r) => r.path,
      ),
    ).toEqual(['app/prod/db']);
    expect(await json('--since', '1h')).toHaveLength(all.length);
    expect(await json('--until', '2000-01-01T00:00:00Z')).toHaveLength(0);
    expect(await json('--since', new Date(Date.now() + 60_000).toISOString())).toHaveLength(0);
    const table = await cli(['audit', 'search', '--data-dir', dir, '--outcome', 'denied']);
    expect(table.stdout.split('\n')[0]).toMatch(
      /^TIME\s+SEQ\s+IDENTITY\s+OPERATION\s+PATH\s+OUTCOME\s+CODE$/,
    );
    expect(table.stdout).toContain('HUSH_E_UNAUTHENTICATED');
    const bad = await cli(['audit', 'search', '--data-dir', dir, '--outcome', 'maybe']);
    expect([bad.code, bad.stderr]).toEqual([
      2,
      expect.stringMatching(/--outcome must be allowed, denied, error, requested or unknown/),
    ]);
    const badTime = await cli(['audit', 'search', '--data-dir', dir, '--since', 'yesterday']);
    expect([badTime.code, badTime.stderr]).toEqual([
      2,
      expect.stringMatching(/--since must be an ISO-8601 time/),
    ]);
    const text = readFileSync(join(dir, 'audit.jsonl'), 'utf8');
    expect(text).not.toContain(VALUE);
    expect(text).not.toContain(root);
  });
});

describe('hush audit verify and search across rotated files (createAuditLog)', () => {
  it('reads the rotation set oldest first and names the rotated file of a problem', async () => {
    const adir = await makeTempDir('audit-rotated');
    try {
      const hmacKey = await loadOrCreateAuditKey(join(adir, 'audit-hmac.key'));
      const log = await createAuditLog({
        sinks: [createJsonlFileSink({ dir: adir, maxBytes: 1200 })],
        hmacKey,
      });
      for (let i = 0; i < 12; i++) {
        await log.append({
          requestId: `r${i}`,
          operation: i % 2 ? 'secrets.read' : 'auth.login',
          outcome: i % 3 ? 'allowed' : 'denied',
          identity: `user:u${i % 2}`,
          path: i % 2 ? `pay/prod/k${i}` : null,
          details: { token: `tok-${i}` },
        });
      }
      await log.close();
      const ok = await cli(['audit', 'verify', '--dir', adir]);
      expect(ok.code).toBe(0);
      expect(ok.stdout).toContain('OK: 12 records verified');
      const found = await cli([
        'audit',
        'search',
        '--dir',
        adir,
        '--json',
        '--path',
        'pay/**',
        '--identity',
        'user:u1',
      ]);
      expect(found.stdout.split('\n').filter(Boolean)).toHaveLength(6);
      // Match an HMAC'd field: the value on stdin is not supported in-process, so --allow-argv here.
      const hash = await cli(['audit', 'hash', '--data-dir', adir, '--allow-argv', 'tok-5']);
      expect(hash.stdout.trim()).toBe(hmacField(hmacKey, 'tok-5'));
      const withIt = await cli(['audit', 'search', '--dir', adir, '--json', '--request-id', 'r5']);
      expect(JSON.parse(withIt.stdout).details.token).toBe(hash.stdout.trim());
      const refused = await cli(['audit', 'hash', '--data-dir', adir, 'tok-5']);
      expect([refused.code, refused.stderr]).toEqual([
        2,
        expect.stringMatching(/refusing to read the value from the command line/),
      ]);
      const rotated = join(adir, 'audit.log.1');
      const text = readFileSync(rotated, 'utf8').split('\n');
      text[1] = text[1]!.replace('"operation":"', '"operation":"x');
      writeFileSync(rotated, text.join('\n'));
      const broken = await cli(['audit', 'verify', '--dir', adir]);
      expect(broken.code).toBe(7);
      expect(broken.stderr).toMatch(/broken \(edited\) at audit\.log\.1:2/);
    } finally {
      await removeTempDir(adir);
    }
  });
});
