import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { api, useHushServer } from './support/hush-server.js';

// Attacks from the transit review against a real server: each case failed before its fix (or guards a property
// the review checked and found holding).

const fx = useHushServer('transit-review');
const b64 = (text: string) => Buffer.from(text).toString('base64');
const root = (method: string, path: string, body?: unknown) => api(fx.server, fx.root, method, path, body);
const anonymous = (path: string) => api(fx.server, undefined, 'GET', path);

function errorOf(res: { status: number; json: unknown }) {
  const error = (res.json as { error?: { code?: string; message?: string } }).error;
  return { status: res.status, code: error?.code, message: error?.message };
}

describe('transit review against a real server', () => {
  it('the public JWKS endpoint tells an anonymous caller nothing about keys that are not signing keys', async () => {
    expect((await root('POST', '/v1/transit/keys/payroll', { type: 'aes256-gcm96' })).status).toBe(201);
    const symmetric = errorOf(await anonymous('/v1/transit/keys/payroll/jwks.json'));
    const missing = errorOf(await anonymous('/v1/transit/keys/payrolx/jwks.json'));
    expect(symmetric.status).toBe(404);
    expect({ ...symmetric, message: symmetric.message?.replaceAll('payroll', 'X') }).toEqual({
      ...missing,
      message: missing.message?.replaceAll('payrolx', 'X'),
    });
  });

  it('the JWKS lists only versions that still verify (not those below minDecryptionVersion)', async () => {
    await root('POST', '/v1/transit/keys/release', { type: 'ed25519' });
    await root('POST', '/v1/transit/keys/release/rotate');
    expect((await root('POST', '/v1/transit/keys/release/config', { minDecryptionVersion: 2 })).status).toBe(
      200,
    );
    const jwks = (await anonymous('/v1/transit/keys/release/jwks.json')).json as { keys: { kid: string }[] };
    expect(jwks.keys.map((k) => k.kid)).toEqual(['release:v2']);
  });

  it("a derivation context over HKDF's 1,024-byte info limit is a coded 400, not a 500", async () => {
    await root('POST', '/v1/transit/keys/tenants', { type: 'chacha20-poly1305', derived: true });
    const context = Buffer.alloc(1025, 1).toString('base64');
    const cases: [string, object][] = [
      ['/v1/transit/encrypt/tenants', { plaintext: b64('x'), context }],
      [
        '/v1/transit/decrypt/tenants',
        { ciphertext: `hush:v1:${Buffer.alloc(40).toString('base64')}`, context },
      ],
      ['/v1/transit/datakey/tenants', { context }],
    ];
    for (const [path, body] of cases)
      expect({ path, ...errorOf(await root('POST', path, body)) }).toMatchObject({
        path,
        status: 400,
        code: 'HUSH_E_INVALID_INPUT',
      });
    const ok = await root('POST', '/v1/transit/encrypt/tenants', {
      plaintext: b64('x'),
      context: Buffer.alloc(1024, 1).toString('base64'),
    });
    expect(ok.status).toBe(200);
  });

  it('a key created without exportable cannot be flipped exportable and exported', async () => {
    await root('POST', '/v1/transit/keys/crown', { type: 'ed25519' });
    const flip = errorOf(await root('POST', '/v1/transit/keys/crown/config', { exportable: true }));
    expect(flip).toMatchObject({ status: 400, code: 'HUSH_E_INVALID_INPUT' });
    expect(errorOf(await root('GET', '/v1/transit/keys/crown/export'))).toMatchObject({ status: 400 });
    expect(((await root('GET', '/v1/transit/keys/crown')).json as { exportable: boolean }).exportable).toBe(
      false,
    );
  });

  it('hmac needs sign and verify-hmac needs verify; the audit trail keeps no input, signature, HMAC or data key', async () => {
    await root('POST', '/v1/transit/keys/mac2', { type: 'hmac' });
    await root('POST', '/v1/transit/keys/sig2', { type: 'ecdsa-p256' });
    await root('POST', '/v1/transit/keys/dk2', { type: 'aes256-gcm96' });
    expect(
      (
        await root('PUT', '/v1/sys/policies/verifier', {
          name: 'verifier',
          rules: [{ path: 'transit/keys/mac2', capabilities: ['verify'] }],
        })
      ).status,
    ).toBe(200);
    const verifier = (
      (await root('POST', '/v1/auth/token/create', { policies: ['verifier'] })).json as { token: string }
    ).token;
    const input = b64('audit-review-canary-input');
    expect((await api(fx.server, verifier, 'POST', '/v1/transit/hmac/mac2', { input })).status).toBe(403);

    const mac = ((await root('POST', '/v1/transit/hmac/mac2', { input })).json as { hmac: string }).hmac;
    expect(
      (await api(fx.server, verifier, 'POST', '/v1/transit/verify-hmac/mac2', { input, hmac: mac })).json,
    ).toEqual({ valid: true });
    const sig = ((await root('POST', '/v1/transit/sign/sig2', { input })).json as { signature: string })
      .signature;
    await root('POST', '/v1/transit/verify/sig2', { input, signature: sig });
    const dk = (await root('POST', '/v1/transit/datakey/dk2', {})).json as {
      plaintext: string;
      ciphertext: string;
    };
    await root('POST', '/v1/transit/hash', { input });

    const trail = await readFile(join(fx.dir, 'audit.jsonl'), 'utf8');
    for (const leaked of [
      input,
      mac,
      mac.slice('hush:v1:'.length),
      sig.slice('hush:v1:'.length),
      dk.plaintext,
      dk.ciphertext.slice('hush:v1:'.length),
    ])
      expect(trail).not.toContain(leaked);
  });
});
