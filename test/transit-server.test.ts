import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { api, useHushServer } from './support/hush-server.js';

const fx = useHushServer('transit-server');
const b64 = (text: string) => Buffer.from(text).toString('base64');
const root = (method: string, path: string, body?: unknown) => api(fx.server, fx.root, method, path, body);

async function errorOf(res: { status: number; json: unknown }) {
  return { status: res.status, code: (res.json as { error?: { code?: string } }).error?.code };
}

async function tokenWith(name: string, rules: { path: string; capabilities: string[] }[]): Promise<string> {
  expect((await root('PUT', `/v1/sys/policies/${name}`, { name, rules })).status).toBe(200);
  return ((await root('POST', '/v1/auth/token/create', { policies: [name] })).json as { token: string })
    .token;
}

describe('transit against a real server', () => {
  it('encrypts, decrypts, rotates, rewraps and enforces min_decryption_version', async () => {
    expect((await root('POST', '/v1/transit/keys/pay', { type: 'chacha20-poly1305' })).status).toBe(201);
    const ad = b64('order-42');
    const enc = await root('POST', '/v1/transit/encrypt/pay', {
      plaintext: b64('card 4111'),
      associatedData: ad,
    });
    const { ciphertext } = enc.json as { ciphertext: string };
    expect(ciphertext).toMatch(/^hush:v1:/);
    const dec = await root('POST', '/v1/transit/decrypt/pay', { ciphertext, associatedData: ad });
    expect(dec.json).toEqual({ plaintext: b64('card 4111') });

    expect(
      ((await root('POST', '/v1/transit/keys/pay/rotate')).json as { latestVersion: number }).latestVersion,
    ).toBe(2);
    const rewrapped = (await root('POST', '/v1/transit/rewrap/pay', { ciphertext, associatedData: ad }))
      .json as {
      ciphertext: string;
    };
    expect(rewrapped.ciphertext).toMatch(/^hush:v2:/);
    expect((await root('POST', '/v1/transit/keys/pay/config', { minDecryptionVersion: 2 })).status).toBe(200);
    expect(
      await errorOf(await root('POST', '/v1/transit/decrypt/pay', { ciphertext, associatedData: ad })),
    ).toEqual({
      status: 400,
      code: 'HUSH_E_TRANSIT_VERSION',
    });
    const again = await root('POST', '/v1/transit/decrypt/pay', {
      ciphertext: rewrapped.ciphertext,
      associatedData: ad,
    });
    expect(again.json).toEqual({ plaintext: b64('card 4111') });
  });

  it('batches: one result per item, a bad item refuses only itself, and over the limit is 413', async () => {
    await root('POST', '/v1/transit/keys/batchy', { type: 'aes256-gcm96' });
    const enc = (
      await root('POST', '/v1/transit/encrypt/batchy', {
        batch: [{ plaintext: b64('a') }, { plaintext: 'not*base64' }, { plaintext: b64('c') }],
      })
    ).json as { batch: ({ ciphertext: string } | { error: { code: string } })[] };
    expect(enc.batch).toHaveLength(3);
    expect((enc.batch[1] as { error: { code: string } }).error.code).toBe('HUSH_E_INVALID_INPUT');
    const first = enc.batch[0] as { ciphertext: string };
    const dec = (
      await root('POST', '/v1/transit/decrypt/batchy', { batch: [{ ciphertext: first.ciphertext }] })
    ).json as {
      batch: { plaintext: string }[];
    };
    expect(dec.batch[0]?.plaintext).toBe(b64('a'));
    const tooMany = Array.from({ length: 1001 }, () => ({ plaintext: b64('x') }));
    expect(await errorOf(await root('POST', '/v1/transit/encrypt/batchy', { batch: tooMany }))).toEqual({
      status: 413,
      code: 'HUSH_E_TOO_LARGE',
    });
  });

  it('bad input is a coded 4xx, never a 5xx, and never echoes what was sent', async () => {
    await root('POST', '/v1/transit/keys/bad-aes', { type: 'aes256-gcm96' });
    const ct = (
      (await root('POST', '/v1/transit/encrypt/bad-aes', { plaintext: b64('top secret words') })).json as {
        ciphertext: string;
      }
    ).ciphertext;
    const body = Buffer.from(ct.slice('hush:v1:'.length), 'base64');
    body[body.length - 1] = (body[body.length - 1] ?? 0) ^ 1;
    const cases: [string, unknown, number, string][] = [
      ['/v1/transit/sign/bad-aes', { input: b64('m') }, 400, 'HUSH_E_TRANSIT_KEY_TYPE'],
      [
        '/v1/transit/decrypt/bad-aes',
        { ciphertext: `hush:v1:${body.toString('base64')}` },
        400,
        'HUSH_E_TRANSIT_INVALID',
      ],
      ['/v1/transit/decrypt/bad-aes', { ciphertext: ct.slice(0, 20) }, 400, 'HUSH_E_TRANSIT_INVALID'],
      ['/v1/transit/decrypt/bad-aes', { ciphertext: 'top secret words' }, 400, 'HUSH_E_TRANSIT_INVALID'],
      ['/v1/transit/decrypt/bad-aes', { ciphertext: 'hush:v7:AAAA' }, 400, 'HUSH_E_TRANSIT_VERSION'],
      ['/v1/transit/encrypt/bad-aes', { plaintext: 'top secret words' }, 400, 'HUSH_E_INVALID_INPUT'],
      ['/v1/transit/encrypt/bad-aes', { plaintext: b64('x'), keyVersion: 3 }, 400, 'HUSH_E_TRANSIT_VERSION'],
      ['/v1/transit/encrypt/no-such-key', { plaintext: b64('x') }, 404, 'HUSH_E_NOT_FOUND'],
      ['/v1/transit/encrypt/bad-aes', {}, 400, 'HUSH_E_USAGE'],
    ];
    for (const [path, payload, status, code] of cases) {
      const res = await root('POST', path, payload);
      expect({ path, ...(await errorOf(res)) }).toEqual({ path, status, code });
      expect(res.text).not.toContain('top secret');
    }
    // A deleted key is gone: deletion must be allowed first, then operations on it are 404.
    expect(await errorOf(await root('DELETE', '/v1/transit/keys/bad-aes'))).toEqual({
      status: 400,
      code: 'HUSH_E_INVALID_INPUT',
    });
    await root('POST', '/v1/transit/keys/bad-aes/config', { deletionAllowed: true });
    expect((await root('DELETE', '/v1/transit/keys/bad-aes')).status).toBe(200);
    expect(await errorOf(await root('POST', '/v1/transit/decrypt/bad-aes', { ciphertext: ct }))).toEqual({
      status: 404,
      code: 'HUSH_E_NOT_FOUND',
    });
  });

  it('separate capabilities: encrypt is not decrypt, sign is not verify', async () => {
    await root('POST', '/v1/transit/keys/split', { type: 'aes256-gcm96' });
    await root('POST', '/v1/transit/keys/split-sig', { type: 'ed25519' });
    const encryptor = await tokenWith('transit-enc', [
      { path: 'transit/keys/split', capabilities: ['encrypt'] },
      { path: 'transit/keys/split-sig', capabilities: ['verify'] },
    ]);
    const as = (method: string, path: string, body?: unknown) =>
      api(fx.server, encryptor, method, path, body);
    const ct = (await as('POST', '/v1/transit/encrypt/split', { plaintext: b64('x') })).json as {
      ciphertext: string;
    };
    expect(ct.ciphertext).toMatch(/^hush:v1:/);
    expect((await as('POST', '/v1/transit/decrypt/split', { ciphertext: ct.ciphertext })).status).toBe(403);
    expect((await as('POST', '/v1/transit/rewrap/split', { ciphertext: ct.ciphertext })).status).toBe(403);
    const sig = (await root('POST', '/v1/transit/sign/split-sig', { input: b64('m') })).json as {
      signature: string;
    };
    expect(
      (await as('POST', '/v1/transit/verify/split-sig', { input: b64('m'), signature: sig.signature })).json,
    ).toEqual({
      valid: true,
    });
    expect((await as('POST', '/v1/transit/sign/split-sig', { input: b64('m') })).status).toBe(403);
    expect((await as('GET', '/v1/transit/keys/split')).status).toBe(403);
  });

  it('signs, verifies, HMACs, makes datakeys, random bytes and hashes; exports only exportable keys', async () => {
    for (const type of ['ed25519', 'ecdsa-p384', 'rsa-2048'])
      expect((await root('POST', `/v1/transit/keys/s-${type}`, { type })).status).toBe(201);
    for (const type of ['ed25519', 'ecdsa-p384', 'rsa-2048']) {
      const sig = (
        await root('POST', `/v1/transit/sign/s-${type}`, {
          input: b64('release 1.0'),
          hashAlgorithm: 'sha2-384',
        })
      ).json as { signature: string };
      const ok = await root('POST', `/v1/transit/verify/s-${type}`, {
        input: b64('release 1.0'),
        hashAlgorithm: 'sha2-384',
        signature: sig.signature,
      });
      expect(ok.json).toEqual({ valid: true });
      const bad = await root('POST', `/v1/transit/verify/s-${type}`, {
        input: b64('release 1.1'),
        hashAlgorithm: 'sha2-384',
        signature: sig.signature,
      });
      expect(bad.json).toEqual({ valid: false });
    }
    const jwks = (await api(fx.server, undefined, 'GET', '/v1/transit/keys/s-ecdsa-p384/jwks.json')).json as {
      keys: { kid: string; alg: string; d?: string }[];
    };
    expect(jwks.keys).toEqual([expect.objectContaining({ kid: 's-ecdsa-p384:v1', alg: 'ES384' })]);
    expect(jwks.keys[0]?.d).toBeUndefined();

    await root('POST', '/v1/transit/keys/mac', { type: 'hmac' });
    const mac = (await root('POST', '/v1/transit/hmac/mac', { input: b64('m') })).json as { hmac: string };
    expect(
      (await root('POST', '/v1/transit/verify-hmac/mac', { input: b64('m'), hmac: mac.hmac })).json,
    ).toEqual({
      valid: true,
    });
    expect(
      (await root('POST', '/v1/transit/verify-hmac/mac', { input: b64('n'), hmac: mac.hmac })).json,
    ).toEqual({
      valid: false,
    });

    await root('POST', '/v1/transit/keys/dk', { type: 'aes256-gcm96', derived: true });
    const context = b64('tenant-7');
    const dk = (await root('POST', '/v1/transit/datakey/dk', { context })).json as {
      plaintext: string;
      ciphertext: string;
    };
    expect(Buffer.from(dk.plaintext, 'base64')).toHaveLength(32);
    expect(
      (await root('POST', '/v1/transit/decrypt/dk', { ciphertext: dk.ciphertext, context })).json,
    ).toEqual({
      plaintext: dk.plaintext,
    });
    const wrapped = (await root('POST', '/v1/transit/datakey/dk', { context, wrappedOnly: true }))
      .json as object;
    expect(Object.keys(wrapped).sort()).toEqual(['ciphertext', 'keyVersion']);

    const random = (await root('POST', '/v1/transit/random', { bytes: 16, format: 'hex' })).json as {
      random: string;
    };
    expect(random.random).toMatch(/^[0-9a-f]{32}$/);
    const sum = (await root('POST', '/v1/transit/hash', { input: b64('abc') })).json as { sum: string };
    expect(sum.sum).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');

    expect(await errorOf(await root('GET', '/v1/transit/keys/dk/export'))).toEqual({
      status: 400,
      code: 'HUSH_E_INVALID_INPUT',
    });
    await root('POST', '/v1/transit/keys/exp', { type: 'aes256-gcm96', exportable: true });
    const exported = (await root('GET', '/v1/transit/keys/exp/export')).json as {
      keys: { version: number; key: string }[];
    };
    const material = Buffer.from(exported.keys[0]?.key ?? '', 'base64');
    expect(material).toHaveLength(32);
    // At rest the key is sealed: neither its bytes nor their base64 are anywhere in the database files.
    let read = 0;
    for (const file of ['hush.db', 'hush.db-wal']) {
      const bytes = await readFile(join(fx.dir, file)).catch(() => Buffer.alloc(0));
      read += bytes.length;
      expect(bytes.includes(material), file).toBe(false);
      expect(bytes.includes(Buffer.from(exported.keys[0]?.key ?? '')), file).toBe(false);
    }
    expect(read).toBeGreaterThan(0);
  });

  it('the audit trail holds HMACs of transit inputs, never the plaintext or ciphertext', async () => {
    await root('POST', '/v1/transit/keys/audited', { type: 'aes256-gcm96' });
    const plaintext = b64('audit-canary-plaintext');
    const ct = (await root('POST', '/v1/transit/encrypt/audited', { plaintext })).json as {
      ciphertext: string;
    };
    await root('POST', '/v1/transit/decrypt/audited', { ciphertext: ct.ciphertext });
    const trail = await readFile(join(fx.dir, 'audit.jsonl'), 'utf8');
    expect(trail).not.toContain(plaintext);
    expect(trail).not.toContain(ct.ciphertext);
    const hmac = ((await root('POST', '/v1/sys/audit/hash', { value: plaintext })).json as { hmac: string })
      .hmac;
    const records = trail
      .trim()
      .split('\n')
      .map(
        (l) =>
          JSON.parse(l) as {
            operation: string;
            outcome: string;
            details?: { inputValues?: { plaintext?: string }[] };
          },
      );
    const encrypts = records.filter((r) => r.operation === 'transit.encrypt' && r.outcome !== 'requested');
    expect(encrypts.at(-1)?.details?.inputValues?.[0]?.plaintext).toBe(hmac);
  });

  it('random and hash need only a valid token: no key policy, but never anonymous', async () => {
    const nobody = await tokenWith('transit-nothing', [{ path: 'secret/unrelated', capabilities: ['read'] }]);
    const random = await api(fx.server, nobody, 'POST', '/v1/transit/random', { bytes: 8, format: 'hex' });
    expect(random.status).toBe(200);
    expect((random.json as { random: string }).random).toMatch(/^[0-9a-f]{16}$/);
    const sum = await api(fx.server, nobody, 'POST', '/v1/transit/hash', { input: b64('abc') });
    expect(sum.status).toBe(200);
    expect(await errorOf(await api(fx.server, undefined, 'POST', '/v1/transit/random', {}))).toEqual({
      status: 401,
      code: 'HUSH_E_UNAUTHENTICATED',
    });
    expect(
      await errorOf(await api(fx.server, undefined, 'POST', '/v1/transit/hash', { input: b64('abc') })),
    ).toEqual({
      status: 401,
      code: 'HUSH_E_UNAUTHENTICATED',
    });
  });
});
