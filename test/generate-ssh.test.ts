import { spawnSync } from 'node:child_process';
import { createPrivateKey, createPublicKey, sign, verify } from 'node:crypto';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { HushError } from '../src/core/errors/hush-error.js';
import { type SshKeyType, sshKeyPair } from '../src/core/generate/index.js';
import { SshReader } from '../src/core/generate/ssh-wire.js';

const HAVE_SSH_KEYGEN = spawnSync('ssh-keygen', ['-?']).error === undefined;
const dir = mkdtempSync(join(tmpdir(), 'hush-ssh-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Parse our own openssh-key-v1 output back into a node KeyObject, independently of ssh-keygen. */
function parseOpenSsh(pem: string) {
  const body = pem.replace(/-----[A-Z ]+-----/g, '').replace(/\s+/g, '');
  const buf = Buffer.from(body, 'base64');
  expect(buf.subarray(0, 15).toString('latin1')).toBe('openssh-key-v1\0');
  const r = new SshReader(buf.subarray(15));
  expect([r.text(), r.text(), r.text()]).toEqual(['none', 'none', '']);
  expect(r.uint32()).toBe(1);
  const publicBlob = r.bytes();
  const priv = new SshReader(r.bytes());
  expect(r.rest()).toHaveLength(0);
  expect(priv.uint32()).toBe(priv.uint32());
  const type = priv.text();
  return { publicBlob, type, priv };
}

describe('sshKeyPair', () => {
  it('ed25519: the private half signs what the public half verifies', () => {
    const k = sshKeyPair({ type: 'ed25519', comment: 'deploy@ci' });
    expect(k.privateKey).toMatch(
      /^-----BEGIN OPENSSH PRIVATE KEY-----\n[\s\S]+\n-----END OPENSSH PRIVATE KEY-----\n$/,
    );
    expect(k.publicKey).toMatch(/^ssh-ed25519 [A-Za-z0-9+/=]+ deploy@ci$/);
    const { publicBlob, type, priv } = parseOpenSsh(k.privateKey);
    expect(type).toBe('ssh-ed25519');
    expect(publicBlob.toString('base64')).toBe(k.publicKey.split(' ')[1]);
    const pub = priv.bytes();
    const secret = priv.bytes();
    expect(priv.text()).toBe('deploy@ci');
    const padding = priv.rest();
    expect([...padding]).toEqual(
      padding.length ? Array.from({ length: padding.length }, (_, i) => i + 1) : [],
    );
    expect(secret.subarray(32)).toEqual(pub);
    const x = pub.toString('base64url');
    const key = createPrivateKey({
      key: { kty: 'OKP', crv: 'Ed25519', d: secret.subarray(0, 32).toString('base64url'), x },
      format: 'jwk',
    });
    const sig = sign(null, Buffer.from('m'), key);
    expect(
      verify(
        null,
        Buffer.from('m'),
        createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x }, format: 'jwk' }),
        sig,
      ),
    ).toBe(true);
  });

  it('two keys differ', () => {
    expect(sshKeyPair().privateKey).not.toBe(sshKeyPair().privateKey);
  });

  it('refuses passphrases (not supported yet) and bad options with a clear error', () => {
    const cases: [() => unknown, RegExp][] = [
      [() => sshKeyPair({ passphrase: '' }), /passphrase is empty/],
      [() => sshKeyPair({ type: 'dsa' as never }), /ed25519, rsa, ecdsa/],
      [() => sshKeyPair({ comment: 'a\nb' }), /one line/],
      [() => sshKeyPair({ type: 'ed25519', bits: 4096 }), /rsa ssh keys only/],
      [() => sshKeyPair({ type: 'rsa', bits: 1024 }), /2048\.\.8192/],
    ];
    for (const [fn, message] of cases) {
      expect(fn).toThrow(HushError);
      expect(fn).toThrow(message);
    }
  });

  // hush:allow generic-password-assignment (a test title, not a credential)
  it('with a passphrase: aes256-ctr + bcrypt; ssh-keygen opens it with that passphrase only', () => {
    expect(HAVE_SSH_KEYGEN, 'ssh-keygen is missing: apt-get install -y openssh-client').toBe(true);
    for (const type of ['ed25519', 'ecdsa'] as const) {
      const k = sshKeyPair({ type, comment: 'locked', passphrase: 'open sesame' });
      const body = Buffer.from(k.privateKey.replace(/-----[A-Z ]+-----/g, '').replace(/\s+/g, ''), 'base64');
      const r = new SshReader(body.subarray(15));
      expect([r.text(), r.text()]).toEqual(['aes256-ctr', 'bcrypt']);
      const file = join(dir, `locked-${type}`);
      writeFileSync(file, k.privateKey, { mode: 0o600 });
      const ok = spawnSync('ssh-keygen', ['-y', '-P', 'open sesame', '-f', file], { encoding: 'utf8' });
      expect(ok.status, ok.stderr).toBe(0);
      expect(ok.stdout.trim().split(' ').slice(0, 2)).toEqual(k.publicKey.split(' ').slice(0, 2));
      const wrong = spawnSync('ssh-keygen', ['-y', '-P', 'open sesame!', '-f', file], { encoding: 'utf8' });
      expect(wrong.status).not.toBe(0);
      expect(wrong.stderr).toMatch(/incorrect passphrase/i);
    }
  });

  // CI installs openssh-client (.ci/run); locally a missing ssh-keygen fails loudly rather than skipping silently.
  const types: { type: SshKeyType; prefix: string; extra?: object }[] = [
    { type: 'ed25519', prefix: 'ssh-ed25519 ' },
    { type: 'rsa', prefix: 'ssh-rsa ', extra: { bits: 2048 } },
    { type: 'ecdsa', prefix: 'ecdsa-sha2-nistp256 ' },
    { type: 'ecdsa', prefix: 'ecdsa-sha2-nistp521 ', extra: { curve: 'P-521' } },
  ];
  for (const { type, prefix, extra } of types) {
    it(`${prefix.trim()}: ssh-keygen -y derives the same public key from the private key`, () => {
      expect(HAVE_SSH_KEYGEN, 'ssh-keygen is missing: apt-get install -y openssh-client').toBe(true);
      const k = sshKeyPair({ type, comment: 'hush-test', ...extra });
      expect(k.publicKey.startsWith(prefix)).toBe(true);
      const file = join(dir, `${type}-${Math.random().toString(36).slice(2)}`);
      writeFileSync(file, k.privateKey, { mode: 0o600 });
      chmodSync(file, 0o600);
      const r = spawnSync('ssh-keygen', ['-y', '-f', file], { encoding: 'utf8' });
      expect(r.stderr).toBe('');
      expect(r.status).toBe(0);
      // ssh-keygen -y prints "type base64 comment" (newer versions) or "type base64".
      expect(r.stdout.trim().split(' ').slice(0, 2)).toEqual(k.publicKey.split(' ').slice(0, 2));
      const fp = spawnSync('ssh-keygen', ['-l', '-f', file], { encoding: 'utf8' });
      expect(fp.status).toBe(0);
      if (type === 'rsa') expect(fp.stdout).toMatch(/^2048 SHA256:/);
    });
  }
});
