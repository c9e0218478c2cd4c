import { readFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { rotationBenches } from '../../test/support/rotation-bench.js';
import { listKeys } from '../store/keys/list-keys.js';
import { rotationJob } from './rotation-job.js';

const bench = rotationBenches();
const actor = 'user:test';
const P = 'app/prod/api-key';
const DAY = 86_400_000;

/** A node one-liner as a hook argv (a real child process, no shell). */
function nodeHook(script: string): { command: string[] } {
  return { command: [process.execPath, '-e', script] };
}

describe('rotation policies', () => {
  it('sets, reads, lists and deletes policies; records are encrypted at rest', async () => {
    const b = await bench();
    const set = await b.rotation.setPolicy(
      {
        path: P,
        interval: '30d',
        generator: { kind: 'api-key', options: { prefix: 'acme' } },
        hook: nodeHook('0'),
      },
      actor,
    );
    expect(set).toMatchObject({
      kind: 'path',
      target: P,
      intervalMs: 30 * DAY,
      rotator: 'generate',
      onDeploy: false,
    });
    await b.rotation.setPolicy({ prefix: 'app/staging/', interval: '12h', onDeploy: true }, actor);
    expect((await b.rotation.listPolicies()).map((p) => `${p.kind}:${p.target}`)).toEqual([
      `path:${P}`,
      'prefix:app/staging',
    ]);
    expect(await b.rotation.getPolicy('prefix', 'app/staging')).toMatchObject({ intervalMs: 12 * 3_600_000 });
    for await (const key of listKeys(b.store.readBackend, 'rotation/')) {
      const raw = (await b.store.readBackend.get(key))!.value.toString('latin1');
      expect(raw).not.toContain('acme');
      expect(raw).not.toContain('12h');
    }
    await b.rotation.deletePolicy('prefix', 'app/staging/');
    await expect(b.rotation.getPolicy('prefix', 'app/staging')).rejects.toMatchObject({
      code: 'HUSH_E_NOT_FOUND',
    });
    await expect(b.rotation.deletePolicy('prefix', 'app/staging')).rejects.toMatchObject({
      code: 'HUSH_E_NOT_FOUND',
    });
  });

  it('rejects bad policies with coded one-line errors', async () => {
    const b = await bench();
    const bad = [
      [{ interval: '30d' }, /exactly one of path or prefix/],
      [{ path: P, interval: 'monthly' }, /interval must be/],
      [{ path: P, interval: '1d', generator: { kind: 'password', options: { length: 2 } } }, /length|2/],
      [{ path: P, interval: '1d', hook: { url: 'http://example.com/x' } }, /https/],
      [{ path: P, interval: '1d', rotator: 'postgres-role' }, /connection/],
      [{ path: P, interval: '1d', surprise: 1 }, /surprise|Unrecognized/],
    ] as const;
    for (const [input, message] of bad) {
      const err = await b.rotation.setPolicy(input, actor).catch((e: unknown) => e);
      expect(err).toMatchObject({ code: 'HUSH_E_INVALID_INPUT' });
      expect((err as Error).message).toMatch(message);
    }
  });
});

describe('rotate now', () => {
  it('generates, stages and promotes: previous keeps the old value, audit has no value', async () => {
    const b = await bench();
    await b.store.put(P, 'acme_old', { actor });
    await b.rotation.setPolicy(
      { path: P, interval: '30d', generator: { kind: 'api-key', options: { prefix: 'acme' } } },
      actor,
    );
    const result = await b.rotation.rotate(P, { actor });
    expect(result).toMatchObject({ outcome: 'rotated', version: 2, previousVersion: 1, trigger: 'manual' });
    const now = await b.store.get(P);
    expect(now.version).toBe(2);
    expect(now.value).toMatch(/^acme_/);
    expect((await b.store.get(P, { label: 'previous' })).value).toBe('acme_old');
    expect((await b.store.versions(P)).labels).toEqual({ current: 2, previous: 1 });
    expect(b.audit).toHaveLength(1);
    expect(b.audit[0]).toMatchObject({ operation: 'secret.rotate', outcome: 'allowed', path: P });
    expect(JSON.stringify(b.audit)).not.toContain(now.value as string);
    const [status] = await b.rotation.status();
    expect(status).toMatchObject({ path: P, due: false, last: { outcome: 'rotated', version: 2 } });
    expect(status?.nextDueAt).toBe(new Date(b.now.getTime() + 30 * DAY).toISOString());
  });

  it('needs a covering policy', async () => {
    const b = await bench();
    await expect(b.rotation.rotate(P, { actor })).rejects.toMatchObject({ code: 'HUSH_E_NOT_FOUND' });
  });

  it('a command hook gets the new value on stdin and runs before promotion', async () => {
    const b = await bench();
    const out = join(b.dir, 'hook-saw.txt');
    const script = `let s='';process.stdin.on('data',d=>s+=d).on('end',()=>require('fs').writeFileSync(${JSON.stringify(out)},process.env.HUSH_ROTATION_VERSION+':'+s+':'+(process.env.HUSH_TOKEN??'no-token')))`;
    await b.rotation.setPolicy({ path: P, interval: '1d', hook: nodeHook(script) }, actor);
    process.env['HUSH_TOKEN'] = 'hush_must_not_reach_hooks'; // a server's own token stays out of hook environments
    let result: Awaited<ReturnType<typeof b.rotation.rotate>>;
    try {
      result = await b.rotation.rotate(P, { actor });
    } finally {
      delete process.env['HUSH_TOKEN'];
    }
    expect(result.outcome).toBe('rotated');
    const read = await b.store.get(P);
    expect(await readFile(out, 'utf8')).toBe(`${read.version}:${read.value as string}:no-token`);
  });

  it('a failing hook leaves current untouched, cancels pending, records and alerts the failure', async () => {
    const b = await bench();
    await b.store.put(P, 'keep-me', { actor });
    await b.rotation.setPolicy({ path: P, interval: '1d', hook: nodeHook('process.exit(3)') }, actor);
    const result = await b.rotation.rotate(P, { actor });
    expect(result).toMatchObject({ outcome: 'failed', code: 'HUSH_E_ROTATION_FAILED', version: 2 });
    expect(result.message).toMatch(/exited with code 3/);
    expect((await b.store.get(P)).value).toBe('keep-me');
    expect((await b.store.versions(P)).labels).toEqual({ current: 1 });
    await expect(b.store.get(P, { label: 'pending' })).rejects.toMatchObject({ code: 'HUSH_E_NOT_FOUND' });
    expect(b.audit[0]).toMatchObject({ outcome: 'error', errorCode: 'HUSH_E_ROTATION_FAILED', path: P });
    expect(b.alerts).toEqual([
      expect.objectContaining({ path: P, version: 2, code: 'HUSH_E_ROTATION_FAILED' }),
    ]);
    const [status] = await b.rotation.status();
    expect(status?.last).toMatchObject({ outcome: 'failed', code: 'HUSH_E_ROTATION_FAILED' });
  });

  it('a URL hook is POSTed the path and version, never the value; a non-2xx answer fails the rotation', async () => {
    const b = await bench();
    const bodies: string[] = [];
    let status = 204;
    const server = createServer((req, res) => {
      let body = '';
      req
        .on('data', (d) => (body += d))
        .on('end', () => {
          bodies.push(body);
          res.writeHead(status).end();
        });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/rotated`;
      await b.rotation.setPolicy({ path: P, interval: '1d', hook: { url } }, actor);
      expect((await b.rotation.rotate(P, { actor })).outcome).toBe('rotated');
      const value = (await b.store.get(P)).value as string;
      expect(JSON.parse(bodies[0]!)).toEqual({ path: P, version: 1 });
      expect(bodies[0]).not.toContain(value);
      status = 500;
      const failed = await b.rotation.rotate(P, { actor });
      expect(failed).toMatchObject({ outcome: 'failed', message: expect.stringMatching(/answered 500/) });
      expect((await b.store.get(P)).value).toBe(value);
    } finally {
      server.close();
    }
  });
});

describe('scheduler and on-deploy', () => {
  it('rotationJob rotates exactly the due secrets, and a second pass does nothing', async () => {
    const b = await bench();
    await b.store.put('app/prod/a', 'a', { actor });
    await b.store.put('app/prod/b', 'b', { actor });
    await b.store.put('app/prod/c', 'c', { actor });
    await b.store.put('other/prod/d', 'd', { actor });
    await b.rotation.setPolicy({ prefix: 'app/prod', interval: '10d' }, actor);
    await b.rotation.setPolicy({ path: 'app/prod/c', interval: '30d' }, actor);
    b.now = new Date(b.now.getTime() + 11 * DAY); // a and b due (10d), c not (30d), d has no policy
    const job = rotationJob({ rotation: b.rotation });
    await job.run(new AbortController().signal);
    const versions = async (p: string) => (await b.store.versions(p)).labels?.current ?? 1;
    expect([
      await versions('app/prod/a'),
      await versions('app/prod/b'),
      await versions('app/prod/c'),
    ]).toEqual([2, 2, 1]);
    expect(await versions('other/prod/d')).toBe(1);
    expect(b.audit.map((e) => [e.path, e.details?.['trigger']])).toEqual([
      ['app/prod/a', 'scheduled'],
      ['app/prod/b', 'scheduled'],
    ]);
    await job.run(new AbortController().signal);
    expect(b.audit).toHaveLength(2);
    b.now = new Date(b.now.getTime() + 20 * DAY);
    await job.run(new AbortController().signal);
    expect(b.audit.map((e) => e.path).slice(2)).toEqual(['app/prod/a', 'app/prod/b', 'app/prod/c']);
  });

  it('on-deploy rotates due or flagged secrets whose policy opts in, and reports failures', async () => {
    const b = await bench();
    await b.store.put('svc/prod/x', 'x', { actor });
    await b.store.put('svc/prod/y', 'y', { actor });
    await b.store.put('svc/prod/z', 'z', { actor });
    await b.rotation.setPolicy({ path: 'svc/prod/x', interval: '30d', onDeploy: true }, actor);
    await b.rotation.setPolicy(
      { path: 'svc/prod/y', interval: '30d', onDeploy: true, hook: nodeHook('process.exit(1)') },
      actor,
    );
    await b.rotation.setPolicy({ path: 'svc/prod/z', interval: '30d' }, actor);
    expect((await b.rotation.onDeploy({ actor })).results).toEqual([]); // nothing due or flagged
    await b.rotation.flag('svc/prod/x');
    await b.rotation.flag('svc/prod/y');
    await b.rotation.flag('svc/prod/z'); // flagged, but its policy does not opt in
    const report = await b.rotation.onDeploy({ actor, prefix: 'svc/prod' });
    expect(report).toMatchObject({ rotated: 1, failed: 1 });
    expect(report.results.map((r) => [r.path, r.outcome])).toEqual([
      ['svc/prod/x', 'rotated'],
      ['svc/prod/y', 'failed'],
    ]);
    expect((await b.store.get('svc/prod/y')).value).toBe('y');
    expect((await b.store.get('svc/prod/z')).value).toBe('z');
    const again = await b.rotation.onDeploy({ actor });
    expect(again.results.map((r) => r.path)).toEqual(['svc/prod/y']); // still flagged after its failure
  });
});
