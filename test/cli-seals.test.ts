import { generateKeyPairSync } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertCompiledCli, hushIn, oneLineError } from './support/run-hush.js';
import { makeTempDir, removeTempDir } from './support/temp-dir.js';

let root: string;
beforeAll(async () => {
  assertCompiledCli();
  root = await makeTempDir('cli-seals');
});
afterAll(() => removeTempDir(root));

const json = <T>(text: string): T => JSON.parse(text) as T;

/** Flip one character of a share's payload, keeping it syntactically valid where possible. */
function damaged(share: string): string {
  const i = share.length - 6;
  const c = share[i] === 'A' ? 'B' : 'A';
  return share.slice(0, i) + c + share.slice(i + 1);
}

describe('shamir seal in local mode', () => {
  let dir: string;
  let hush: ReturnType<typeof hushIn>;
  let shares: string[];
  let sharesFile: string;

  beforeAll(async () => {
    dir = join(root, 'shamir');
    hush = hushIn(dir);
    const init = await hush(['init', '--seal', 'shamir', '--shares', '3', '--threshold', '2']);
    expect(init.code).toBe(0);
    expect(init.stdout).toContain('STORE THESE NOW, THEY ARE NOT SHOWN AGAIN');
    shares = [...init.stdout.matchAll(/share \d: (\S+)/g)].map((m) => m[1]!);
    expect(shares).toHaveLength(3);
    sharesFile = join(dir, '..', 'shares.txt');
    await writeFile(sharesFile, `# two of three\n${shares[0]}\n\n${shares[2]}\n`, { mode: 0o600 });
  });

  it('every command needs the shares: --shares-file or HUSH_UNSEAL_SHARES_FILE', async () => {
    const put = await hush(['put', 'p/dev/s', '--shares-file', sharesFile], { input: 'shamir-value' });
    expect(put.code).toBe(0);
    const get = await hush(['get', 'p/dev/s'], { env: { HUSH_UNSEAL_SHARES_FILE: sharesFile } });
    expect(get.stdout).toBe('shamir-value\n');
    const none = await hush(['get', 'p/dev/s']);
    expect(none.code).toBe(6);
    expect(oneLineError(none)).toMatch(/\[HUSH_E_UNSEAL_FAILED\]$/);
  });

  it('too few shares and a wrong share: exit 6, no share or value echoed', async () => {
    const few = join(root, 'few.txt');
    await writeFile(few, `${shares[1]}\n`);
    const run = await hush(['get', 'p/dev/s', '--shares-file', few]);
    expect(run.code).toBe(6);
    expect(oneLineError(run)).toMatch(/\[HUSH_E_UNSEAL_FAILED\]$/);
    const wrong = join(root, 'wrong.txt');
    await writeFile(wrong, `${shares[0]}\n${damaged(shares[1]!)}\n`);
    const bad = await hush(['get', 'p/dev/s', '--shares-file', wrong]);
    expect(bad.code).toBe(6);
    expect(oneLineError(bad)).toMatch(/\[HUSH_E_UNSEAL_FAILED\]$/);
    for (const s of shares) expect(bad.stderr).not.toContain(s);
    expect(bad.stderr).not.toContain('shamir-value');
  });

  it('unseal reads shares from stdin and lifts a lockdown', async () => {
    expect((await hush(['seal'])).code).toBe(0);
    const locked = await hush(['get', 'p/dev/s', '--shares-file', sharesFile]);
    expect(locked.code).toBe(5);
    const unseal = await hush(['unseal', '--json'], { input: `${shares[1]}\n${shares[2]}\n` });
    expect(unseal.code).toBe(0);
    expect(json(unseal.stdout)).toEqual({ unsealed: true, sealKind: 'shamir', lockedDown: false });
    expect((await hush(['get', 'p/dev/s', '--shares-file', sharesFile])).stdout).toBe('shamir-value\n');
  });

  it('rotate-root prints new shares once; the old shares stop working', async () => {
    const run = await hush([
      'operator',
      'rotate-root',
      '--shares-file',
      sharesFile,
      '--shares',
      '2',
      '--threshold',
      '2',
      '--json',
    ]);
    expect(run.code).toBe(0);
    const out = json<{ oneTime: { shares: string[]; threshold: number } }>(run.stdout);
    expect(out.oneTime.shares).toHaveLength(2);
    expect((await hush(['get', 'p/dev/s', '--shares-file', sharesFile])).code).toBe(6);
    const fresh = join(root, 'fresh.txt');
    await writeFile(fresh, out.oneTime.shares.join('\n'));
    expect((await hush(['get', 'p/dev/s', '--shares-file', fresh])).stdout).toBe('shamir-value\n');
  });
});

describe('rsa seal in local mode', () => {
  it('init with a generated 3072-bit key; put/get with the private key; wrong key exits 6', async () => {
    const dir = join(root, 'rsa');
    const hush = hushIn(dir);
    const pair = generateKeyPairSync('rsa', { modulusLength: 3072 });
    const pub = join(root, 'rsa.pub.pem');
    const priv = join(root, 'rsa.pem');
    await writeFile(pub, pair.publicKey.export({ type: 'spki', format: 'pem' }));
    await writeFile(
      priv,
      pair.privateKey.export({
        type: 'pkcs8',
        format: 'pem',
        cipher: 'aes-256-cbc',
        passphrase: 'pass-phrase-1',
      }),
      { mode: 0o600 },
    );
    const init = await hush(['init', '--seal', 'rsa', '--public-key', pub, '--json']);
    expect(init.code).toBe(0);
    expect(json<{ fingerprint: string }>(init.stdout).fingerprint).toMatch(/^sha256:[0-9a-f]{64}$/);
    const env = { HUSH_RSA_PRIVATE_KEY_FILE: priv, HUSH_RSA_PASSPHRASE: 'pass-phrase-1' };
    expect((await hush(['put', 'r/dev/k'], { input: 'rsa-value', env })).code).toBe(0);
    expect((await hush(['get', 'r/dev/k'], { env })).stdout).toBe('rsa-value\n');
    const passFile = join(root, 'pass.txt');
    await writeFile(passFile, 'pass-phrase-1\n');
    expect(
      (await hush(['get', 'r/dev/k', '--private-key', priv, '--passphrase-file', passFile])).stdout,
    ).toBe('rsa-value\n');
    const other = join(root, 'other.pem');
    await writeFile(
      other,
      generateKeyPairSync('rsa', { modulusLength: 3072 }).privateKey.export({ type: 'pkcs8', format: 'pem' }),
    );
    const wrong = await hush(['get', 'r/dev/k', '--private-key', other]);
    expect(wrong.code).toBe(6);
    expect(oneLineError(wrong)).toMatch(/wrong private key.*\[HUSH_E_UNSEAL_FAILED\]$/);
    const noKey = await hush(['get', 'r/dev/k']);
    expect(noKey.code).toBe(6);
    const weak = join(root, 'weak.pub.pem');
    await writeFile(
      weak,
      generateKeyPairSync('rsa', { modulusLength: 2048 }).publicKey.export({ type: 'spki', format: 'pem' }),
    );
    const refused = await hushIn(join(root, 'rsa-weak'))(['init', '--seal', 'rsa', '--public-key', weak]);
    expect(refused.code).not.toBe(0);
    expect(oneLineError(refused)).toMatch(/3072/);
  });
});
