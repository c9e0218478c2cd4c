import { spawnSync } from 'node:child_process';
import { createPrivateKey, createPublicKey, sign, verify } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyApiKeyChecksum } from '../src/core/generate/index.js';
import { describeWithTool } from './support/require-tool.js';
import { assertCompiledCli, HUSH_BIN, hushIn, oneLineError, runHush } from './support/run-hush.js';
import { makeTempDir, removeTempDir } from './support/temp-dir.js';

let dir: string;
let hush: ReturnType<typeof hushIn>;

beforeAll(async () => {
  assertCompiledCli();
  dir = await makeTempDir('generate-cli');
  hush = hushIn(dir);
  expect((await hush(['init'])).code).toBe(0);
});
afterAll(() => removeTempDir(dir));

interface KeyValue {
  privateKey: string;
  publicKey: string;
}

describe('hush generate (real child processes)', () => {
  it('prints each kind raw on stdout, and as {kind, value} with --json', async () => {
    const pw = await runHush([
      'generate',
      'password',
      '--length',
      '40',
      '--no-symbols',
      '--exclude',
      'aeiou',
    ]);
    expect(pw.code).toBe(0);
    expect(pw.stdout).toMatch(/^[A-Za-z0-9]{40}\n$/);
    expect(pw.stdout).not.toMatch(/[aeiou]/);
    const bytes = await runHush(['generate', 'bytes', '--bytes', '16', '--encoding', 'base64']);
    expect(Buffer.from(bytes.stdout.trim(), 'base64')).toHaveLength(16);
    const key = await runHush(['generate', 'api-key', '--prefix', 'acme', '--json']);
    const parsed = JSON.parse(key.stdout) as { kind: string; value: string };
    expect(parsed.kind).toBe('api-key');
    expect(parsed.value.startsWith('acme_')).toBe(true);
    expect(verifyApiKeyChecksum(parsed.value)).toBe(true);
    expect((await runHush(['generate', 'uuid'])).stdout).toMatch(/^[0-9a-f-]{36}\n$/);
    // stdout is a pipe here, so there is no "this is a secret" warning.
    expect(pw.stderr).toBe('');
  });

  it('keypair --passphrase-file writes an encrypted PKCS#8 key that signs with that passphrase', async () => {
    const passFile = join(dir, 'pass.txt');
    await writeFile(passFile, 'tr0ub4dor\n', { mode: 0o600 });
    const run = await runHush([
      'generate',
      'keypair',
      '--type',
      'ec',
      '--curve',
      'P-256',
      '--passphrase-file',
      passFile,
      '--json',
    ]);
    expect(run.code).toBe(0);
    const { value } = JSON.parse(run.stdout) as { value: KeyValue };
    expect(value.privateKey).toMatch(/^-----BEGIN ENCRYPTED PRIVATE KEY-----/);
    // The trailing newline of the file is not part of the passphrase.
    const priv = createPrivateKey({ key: value.privateKey, passphrase: 'tr0ub4dor' });
    const sig = sign('sha256', Buffer.from('x'), priv);
    expect(verify('sha256', Buffer.from('x'), createPublicKey(value.publicKey), sig)).toBe(true);
  });

  it('ssh-key prints the OpenSSH private key then the .pub line', async () => {
    const run = await runHush(['generate', 'ssh-key', '--comment', 'ci@hush']);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(
      /^-----BEGIN OPENSSH PRIVATE KEY-----\n[A-Za-z0-9+/=\n]+-----END OPENSSH PRIVATE KEY-----\nssh-ed25519 \S+ ci@hush\n$/,
    );
  });

  it('bad generator options exit 2 with one line that says what to change', async () => {
    const cases: [string[], RegExp][] = [
      [
        ['generate', 'password', '--length', '3'],
        /minimums add up to 4, more than the length 3.*\[HUSH_E_INVALID_INPUT\]/,
      ],
      [['generate', 'password', '--length', 'ten'], /--length takes a whole number.*\[HUSH_E_USAGE\]/],
      [
        ['generate', 'password', '--no-lower', '--no-upper', '--no-digits', '--no-symbols'],
        /every character class is disabled/,
      ],
      [['generate', 'password', '--no-digits', '--min-digits', '2'], /contradict/],
      [['generate', 'bytes', '--encoding', 'base32'], /hex, base64, base64url, base62/],
      [['generate', 'bytes', '--prefix', 'x'], /--prefix does not apply to bytes/],
      [['generate', 'api-key'], /needs --prefix/],
      [['generate', 'keypair', '--type', 'rsa', '--bits', '1024'], /2048\.\.8192/],
      [
        ['generate', 'ssh-key', '--passphrase-file', '/nonexistent/p'],
        /cannot read \/nonexistent\/p \(ENOENT\)/,
      ],
      [['generate', 'pin'], /unknown generator "pin"; use one of password, bytes/],
    ];
    for (const [args, message] of cases) {
      const run = await runHush(args);
      expect(run.code, args.join(' ')).toBe(2);
      expect(oneLineError(run)).toMatch(message);
      expect(run.stdout).toBe('');
    }
  });
});

describeWithTool('script', 'bsdutils', ['--version'], 'hush generate on a terminal', () => {
  it('prints the value and warns on stderr that it is a secret (util-linux script gives a real pty)', () => {
    const cmd = [process.execPath, HUSH_BIN, 'generate', 'uuid'].map((a) => `'${a}'`).join(' ');
    const res = spawnSync('script', ['-qec', cmd, '/dev/null'], { encoding: 'utf8' });
    expect(res.status).toBe(0);
    expect(res.stdout).toMatch(/hush: warning: this is a secret and it is not stored/);
    expect(res.stdout).toMatch(/[0-9a-f]{8}-[0-9a-f]{4}-4/);
  });
});

describe('hush put --generate', () => {
  it('stores a generated password without ever printing it', async () => {
    const run = await hush(['put', 'app/prod/db-password', '--generate', 'password', '--length', '32']);
    expect(run.code).toBe(0);
    expect(run.stdout).toBe('wrote app/prod/db-password version 1\n');
    const got = await hush(['get', 'app/prod/db-password']);
    expect(got.stdout.trimEnd()).toHaveLength(32);
    expect(run.stdout + run.stderr).not.toContain(got.stdout.trimEnd());
  });

  it('--show prints exactly the stored value on stdout', async () => {
    const run = await hush([
      'put',
      'app/prod/api-key',
      '--generate',
      'api-key',
      '--prefix',
      'acme',
      '--show',
    ]);
    expect(run.code).toBe(0);
    expect(run.stderr).toBe('wrote app/prod/api-key version 1\n');
    const got = await hush(['get', 'app/prod/api-key']);
    expect(run.stdout).toBe(got.stdout.endsWith('\n') ? got.stdout : `${got.stdout}\n`);
    expect(verifyApiKeyChecksum(run.stdout.trim())).toBe(true);
  });

  it('stores key pairs as an object {privateKey, publicKey}', async () => {
    const run = await hush([
      'put',
      'app/prod/deploy-key',
      '--generate',
      'ssh-key',
      '--comment',
      'deploy',
      '--json',
    ]);
    expect(run.code).toBe(0);
    expect(run.stdout).not.toContain('PRIVATE KEY');
    const got = await hush(['get', 'app/prod/deploy-key', '--json']);
    const value = (JSON.parse(got.stdout) as { value: KeyValue }).value;
    expect(value.privateKey).toMatch(/^-----BEGIN OPENSSH PRIVATE KEY-----/);
    expect(value.publicKey).toMatch(/^ssh-ed25519 \S+ deploy$/);
  });

  it('put --generate ssh-key --key-passphrase-file stores a key ssh-keygen opens with that passphrase', async () => {
    const passFile = join(dir, 'ssh-pass.txt');
    await writeFile(passFile, 'ssh secret\n', { mode: 0o600 });
    const args = ['put', 'app/prod/locked-key', '--generate', 'ssh-key', '--key-passphrase-file', passFile];
    expect((await hush(args)).code).toBe(0);
    const value = (
      JSON.parse((await hush(['get', 'app/prod/locked-key', '--json'])).stdout) as { value: KeyValue }
    ).value;
    const keyFile = join(dir, 'locked');
    await writeFile(keyFile, value.privateKey, { mode: 0o600 });
    const r = spawnSync('ssh-keygen', ['-y', '-P', 'ssh secret', '-f', keyFile], { encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout.trim().split(' ').slice(0, 2)).toEqual(value.publicKey.split(' ').slice(0, 2));
  });

  it('refuses mixing --generate with other value sources, and generator options without --generate', async () => {
    const mixed = await hush(['put', 'app/prod/x', '--generate', 'uuid', 'user=app']);
    expect(mixed.code).toBe(2);
    expect(oneLineError(mixed)).toMatch(/--generate makes the value; drop a value or KEY=VALUE pairs/);
    const stray = await hush(['put', 'app/prod/x', '--length', '12'], { input: 'v' });
    expect(stray.code).toBe(2);
    expect(oneLineError(stray)).toMatch(/--length needs --generate KIND \[HUSH_E_USAGE\]/);
    const bad = await hush(['put', 'app/prod/x', '--generate', 'password', '--length', '2']);
    expect(bad.code).toBe(2);
    expect((await hush(['get', 'app/prod/x'])).code).not.toBe(0);
  });
});
