import { execFileSync } from 'node:child_process';
import { readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createHushClient } from '../src/client/hush-client.js';
import { createDataKeys, openFile, type TransitKeyService } from '../src/crypt/index.js';
import { useHushServer } from './support/hush-server.js';
import { describeNeeding, toolMissing } from './support/require-tool.js';
import { type HushRun, runHush } from './support/run-hush.js';
import { makeTempDir, removeTempDir } from './support/temp-dir.js';

// The CLI against a real server (transit recipient) and real age keys (age-keygen).
const missing = toolMissing('age-keygen', 'age', ['--version']);
const fx = useHushServer('crypt-cli');

let dir: string;
let recipient: string;
const ageEnv = () => ({ SOPS_AGE_KEY_FILE: join(dir, 'key.txt'), HOME: dir });
const serverEnv = () => ({ HUSH_ADDR: fx.server.url, HUSH_TOKEN: fx.root, HOME: dir });
const hush = (args: string[], env: Record<string, string>) => runHush(args, { env, cwd: dir });
function ok(run: HushRun): string {
  if (run.code !== 0) throw new Error(`exit ${run.code}; stderr: ${run.stderr}`);
  return run.stdout;
}
const FILES = {
  'a.yaml': 'db:\n  user: admin\n  password: s3cret\n',
  'b.env': 'API_KEY=abc123\nMODE_unencrypted=dev\n',
  'c.toml': '[db]\nport = 5432\n',
};

describeNeeding(missing, 'hush crypt CLI with age and transit recipients', () => {
  beforeAll(async () => {
    dir = await makeTempDir('crypt-cli');
    execFileSync('age-keygen', ['-o', join(dir, 'key.txt')], { stdio: 'ignore' });
    recipient = /age1\w+/.exec(await readFile(join(dir, 'key.txt'), 'utf8'))?.[0] as string;
    ok(await hush(['transit', 'keys', 'create', 'crypt-set', '--type', 'aes256-gcm96'], serverEnv()));
    for (const [name, text] of Object.entries(FILES)) await writeFile(join(dir, name), text);
    ok(
      await hush(
        ['crypt', 'encrypt', '-i', '--age', recipient, '--transit-key', 'crypt-set', ...Object.keys(FILES)],
        serverEnv(),
      ),
    );
  });
  afterAll(async () => removeTempDir(dir));

  it('encrypts in place (0600); either recipient alone opens the files', async () => {
    const a = await readFile(join(dir, 'a.yaml'), 'utf8');
    expect(a).not.toContain('s3cret');
    expect(a).toMatch(/hush_transit:\n\s+- key: crypt-set\n\s+enc: hush:v1:/);
    expect((await stat(join(dir, 'a.yaml'))).mode & 0o777).toBe(0o600);
    expect(ok(await hush(['crypt', 'decrypt', 'a.yaml'], ageEnv()))).toBe(FILES['a.yaml']);
    expect(ok(await hush(['crypt', 'decrypt', 'b.env'], serverEnv()))).toBe(FILES['b.env']);
    expect(ok(await hush(['crypt', 'decrypt', 'c.toml'], serverEnv()))).toBe(FILES['c.toml']);
    expect(await readFile(join(dir, 'b.env'), 'utf8')).toContain('MODE_unencrypted=dev');
  });

  it('transit access is policy: a reader opens the files, an encrypt-only token is refused, a revoked token too', async () => {
    const policy = (name: string, caps: string[]) =>
      writeFile(
        join(dir, `${name}.json`),
        JSON.stringify({ name, rules: [{ path: 'transit/keys/crypt-set', capabilities: caps }] }),
      );
    await policy('crypt-reader', ['decrypt']);
    await policy('crypt-writer', ['encrypt']);
    ok(await hush(['policy', 'write', 'crypt-reader', 'crypt-reader.json'], serverEnv()));
    ok(await hush(['policy', 'write', 'crypt-writer', 'crypt-writer.json'], serverEnv()));
    const token = async (p: string) =>
      JSON.parse(ok(await hush(['--json', 'token', 'create', '--policy', p], serverEnv()))).token as string;
    const reader = await token('crypt-reader');
    const writer = await token('crypt-writer');
    const as = (t: string) => ({ HUSH_ADDR: fx.server.url, HUSH_TOKEN: t, HOME: dir });
    expect(ok(await hush(['crypt', 'decrypt', 'c.toml'], as(reader)))).toBe(FILES['c.toml']);
    const refused = await hush(['crypt', 'decrypt', 'c.toml'], as(writer));
    expect(refused.code).toBe(6);
    expect(refused.stderr).toContain('HUSH_E_FORBIDDEN');
    ok(await hush(['token', 'revoke'], as(reader)));
    expect((await hush(['crypt', 'decrypt', 'c.toml'], as(reader))).code).toBe(6);
  });

  it('opening a whole file set costs one transit call', async () => {
    const client = createHushClient({ address: fx.server.url, token: fx.root });
    const transit: TransitKeyService = {
      wrap: async () => {
        throw new Error('not used');
      },
      unwrap: async (key, ciphertext) =>
        Buffer.from((await client.transit.decrypt(key, { ciphertext })).plaintext, 'base64'),
    };
    const dataKeys = createDataKeys([], transit);
    const ctx = { dataKeys, now: () => new Date(), cwd: dir };
    for (const f of Object.keys(FILES)) await openFile(join(dir, f), undefined, ctx);
    expect(dataKeys.transitCalls()).toBe(1);
  });

  it('exec-env and exec-file hand the values to a command, leaving no plaintext file behind', async () => {
    const env = await hush(
      [
        'crypt',
        'exec-env',
        'b.env',
        '--',
        process.execPath,
        '-e',
        'process.stdout.write(process.env.API_KEY)',
      ],
      ageEnv(),
    );
    expect(ok(env)).toBe('abc123');
    const file = await hush(
      [
        'crypt',
        'exec-file',
        'a.yaml',
        '--',
        process.execPath,
        '-e',
        'const f=process.argv[1];process.stdout.write(require("fs").readFileSync(f,"utf8")+"|"+f)',
        '{}',
      ],
      ageEnv(),
    );
    const [text, path] = ok(file).split('|');
    expect(text).toBe(FILES['a.yaml']);
    await expect(stat(path as string)).rejects.toThrow();
    const failing = await hush(
      ['crypt', 'exec-env', 'b.env', '--', process.execPath, '-e', 'process.exit(3)'],
      ageEnv(),
    );
    expect(failing.code).toBe(3);
  });

  it('edit re-encrypts only what changed', async () => {
    const before = await readFile(join(dir, 'a.yaml'), 'utf8');
    const editor = join(dir, 'editor.sh');
    await writeFile(editor, '#!/bin/sh\nsed -i s/admin/root/ "$1"\n', { mode: 0o700 });
    ok(await hush(['crypt', 'edit', 'a.yaml'], { ...ageEnv(), EDITOR: editor }));
    const after = await readFile(join(dir, 'a.yaml'), 'utf8');
    const line = (t: string, k: string) => t.split('\n').find((l) => l.includes(`${k}:`));
    expect(line(after, 'password')).toBe(line(before, 'password'));
    expect(line(after, 'user')).not.toBe(line(before, 'user'));
    expect(ok(await hush(['crypt', 'decrypt', 'a.yaml'], ageEnv()))).toContain('user: root');
  });

  it('a tampered file is a coded error naming file and key path, and nothing is written', async () => {
    const good = await readFile(join(dir, 'c.toml'), 'utf8');
    const a = await readFile(join(dir, 'a.yaml'), 'utf8');
    await writeFile(
      join(dir, 'bad.yaml'),
      a.replace(
        /(password: ENC\[AES256_GCM,data:)(.)/,
        (_m, p: string, c: string) => p + (c === 'A' ? 'B' : 'A'),
      ),
    );
    const run = await hush(['crypt', 'decrypt', '-i', 'c.toml', 'bad.yaml'], ageEnv());
    expect(run.code).toBe(7);
    expect(run.stderr).toContain('HUSH_E_INTEGRITY');
    expect(run.stderr).toContain('bad.yaml: the value at db.password failed authentication');
    expect(run.stderr).not.toContain('    at ');
    expect(await readFile(join(dir, 'c.toml'), 'utf8')).toBe(good);
    await writeFile(join(dir, 'bin.yaml'), Buffer.from([0x61, 0, 0x62]));
    const bin = await hush(['crypt', 'encrypt', '--age', recipient, 'bin.yaml'], ageEnv());
    expect(bin.code).toBe(2);
    expect(bin.stderr).toContain('bin.yaml is binary');
    const nokey = await hush(['crypt', 'decrypt', 'a.yaml'], { HOME: dir });
    expect(nokey.code).toBe(5);
    expect(nokey.stderr).toContain('a.yaml: none of its recipients could unwrap the data key');
  });

  it('rotate gives every value a new ciphertext; updatekeys applies the creation rule', async () => {
    await writeFile(join(dir, 'r.env'), 'A=1\nB=2\n');
    ok(await hush(['crypt', 'encrypt', '-i', '--age', recipient, 'r.env'], ageEnv()));
    const before = await readFile(join(dir, 'r.env'), 'utf8');
    ok(await hush(['crypt', 'rotate', '-i', 'r.env'], ageEnv()));
    const after = await readFile(join(dir, 'r.env'), 'utf8');
    expect(/^A=.*$/m.exec(after)?.[0]).not.toBe(/^A=.*$/m.exec(before)?.[0]);
    expect(ok(await hush(['crypt', 'decrypt', 'r.env'], ageEnv()))).toBe('A=1\nB=2\n');
    execFileSync('age-keygen', ['-o', join(dir, 'key2.txt')], { stdio: 'ignore' });
    const second = /age1\w+/.exec(await readFile(join(dir, 'key2.txt'), 'utf8'))?.[0] as string;
    await writeFile(
      join(dir, '.sops.yaml'),
      `creation_rules:\n  - path_regex: r\\.env$\n    age: ${second}\n`,
    );
    const report = JSON.parse(ok(await hush(['--json', 'crypt', 'updatekeys', 'r.env'], ageEnv())));
    expect(report).toEqual([{ file: 'r.env', change: 'rekeyed' }]);
    expect((await hush(['crypt', 'decrypt', 'r.env'], ageEnv())).code).toBe(5);
    expect(
      ok(await hush(['crypt', 'decrypt', 'r.env'], { SOPS_AGE_KEY_FILE: join(dir, 'key2.txt'), HOME: dir })),
    ).toBe('A=1\nB=2\n');
  });

  it('removing a recipient re-keys the set and lists the values to rotate by hand', async () => {
    const listed = JSON.parse(ok(await hush(['--json', 'crypt', 'recipients', 'list', 'a.yaml'], ageEnv())));
    expect(listed.map((r: { kind: string }) => r.kind).sort()).toEqual(['age', 'transit']);
    const oldPassword = (await readFile(join(dir, 'a.yaml'), 'utf8'))
      .split('\n')
      .find((l) => l.includes('password'));
    const out = ok(
      await hush(
        ['crypt', 'recipients', 'remove', '--age', recipient, 'a.yaml', 'b.env', 'c.toml'],
        serverEnv(),
      ),
    );
    expect(out).toContain('rotate by hand');
    expect(out).toMatch(/a\.yaml\s+db\.password/);
    expect(out).toMatch(/b\.env\s+API_KEY/);
    expect(out).not.toContain('MODE_unencrypted');
    const a = await readFile(join(dir, 'a.yaml'), 'utf8');
    expect(a).not.toContain(recipient);
    expect(a.split('\n').find((l) => l.includes('password'))).not.toBe(oldPassword);
    const revoked = await hush(['crypt', 'decrypt', 'a.yaml'], ageEnv());
    expect(revoked.code).toBe(5);
    expect(ok(await hush(['crypt', 'decrypt', 'a.yaml'], serverEnv()))).toContain('password: s3cret');
    const last = await hush(
      ['crypt', 'recipients', 'remove', '--transit-key', 'crypt-set', 'a.yaml'],
      serverEnv(),
    );
    expect(last.code).toBe(2);
    expect(last.stderr).toContain('would leave a.yaml with no recipient');
  });
});
