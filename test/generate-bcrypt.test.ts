import { spawnSync } from 'node:child_process';
import { createDecipheriv } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { bcryptPbkdf } from '../src/core/generate/bcrypt-pbkdf.js';
import { piWords } from '../src/core/generate/blowfish-state.js';
import { SshReader } from '../src/core/generate/ssh-wire.js';

const dir = mkdtempSync(join(tmpdir(), 'hush-bcrypt-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('bcrypt_pbkdf', () => {
  it('Blowfish starts from the hex digits of pi', () => {
    const w = piWords();
    expect(w[0]).toBe(0x243f6a88);
    expect(w[17]).toBe(0x8979fb1b); // last P-array word
    expect(w[18]).toBe(0xd1310ba6); // first S-box word
    expect(w[1041]).toBe(0x3ac372e6); // last S-box word
  });

  it('derives the key that decrypts a passphrase-protected key written by ssh-keygen', () => {
    const file = join(dir, 'id');
    const gen = spawnSync('ssh-keygen', [
      '-q',
      '-t',
      'ed25519',
      '-N',
      'hunter2 pass',
      '-C',
      'kat',
      '-f',
      file,
    ]);
    expect(gen.error, 'ssh-keygen is missing: apt-get install -y openssh-client').toBeUndefined();
    expect(gen.status).toBe(0);
    const pem = readFileSync(file, 'utf8')
      .replace(/-----[A-Z ]+-----/g, '')
      .replace(/\s+/g, '');
    const r = new SshReader(Buffer.from(pem, 'base64').subarray(15));
    expect(r.text()).toBe('aes256-ctr');
    expect(r.text()).toBe('bcrypt');
    const opts = new SshReader(r.bytes());
    const salt = opts.bytes();
    const rounds = opts.uint32();
    expect(r.uint32()).toBe(1);
    r.bytes();
    const encrypted = r.bytes();
    const decrypt = (pass: string) => {
      const km = bcryptPbkdf(Buffer.from(pass), salt, 48, rounds);
      const d = createDecipheriv('aes-256-ctr', km.subarray(0, 32), km.subarray(32));
      const plain = new SshReader(Buffer.concat([d.update(encrypted), d.final()]));
      return [plain.uint32(), plain.uint32(), plain] as const;
    };
    const [a, b, plain] = decrypt('hunter2 pass');
    expect(a).toBe(b);
    expect(plain.text()).toBe('ssh-ed25519');
    const [c, e] = decrypt('hunter3 pass');
    expect(c).not.toBe(e);
  });
});
