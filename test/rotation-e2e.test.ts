import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeApiFixture } from './api-fixture.js';
import { assertCompiledCli, hushIn, oneLineError, runHush } from './support/run-hush.js';
import { makeTempDir, removeTempDir } from './support/temp-dir.js';

const failingHook = JSON.stringify([process.execPath, '-e', 'process.exit(4)']);

describe('hush rotate and get --label, local mode (real CLI child processes)', () => {
  let dir: string;
  let hush: ReturnType<typeof hushIn>;
  beforeAll(async () => {
    assertCompiledCli();
    dir = await makeTempDir('rotate-cli');
    hush = hushIn(dir);
    expect((await hush(['init'])).code).toBe(0);
  });
  afterAll(() => removeTempDir(dir));

  it('put --stage keeps serving current; get --label pending reads the staged value', async () => {
    expect((await hush(['put', 'app/prod/token'], { input: 'v1' })).code).toBe(0);
    const staged = await hush(['put', 'app/prod/token', '--stage'], { input: 'v2' });
    expect(staged.stdout).toContain('version 2 (pending)');
    expect((await hush(['get', 'app/prod/token'])).stdout.trimEnd()).toBe('v1');
    expect((await hush(['get', 'app/prod/token', '--label', 'pending'])).stdout.trimEnd()).toBe('v2');
    const versions = await hush(['versions', 'app/prod/token']);
    expect(versions.stdout).toMatch(/1\s+active\s+current/);
    expect(versions.stdout).toMatch(/2\s+active\s+pending/);
    const bad = await hush(['get', 'app/prod/token', '--label', 'latest']);
    expect(bad.code).toBe(2);
    expect(oneLineError(bad)).toMatch(/--label must be one of pending, current, previous/);
  });

  it('a failing hook exits 10 with one line and leaves current; a good rotation promotes', async () => {
    expect((await hush(['put', 'app/prod/db'], { input: 'original' })).code).toBe(0);
    const set = await hush([
      'rotate',
      'policy',
      'set',
      '--path',
      'app/prod/db',
      '--interval',
      '30d',
      '--hook-command',
      failingHook,
    ]);
    expect(set.code).toBe(0);
    const failed = await hush(['rotate', 'app/prod/db']);
    expect(failed.code).toBe(10);
    expect(failed.stdout).toMatch(/FAILED app\/prod\/db: hook command .* exited with code 4/);
    expect(oneLineError(failed)).toMatch(/HUSH_E_ROTATION_FAILED/);
    expect((await hush(['get', 'app/prod/db'])).stdout.trimEnd()).toBe('original');

    const reset = await hush([
      'rotate',
      'policy',
      'set',
      '--path',
      'app/prod/db',
      '--interval',
      '30d',
      '--generate',
      'password',
      '--generator-options',
      '{"length":40}',
    ]);
    expect(reset.code).toBe(0);
    const ok = await hush(['rotate', 'app/prod/db', '--json']);
    expect(ok.code).toBe(0);
    const report = JSON.parse(ok.stdout) as { results: { outcome: string; version: number }[] };
    expect(report.results[0]).toMatchObject({ outcome: 'rotated', version: 3 });
    const now = (await hush(['get', 'app/prod/db'])).stdout.trimEnd();
    expect(now).toHaveLength(40);
    expect((await hush(['get', 'app/prod/db', '--label', 'previous'])).stdout.trimEnd()).toBe('original');
    const status = await hush(['rotate', 'status', '--json']);
    const entries = (JSON.parse(status.stdout) as { entries: { path: string; last: { outcome: string } }[] })
      .entries;
    expect(entries.find((e) => e.path === 'app/prod/db')?.last.outcome).toBe('rotated');
  });

  it('--on-deploy rotates only flagged or due onDeploy secrets and exits non-zero on a failure', async () => {
    await hush(['put', 'svc/prod/a'], { input: 'a' });
    await hush(['put', 'svc/prod/b'], { input: 'b' });
    await hush(['rotate', 'policy', 'set', '--path', 'svc/prod/a', '--interval', '30d', '--on-deploy']);
    await hush([
      'rotate',
      'policy',
      'set',
      '--path',
      'svc/prod/b',
      '--interval',
      '30d',
      '--on-deploy',
      '--hook-command',
      failingHook,
    ]);
    const idle = await hush(['rotate', '--on-deploy', '--prefix', 'svc']);
    expect(idle.code).toBe(0);
    expect(idle.stdout).toMatch(/nothing to rotate/);
    expect((await hush(['rotate', 'svc/prod/a', '--next-deploy'])).code).toBe(0);
    expect((await hush(['rotate', 'svc/prod/b', '--next-deploy'])).code).toBe(0);
    const deploy = await hush(['rotate', '--on-deploy', '--prefix', 'svc']);
    expect(deploy.code).toBe(10);
    expect(deploy.stdout).toMatch(/rotated svc\/prod\/a/);
    expect(deploy.stdout).toMatch(/FAILED svc\/prod\/b/);
    expect((await hush(['get', 'svc/prod/b'])).stdout.trimEnd()).toBe('b');
    expect((await hush(['get', 'svc/prod/a'])).stdout.trimEnd()).not.toBe('a');
  });

  it('mv carries a flag and the last outcome to the new path and leaves none at the old one', async () => {
    await hush(['put', 'mv/prod/key'], { input: 'k1' });
    await hush(['put', 'mv/prod/other'], { input: 'o1' });
    expect((await hush(['rotate', 'policy', 'set', '--prefix', 'mv/prod', '--interval', '30d'])).code).toBe(
      0,
    );
    expect((await hush(['rotate', 'mv/prod/other'])).code).toBe(0);
    expect((await hush(['rotate', 'mv/prod/key', '--next-deploy'])).code).toBe(0);
    expect((await hush(['mv', 'mv/prod/key', 'mv/prod/renamed'])).code).toBe(0);
    // Overwriting a secret replaces its state too: `other` was rotated, the moved-in secret never was.
    await hush(['put', 'mv/prod/fresh'], { input: 'f1' });
    expect((await hush(['mv', 'mv/prod/fresh', 'mv/prod/other', '--overwrite'])).code).toBe(0);
    type Entry = { path: string; flagged: boolean; last?: { outcome: string } };
    const status = await hush(['rotate', 'status', '--prefix', 'mv', '--json']);
    const entries = (JSON.parse(status.stdout) as { entries: Entry[] }).entries;
    expect(entries.map((e) => e.path)).toEqual(['mv/prod/other', 'mv/prod/renamed']);
    expect(entries[1]).toMatchObject({ flagged: true });
    expect(entries[0]).toMatchObject({ flagged: false });
    expect(entries[0]?.last).toBeUndefined();
    // A new secret at the old path starts with no state of the one that left.
    await hush(['put', 'mv/prod/key'], { input: 'k2' });
    const again = JSON.parse((await hush(['rotate', 'status', '--prefix', 'mv', '--json'])).stdout) as {
      entries: Entry[];
    };
    expect(again.entries.find((e) => e.path === 'mv/prod/key')).toMatchObject({ flagged: false });
  });

  it('usage and policy errors are one coded line', async () => {
    const both = await hush(['rotate', 'app/prod/db', '--prefix', 'app']);
    expect(both.code).toBe(2);
    expect(oneLineError(both)).toMatch(/give one of ADDRESS/);
    const none = await hush(['rotate', 'other/prod/x']);
    expect(none.code).toBe(3);
    expect(oneLineError(none)).toMatch(/no rotation policy covers other\/prod\/x/);
    const badHook = await hush([
      'rotate',
      'policy',
      'set',
      '--path',
      'a/b/c',
      '--interval',
      '1d',
      '--hook-command',
      'reload-app',
    ]);
    expect(oneLineError(badHook)).toMatch(/JSON array of strings/);
    const badInterval = await hush(['rotate', 'policy', 'set', '--path', 'a/b/c', '--interval', 'soon']);
    expect(oneLineError(badInterval)).toMatch(/interval must be a number followed by/);
  });
});

describe('hush rotate against a server (real HTTP, real CLI)', () => {
  let fx: Awaited<ReturnType<typeof makeApiFixture>>;
  let url: string;
  beforeAll(async () => {
    assertCompiledCli();
    fx = await makeApiFixture({ outboundAllow: ['deploy.example'] });
    // openServerDeps composes the rotation routes (audited, failures alerted), as `hush server` runs them.
    url = (await fx.listen()).url;
  });
  afterAll(() => fx.cleanup());
  const remote = (who: string, args: string[], input?: string) =>
    runHush(args, {
      env: { HUSH_ADDR: url, HUSH_TOKEN: fx.tokens[who]! },
      ...(input !== undefined ? { input } : {}),
    });

  it('rotates over the API; get --label previous reads the old value; the request is audited without it', async () => {
    expect((await remote('user:admin', ['put', 'app/prod/api'], 'before')).code).toBe(0);
    const set = await remote('user:admin', [
      'rotate',
      'policy',
      'set',
      '--path',
      'app/prod/api',
      '--interval',
      '7d',
      '--generate',
      'api-key',
      '--generator-options',
      '{"prefix":"acme"}',
    ]);
    expect(set.code).toBe(0);
    const rotated = await remote('user:admin', ['rotate', 'app/prod/api']);
    expect(rotated.code).toBe(0);
    expect(rotated.stdout).toMatch(/rotated app\/prod\/api: version 2 is current \(previous 1\)/);
    const now = (await remote('user:admin', ['get', 'app/prod/api'])).stdout.trimEnd();
    expect(now).toMatch(/^acme_/);
    expect(
      (await remote('user:admin', ['get', 'app/prod/api', '--label', 'previous'])).stdout.trimEnd(),
    ).toBe('before');
    const list = await remote('user:admin', ['rotate', 'policy', 'list', '--json']);
    expect(JSON.parse(list.stdout).policies).toHaveLength(1);
    const records = fx
      .records()
      .filter((r) => r.operation === 'rotation.rotate' && r.outcome !== 'requested');
    expect(records).toEqual([
      expect.objectContaining({ path: 'app/prod/api', outcome: 'allowed', identity: 'user:admin' }),
    ]);
    expect(JSON.stringify(fx.records())).not.toContain(now);
  });

  it('a move over the API carries the rotation state along', async () => {
    expect((await remote('user:admin', ['put', 'app/prod/flagme'], 'v')).code).toBe(0);
    const policy = ['rotate', 'policy', 'set', '--path', 'app/prod/flagme', '--interval', '7d'];
    expect((await remote('user:admin', policy)).code).toBe(0);
    expect((await remote('user:admin', ['rotate', 'app/prod/flagme', '--next-deploy'])).code).toBe(0);
    expect((await remote('user:admin', ['mv', 'app/prod/flagme', 'app/prod/moved'])).code).toBe(0);
    const moved = ['rotate', 'policy', 'set', '--path', 'app/prod/moved', '--interval', '7d'];
    expect((await remote('user:admin', moved)).code).toBe(0);
    const status = await remote('user:admin', ['rotate', 'status', '--prefix', 'app/prod', '--json']);
    const entries = (JSON.parse(status.stdout) as { entries: { path: string; flagged: boolean }[] }).entries;
    expect(entries.find((e) => e.path === 'app/prod/moved')).toMatchObject({ flagged: true });
    // Its exact-path policy still names the old path (policies are configuration and stay), but no flag does.
    expect(entries.find((e) => e.path === 'app/prod/flagme')).toMatchObject({ flagged: false });
  });

  it('policies are enforced: no rotate capability is 403; a command hook needs admin on sys/rotation/hooks', async () => {
    const denied = await remote('user:nobody', ['rotate', 'app/prod/api']);
    expect(denied.code).toBe(6);
    expect(oneLineError(denied)).toMatch(/HUSH_E_FORBIDDEN/);
    const hook = await remote('user:app-admin-vault-denied', [
      'rotate',
      'policy',
      'set',
      '--path',
      'app/prod/x',
      '--interval',
      '1d',
      '--hook-command',
      '["/bin/true"]',
    ]);
    expect(hook.code).toBe(6);
    const urlHook = await remote('user:app-admin-vault-denied', [
      'rotate',
      'policy',
      'set',
      '--path',
      'app/prod/x',
      '--interval',
      '1d',
      '--hook-url',
      'https://deploy.example/rotated',
    ]);
    expect(urlHook.code).toBe(0);
    const status = await remote('user:nobody', ['rotate', 'status', '--json']);
    expect(JSON.parse(status.stdout).entries).toEqual([]);
  });
});
