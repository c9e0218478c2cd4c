import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { acquireLibrary } from '../src/hsm/pkcs11-library.js';
import { findTokenSlot } from '../src/hsm/pkcs11-token.js';
import { startHushServer } from './support/hush-server.js';
import { assertCompiledCli, type HushRun, oneLineError, runHush } from './support/run-hush.js';
import { describeWithSoftHsm, type SoftHsm, startSoftHsm } from './support/softhsm.js';
import { makeTempDir, removeTempDir } from './support/temp-dir.js';

const PIN = '424242';
let hsm: SoftHsm;
let dir: string;

function ok(run: HushRun): HushRun {
  if (run.code !== 0) throw new Error(`exit ${run.code}; stderr: ${run.stderr}`);
  return run;
}

/** Whether SoftHSM2 counted a failed user login on the token (read through a fresh C_Initialize). */
async function countLow(label: string): Promise<boolean> {
  const lib = await acquireLibrary(hsm.library);
  try {
    return (lib.api.C_GetTokenInfo(findTokenSlot(lib, label)).flags & lib.js.CKF_USER_PIN_COUNT_LOW) !== 0;
  } finally {
    lib.release();
  }
}

describeWithSoftHsm('pkcs11 seal through the real hush server and CLI', () => {
  beforeAll(async () => {
    assertCompiledCli();
    hsm = await startSoftHsm();
    dir = await makeTempDir('pkcs11-e2e');
  });
  afterAll(async () => {
    await hsm?.cleanup();
    if (dir) await removeTempDir(dir);
  });

  const env = (extra: Record<string, string> = {}) => ({ ...hsm.env, ...extra });

  it('creates the HSM key with the CLI (PIN from the environment), refusing a duplicate', async () => {
    hsm.initToken('srv', PIN);
    const created = ok(
      await runHush(['operator', 'hsm', 'create-key', '--token', 'srv', '--key', 'root', '--json'], {
        env: env({ HUSH_PKCS11_PIN: PIN }),
      }),
    );
    expect(JSON.parse(created.stdout)).toEqual({
      created: true,
      tokenLabel: 'srv',
      keyLabel: 'root',
      bits: 256,
    });
    const again = await runHush(['operator', 'hsm', 'create-key', '--token', 'srv', '--key', 'root'], {
      env: env({ HUSH_PKCS11_PIN: PIN }),
    });
    expect(again.code).toBe(4);
    expect(oneLineError(again)).toMatch(
      /"root" already exists on PKCS#11 token "srv".*\[HUSH_E_ALREADY_EXISTS\]$/,
    );
    const noPin = await runHush(['operator', 'hsm', 'create-key', '--token', 'srv', '--key', 'x'], {
      env: env(),
    });
    expect(oneLineError(noPin)).toMatch(/set HUSH_PKCS11_PIN or pass --pkcs11-pin-file/);
  });

  it('server: init on first start, unseal itself on restart, operator seal lifted only by an unlock with a token, wrong PIN fails once', async () => {
    const data = join(dir, 'server');
    const config = join(dir, 'hush.yaml');
    await writeFile(
      config,
      `seal:\n  kind: pkcs11\n  library: ${hsm.library}\n  tokenLabel: srv\n  keyLabel: root\n`,
    );
    const start = (extra: Record<string, string>) =>
      startHushServer({ dataDir: data, args: ['--config', config], env: env(extra) });

    let server = await start({ HUSH_PKCS11_PIN: PIN });
    const root = server.rootToken ?? '';
    expect(root).toMatch(/^hush_s_/);
    expect(server.stdout()).toContain('pkcs11 seal: root key wrapped by key "root" on token "srv"');
    const hush = (args: string[], input?: string) =>
      runHush(args, {
        env: { HUSH_ADDR: server.url, HUSH_TOKEN: root },
        ...(input !== undefined ? { input } : {}),
      });
    ok(await hush(['put', 'shop/prod/api-key'], 'sk-hsm-1'));
    expect((await server.stop()).code).toBe(0);

    server = await start({ HUSH_PKCS11_PIN: PIN });
    expect(server.rootToken).toBeUndefined();
    expect(ok(await hush(['get', 'shop/prod/api-key'])).stdout).toBe('sk-hsm-1\n');
    ok(await hush(['seal']));
    const sealed = await hush(['get', 'shop/prod/api-key']);
    expect(oneLineError(sealed)).toMatch(/\[HUSH_E_SEALED\]$/);
    // The HSM needs no operator material, so an unseal (anonymous over HTTP) must not lift an operator's seal.
    const unseal = await hush(['unseal']);
    expect(oneLineError(unseal)).toMatch(/hush incident unlock.*\[HUSH_E_LOCKED_DOWN\]$/);
    // It holds across a restart; only an unlock with a token (admin on sys/seal) lifts it.
    await server.stop();
    server = await start({ HUSH_PKCS11_PIN: PIN });
    expect(oneLineError(await hush(['get', 'shop/prod/api-key']))).toMatch(/\[HUSH_E_SEALED\]$/);
    const anonymous = await runHush(['incident', 'unlock'], { env: { HUSH_ADDR: server.url } });
    expect(oneLineError(anonymous)).toMatch(/\[HUSH_E_UNAUTHENTICATED\]$/);
    expect(oneLineError(await hush(['get', 'shop/prod/api-key']))).toMatch(/\[HUSH_E_SEALED\]$/);
    ok(await hush(['incident', 'unlock']));
    expect(ok(await hush(['get', 'shop/prod/api-key'])).stdout).toBe('sk-hsm-1\n');
    await server.stop();

    // A rejected PIN stops the start-up with one line naming the token; the token saw exactly one failed login.
    expect(await countLow('srv')).toBe(false);
    const failed = await start({ HUSH_PKCS11_PIN: '000000' }).catch((e: unknown) => e);
    expect(String(failed)).toMatch(/the PKCS#11 PIN was rejected by token "srv"; not retried/);
    expect(String(failed)).not.toContain('000000');
    expect(await countLow('srv')).toBe(true);

    // The PIN from a 0600 PIN file works too (and a successful login clears the token's failure flag).
    const pinFile = join(dir, 'pin');
    await writeFile(pinFile, `${PIN}\n`, { mode: 0o600 });
    await writeFile(
      config,
      `seal: {kind: pkcs11, library: ${hsm.library}, tokenLabel: srv, keyLabel: root, pinFile: ${pinFile}}\n`,
    );
    server = await start({});
    expect(ok(await hush(['get', 'shop/prod/api-key'])).stdout).toBe('sk-hsm-1\n');
    await server.stop();
    expect(await countLow('srv')).toBe(false);
  }, 60_000);

  it('CLI local mode: init --seal pkcs11, then every command unseals through the HSM with the PIN from env', async () => {
    ok(
      await runHush(['operator', 'hsm', 'create-key', '--token', 'srv', '--key', 'local'], {
        env: env({ HUSH_PKCS11_PIN: PIN }),
      }),
    );
    const data = join(dir, 'local');
    const local = (args: string[], extra: Record<string, string>, input?: string) =>
      runHush([...args, '--data-dir', data], { env: env(extra), ...(input !== undefined ? { input } : {}) });
    const missing = await local(['init', '--seal', 'pkcs11', '--pkcs11-token', 'srv'], {
      HUSH_PKCS11_PIN: PIN,
    });
    expect(oneLineError(missing)).toMatch(/needs --pkcs11-token LABEL and --pkcs11-key LABEL/);
    const init = ok(
      await local(['init', '--seal', 'pkcs11', '--pkcs11-token', 'srv', '--pkcs11-key', 'local'], {
        HUSH_PKCS11_PIN: PIN,
      }),
    );
    expect(init.stdout).toContain('(seal: pkcs11)');
    ok(await local(['put', 'app/dev/token'], { HUSH_PKCS11_PIN: PIN }, 'v-local'));
    expect(ok(await local(['get', 'app/dev/token'], { HUSH_PKCS11_PIN: PIN })).stdout).toBe('v-local\n');

    const noPin = await local(['get', 'app/dev/token'], {});
    expect(noPin.code).toBe(6);
    expect(oneLineError(noPin)).toMatch(
      /needs the user PIN of token "srv" and HUSH_PKCS11_PIN is not set.*\[HUSH_E_UNSEAL_FAILED\]$/,
    );
    const wrong = await local(['get', 'app/dev/token'], { HUSH_PKCS11_PIN: '111111' });
    expect(wrong.code).toBe(6);
    expect(oneLineError(wrong)).toMatch(/PIN was rejected by token "srv"; not retried/);
    const badLib = await local(['get', 'app/dev/token'], {
      HUSH_PKCS11_PIN: PIN,
      HUSH_PKCS11_LIBRARY: '/nope/lib.so',
    });
    expect(oneLineError(badLib)).toMatch(
      /cannot load the PKCS#11 library \/nope\/lib.so.*\[HUSH_E_CONFIG\]$/,
    );
    expect(ok(await local(['get', 'app/dev/token'], { HUSH_PKCS11_PIN: PIN })).stdout).toBe('v-local\n');
    const status = JSON.parse(ok(await local(['status', '--json'], {})).stdout) as Record<string, unknown>;
    expect(status).toMatchObject({ sealKind: 'pkcs11', autoUnseal: true });

    // Operator seal: stays sealed until `hush unseal`, which checks the HSM and lifts the lockdown.
    ok(await local(['seal'], {}));
    const locked = await local(['get', 'app/dev/token'], { HUSH_PKCS11_PIN: PIN });
    expect(oneLineError(locked)).toMatch(/\[HUSH_E_SEALED\]$/);
    expect(ok(await local(['unseal'], { HUSH_PKCS11_PIN: PIN })).stdout).toMatch(/through the HSM again/);

    // Rotate the root key onto another HSM key: the data stays readable.
    ok(
      await runHush(['operator', 'hsm', 'create-key', '--token', 'srv', '--key', 'local-2'], {
        env: env({ HUSH_PKCS11_PIN: PIN }),
      }),
    );
    ok(
      await local(['operator', 'rotate-root', '--pkcs11-token', 'srv', '--pkcs11-key', 'local-2'], {
        HUSH_PKCS11_PIN: PIN,
      }),
    );
    expect(ok(await local(['get', 'app/dev/token'], { HUSH_PKCS11_PIN: PIN })).stdout).toBe('v-local\n');
  }, 90_000);
});
