import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { api, startHushServer } from './support/hush-server.js';
import { assertCompiledCli, type HushRun, oneLineError, runHush } from './support/run-hush.js';
import { describeWithSoftHsm, type SoftHsm, startSoftHsm } from './support/softhsm.js';
import { makeTempDir, removeTempDir } from './support/temp-dir.js';

const PIN = '135790';
let hsm: SoftHsm;
let dir: string;

function ok(run: HushRun): HushRun {
  if (run.code !== 0) throw new Error(`exit ${run.code}; stderr: ${run.stderr}`);
  return run;
}

describeWithSoftHsm('a keyring bound to an HSM key configured in the server (keys.hsm)', () => {
  beforeAll(async () => {
    assertCompiledCli();
    hsm = await startSoftHsm();
    dir = await makeTempDir('keys-hsm');
    hsm.initToken('kek', PIN);
    ok(
      await runHush(['operator', 'hsm', 'create-key', '--token', 'kek', '--key', 'pay-prod'], {
        env: { ...hsm.env, HUSH_PKCS11_PIN: PIN },
      }),
    );
  });
  afterAll(async () => {
    await hsm?.cleanup();
    if (dir) await removeTempDir(dir);
  });

  it('use-hsm re-seals only that keyring; it reads after a restart with the HSM and fails clearly without it', async () => {
    const data = join(dir, 'data');
    const config = join(dir, 'hush.yaml');
    await writeFile(
      config,
      `keys:\n  hsm:\n    - { id: prod-hsm, library: ${hsm.library}, tokenLabel: kek, keyLabel: pay-prod }\n`,
    );
    const start = (extra: Record<string, string>, args = ['--config', config]) =>
      startHushServer({ dataDir: data, args, env: { ...hsm.env, ...extra } });
    let server = await start({ HUSH_PKCS11_PIN: PIN });
    const root = server.rootToken ?? '';
    const cli = (args: string[]) => runHush(args, { env: { HUSH_ADDR: server.url, HUSH_TOKEN: root } });
    ok(
      await runHush(['put', 'pay/prod/db'], {
        input: 'pw-hsm-1',
        env: { HUSH_ADDR: server.url, HUSH_TOKEN: root },
      }),
    );
    ok(
      await runHush(['put', 'pay/dev/db'], {
        input: 'pw-dev-1',
        env: { HUSH_ADDR: server.url, HUSH_TOKEN: root },
      }),
    );
    const moved = JSON.parse(
      ok(await cli(['--json', 'keys', 'use-hsm', '--project', 'pay', '--env', 'prod', '--id', 'prod-hsm']))
        .stdout,
    );
    expect(moved).toMatchObject({ scope: 'pay/prod', protector: 'hsm:prod-hsm', changed: true });
    const status = JSON.parse(ok(await cli(['--json', 'keys', 'status'])).stdout) as {
      keyrings: { scope: string; protector: string; available: boolean }[];
    };
    expect(status.keyrings.find((k) => k.scope === 'pay/prod')).toMatchObject({
      protector: 'hsm:prod-hsm',
      available: true,
    });
    expect(status.keyrings.find((k) => k.scope === 'pay/dev')?.protector).toBe('root');
    await server.stop();

    server = await start({ HUSH_PKCS11_PIN: PIN });
    expect((await api(server, root, 'GET', '/v1/secrets/pay/prod/db')).json).toMatchObject({
      value: 'pw-hsm-1',
    });
    await server.stop();

    // Without the HSM key configured, only pay/prod is unreadable, with a clear error; pay/dev still works.
    server = await start({}, []);
    const denied = await runHush(['get', 'pay/prod/db'], {
      env: { HUSH_ADDR: server.url, HUSH_TOKEN: root },
    });
    expect(denied.code).toBe(5);
    expect(oneLineError(denied)).toMatch(/prod-hsm.*\[HUSH_E_KEY_UNAVAILABLE\]$/);
    expect((await api(server, root, 'GET', '/v1/secrets/pay/dev/db')).json).toMatchObject({
      value: 'pw-dev-1',
    });
    await server.stop();

    // A wrong PIN stops start-up with one line (one login attempt, never retried).
    const wrongPin = await start({ HUSH_PKCS11_PIN: '000000' }).catch((err: Error) => err);
    expect(String(wrongPin)).toMatch(/PIN was rejected/);
  });
});
