import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type HushServer, startHushServer } from './support/hush-server.js';
import { describeNeeding, toolMissing } from './support/require-tool.js';
import { assertCompiledCli, type HushRun, hushIn, oneLineError, runHush } from './support/run-hush.js';
import { makeTempDir, removeTempDir } from './support/temp-dir.js';

// BYOK end to end: the real `hush` binary and the real `openssl` binary, exactly as docs/keys.md tells users.
const opensslMissing = toolMissing('openssl', 'openssl', ['version']);

/** The documented wrap command: RSAES-OAEP with SHA-256 and MGF1-SHA-256. */
function opensslWrap(dir: string, publicKeyPem: string, key: Buffer, name: string): Promise<string> {
  return (async () => {
    const pub = join(dir, `${name}.pem`);
    const keyFile = join(dir, `${name}.key`);
    const out = join(dir, `${name}.wrapped`);
    await writeFile(pub, publicKeyPem);
    await writeFile(keyFile, key, { mode: 0o600 });
    execFileSync('openssl', [
      'pkeyutl',
      '-encrypt',
      '-pubin',
      '-inkey',
      pub,
      '-in',
      keyFile,
      '-out',
      out,
      '-pkeyopt',
      'rsa_padding_mode:oaep',
      '-pkeyopt',
      'rsa_oaep_md:sha256',
      '-pkeyopt',
      'rsa_mgf1_md:sha256',
    ]);
    return out;
  })();
}

function ok(run: HushRun): HushRun {
  if (run.code !== 0) throw new Error(`exit ${run.code}; stderr: ${run.stderr}`);
  return run;
}
const json = <T>(run: HushRun): T => JSON.parse(ok(run).stdout) as T;
const sha256Prefix = (key: Buffer) =>
  execFileSync('openssl', ['dgst', '-sha256', '-r'], { input: key }).toString().slice(0, 16);

interface Token {
  tokenId: string;
  publicKeyPem: string;
  expiresAt: string;
}
interface Status {
  root: { lastRotatedAt: string };
  keyrings: {
    scope: string;
    protector: string;
    available: boolean;
    current?: number;
    lastRotatedAt?: string;
  }[];
}

let dir: string;
beforeAll(async () => {
  assertCompiledCli();
  dir = await makeTempDir('byok-cli');
});
afterAll(() => removeTempDir(dir));

describeNeeding(opensslMissing, 'hush keys BYOK with the real openssl (local data dir)', () => {
  it('import-wrapping-key -> openssl pkeyutl -> import -> status -> revoke-imported -> re-import', async () => {
    const data = join(dir, 'local');
    const hush = hushIn(data);
    ok(await hush(['init']));
    ok(await hush(['put', 'pay/prod/db'], { input: 'prod-secret' }));
    ok(await hush(['put', 'pay/dev/db'], { input: 'dev-secret' }));
    const token = json<Token>(
      await hush(['keys', 'import-wrapping-key', '--project', 'pay', '--env', 'prod', '--json']),
    );
    expect(token.tokenId).toMatch(/^imp_[0-9a-f]{24}$/);
    const key = randomBytes(32);
    const wrapped = await opensslWrap(dir, token.publicKeyPem, key, 'local');
    const imported = json<{ fingerprint: string; outcome: string }>(
      await hush([
        'keys',
        'import',
        '--project',
        'pay',
        '--env',
        'prod',
        '--wrapped-key-file',
        wrapped,
        '--json',
      ]),
    );
    expect(imported).toMatchObject({ fingerprint: sha256Prefix(key), outcome: 'protected' });
    const status = json<Status>(await hush(['keys', 'status', '--json']));
    expect(status.keyrings.map((k) => [k.scope, k.protector, k.available])).toEqual([
      // The store's own records keyring (audit key, heads): local use is audited too, so it exists here as on a server.
      ['@identity/v1', 'root', true],
      ['pay/dev', 'root', true],
      ['pay/prod', `imported:${sha256Prefix(key)}`, true],
    ]);
    const human = ok(await hush(['keys', 'status'])).stdout;
    expect(human).toMatch(new RegExp(`pay/prod +imported:${sha256Prefix(key)} +v1`));
    expect(human).toContain('root key: initialised');
    expect(ok(await hush(['get', 'pay/prod/db'])).stdout).toBe('prod-secret\n');
    ok(await hush(['keys', 'rotate', 'pay/prod', '--prune']));
    expect(ok(await hush(['get', 'pay/prod/db'])).stdout).toBe('prod-secret\n');

    // No key bytes in the database files.
    const files = (await readdir(data)).filter((f) => f.startsWith('hush.db')).map((f) => join(data, f));
    for (const f of files) {
      const bytes = await readFile(f);
      for (const n of [key, Buffer.from(key.toString('hex')), Buffer.from(key.toString('base64'))]) {
        expect(bytes.includes(n)).toBe(false);
      }
    }

    // Revoke needs --yes; then only pay/prod is unreadable, with a one-line coded error.
    expect(
      oneLineError(await hush(['keys', 'revoke-imported', '--project', 'pay', '--env', 'prod'])),
    ).toContain('--yes');
    ok(await hush(['keys', 'revoke-imported', '--project', 'pay', '--env', 'prod', '--yes']));
    const denied = await hush(['get', 'pay/prod/db']);
    expect(denied.code).toBe(5);
    expect(oneLineError(denied)).toMatch(
      /keyring pay\/prod is protected by imported key [0-9a-f]{16}, which was revoked.*\[HUSH_E_KEY_UNAVAILABLE\]$/,
    );
    expect(ok(await hush(['get', 'pay/dev/db'])).stdout).toBe('dev-secret\n');
    const after = json<Status>(await hush(['keys', 'status', '--json']));
    expect(after.keyrings.find((k) => k.scope === 'pay/prod')?.available).toBe(false);

    // The customer re-imports the same key material: readable again; then back to the root key.
    const again = json<Token>(
      await hush(['keys', 'import-wrapping-key', '--project', 'pay', '--env', 'prod', '--json']),
    );
    const rewrapped = await opensslWrap(dir, again.publicKeyPem, key, 'again');
    ok(await hush(['keys', 'import', '--project', 'pay', '--env', 'prod', '--wrapped-key-file', rewrapped]));
    expect(ok(await hush(['get', 'pay/prod/db'])).stdout).toBe('prod-secret\n');
    expect(ok(await hush(['keys', 'use-root', '--project', 'pay', '--env', 'prod'])).stdout).toContain(
      'to root',
    );
    expect(ok(await hush(['get', 'pay/prod/db'])).stdout).toBe('prod-secret\n');
  }, 60_000);

  it('a missing or wrong wrapped key file is a one-line error', async () => {
    const data = join(dir, 'bad');
    const hush = hushIn(data);
    ok(await hush(['init']));
    ok(await hush(['put', 'pay/prod/db'], { input: 'x' }));
    const missing = await hush([
      'keys',
      'import',
      '--project',
      'pay',
      '--env',
      'prod',
      '--wrapped-key-file',
      join(dir, 'nope'),
    ]);
    expect(oneLineError(missing)).toContain('ENOENT');
    json<Token>(await hush(['keys', 'import-wrapping-key', '--project', 'pay', '--env', 'prod', '--json']));
    const junk = join(dir, 'junk.bin');
    await writeFile(junk, randomBytes(384));
    const wrong = await hush([
      'keys',
      'import',
      '--project',
      'pay',
      '--env',
      'prod',
      '--wrapped-key-file',
      junk,
    ]);
    expect(wrong.code).toBe(2);
    expect(oneLineError(wrong)).toContain('HUSH_E_INVALID_INPUT');
    expect(oneLineError(await hush(['keys', 'import', '--wrapped-key-file', junk]))).toContain('--project');
    // An external key wrapper this process was not given: a coded one-liner naming the keyring and the protector.
    const hsm = await hush(['keys', 'use-hsm', '--project', 'pay', '--env', 'prod', '--id', 'prod-hsm']);
    expect(hsm.code).toBe(5);
    expect(oneLineError(hsm)).toMatch(/keyring pay\/prod .*hsm:prod-hsm.*\[HUSH_E_KEY_UNAVAILABLE\]$/);
    expect(ok(await hush(['get', 'pay/prod/db'])).stdout).toBe('x\n');
  }, 60_000);
});

describeNeeding(opensslMissing, 'hush keys BYOK against a real hush server (remote mode)', () => {
  let server: HushServer;
  let remote: (args: readonly string[]) => Promise<HushRun>;
  beforeAll(async () => {
    server = await startHushServer({ dataDir: join(dir, 'server') });
    const env = { HUSH_ADDR: server.url, HUSH_TOKEN: server.rootToken ?? '' };
    remote = (args) => runHush(args, { env });
  }, 30_000);
  afterAll(() => server?.stop());

  it('GET /v1/keys/status and the import flow work through the CLI', async () => {
    ok(await remote(['put', 'shop/prod/db', 'password=pw']));
    const token = json<Token>(
      await remote(['keys', 'import-wrapping-key', '--project', 'shop', '--env', 'prod', '--json']),
    );
    const key = randomBytes(32);
    const wrapped = await opensslWrap(dir, token.publicKeyPem, key, 'remote');
    ok(await remote(['keys', 'import', '--project', 'shop', '--env', 'prod', '--wrapped-key-file', wrapped]));
    const status = json<Status>(await remote(['keys', 'status', '--json']));
    expect(status.keyrings.find((k) => k.scope === 'shop/prod')).toMatchObject({
      protector: `imported:${sha256Prefix(key)}`,
      available: true,
      current: 1,
    });
    expect(ok(await remote(['get', 'shop/prod/db', '--field', 'password'])).stdout).toBe('pw\n');
    const res = await fetch(`${server.url}/v1/keys/status`);
    expect(res.status).toBe(401);
    ok(await remote(['keys', 'revoke-imported', '--project', 'shop', '--env', 'prod', '--yes']));
    const denied = await remote(['get', 'shop/prod/db']);
    expect(oneLineError(denied)).toContain('HUSH_E_KEY_UNAVAILABLE');
    expect(denied.code).toBe(5);
    expect(oneLineError(await remote(['keys', 'import-wrapping-key']))).toContain('--project');
  }, 60_000);
});
