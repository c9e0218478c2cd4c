import { spawnSync } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { compactVerify, createLocalJWKSet, type JSONWebKeySet, jwtVerify } from 'jose';
import { describe, expect, it } from 'vitest';
import { api, useHushServer } from './support/hush-server.js';
import { runHush } from './support/run-hush.js';
import { makeTempDir, removeTempDir } from './support/temp-dir.js';

// A key's signature scheme (set at create) is what a sign request naming none uses and what its JWKS says, so a JWT
// signed through transit verifies with a stock JOSE library against the published JWKS, for either RSA scheme.
const fx = useHushServer('transit-jwks-alg');
const root = (method: string, path: string, body?: unknown) => api(fx.server, fx.root, method, path, body);
const b64url = (data: string | Buffer) => Buffer.from(data).toString('base64url');

/** A JWS compact JWT whose signature transit makes with the key's default scheme (the request names none). */
async function transitJwt(key: string, alg: string, claims: Record<string, unknown>): Promise<string> {
  const signingInput = `${b64url(JSON.stringify({ alg, kid: `${key}:v1`, typ: 'JWT' }))}.${b64url(JSON.stringify(claims))}`;
  const res = await root('POST', `/v1/transit/sign/${key}`, {
    input: Buffer.from(signingInput).toString('base64'),
  });
  expect(res.status).toBe(200);
  const { signature } = res.json as { signature: string };
  return `${signingInput}.${b64url(Buffer.from(signature.replace(/^hush:v1:/, ''), 'base64'))}`;
}

async function publishedJwks(key: string): Promise<JSONWebKeySet> {
  const res = await api(fx.server, undefined, 'GET', `/v1/transit/keys/${key}/jwks.json`);
  expect(res.status).toBe(200);
  return res.json as JSONWebKeySet;
}

describe('per-key RSA signature scheme: default sign scheme and JWKS alg', () => {
  it.each([
    ['pkcs1v15', 'RS256'],
    ['pss', 'PS256'],
  ])('a %s key signs a JWT that jose verifies against its JWKS (%s)', async (scheme, alg) => {
    const key = `jwt-${scheme}`;
    const created = await root('POST', `/v1/transit/keys/${key}`, {
      type: 'rsa-2048',
      signatureAlgorithm: scheme,
    });
    expect(created.status).toBe(201);
    expect(created.json).toMatchObject({ signatureAlgorithm: scheme, publicKeys: [{ jwk: { alg } }] });
    expect((await root('GET', `/v1/transit/keys/${key}`)).json).toMatchObject({ signatureAlgorithm: scheme });

    const jwks = await publishedJwks(key);
    expect(jwks.keys.map((k) => k.alg)).toEqual([alg]);
    const jwt = await transitJwt(key, alg, { sub: 'svc', iat: 1 });
    const { payload, protectedHeader } = await jwtVerify(jwt, createLocalJWKSet(jwks), { algorithms: [alg] });
    expect(payload).toEqual({ sub: 'svc', iat: 1 });
    expect(protectedHeader.kid).toBe(`${key}:v1`);

    // The signature really is of the key's scheme: under the other RSA alg the same bytes do not verify.
    const other = alg === 'RS256' ? 'PS256' : 'RS256';
    const relabelled = { keys: jwks.keys.map((k) => ({ ...k, alg: other })) };
    const [, body, sig] = jwt.split('.');
    const forged = `${b64url(JSON.stringify({ alg: other, kid: `${key}:v1` }))}.${body}.${sig}`;
    await expect(compactVerify(forged, createLocalJWKSet(relabelled))).rejects.toThrow();
  });

  it('an explicit per-request scheme still wins over the key default, for sign and verify', async () => {
    await root('POST', '/v1/transit/keys/legacy-rs', { type: 'rsa-3072', signatureAlgorithm: 'pkcs1v15' });
    const input = Buffer.from('release 1.0').toString('base64');
    const pss = (
      (await root('POST', '/v1/transit/sign/legacy-rs', { input, signatureAlgorithm: 'pss' })).json as {
        signature: string;
      }
    ).signature;
    const verify = (body: Record<string, unknown>) =>
      root('POST', '/v1/transit/verify/legacy-rs', { input, signature: pss, ...body });
    expect((await verify({ signatureAlgorithm: 'pss' })).json).toEqual({ valid: true });
    // Verification naming no scheme uses the key's (pkcs1v15), which a PSS signature does not satisfy.
    expect((await verify({})).json).toEqual({ valid: false });
  });

  it('refuses signatureAlgorithm on keys that are not RSA, and an unknown scheme, with coded 400s', async () => {
    const ec = await root('POST', '/v1/transit/keys/ec-alg', {
      type: 'ecdsa-p256',
      signatureAlgorithm: 'pss',
    });
    expect(ec.status).toBe(400);
    expect((ec.json as { error: { code: string; message: string } }).error).toMatchObject({
      code: 'HUSH_E_TRANSIT_KEY_TYPE',
      message: expect.stringContaining('only RSA keys take a signatureAlgorithm'),
    });
    const aes = await root('POST', '/v1/transit/keys/aes-alg', {
      type: 'aes256-gcm96',
      signatureAlgorithm: 'pkcs1v15',
    });
    expect((aes.json as { error: { code: string } }).error.code).toBe('HUSH_E_TRANSIT_KEY_TYPE');
    const unknown = await root('POST', '/v1/transit/keys/rsa-bad', {
      type: 'rsa-2048',
      signatureAlgorithm: 'rsa',
    });
    expect(unknown.status).toBe(400);
    expect((await root('GET', '/v1/transit/keys/ec-alg')).status).toBe(404);
    // Non-RSA views carry no signatureAlgorithm (their signatures have one scheme).
    await root('POST', '/v1/transit/keys/ed-plain', { type: 'ed25519' });
    expect((await root('GET', '/v1/transit/keys/ed-plain')).json).not.toHaveProperty('signatureAlgorithm');
  });

  it('hush transit keys create --signature-algorithm pkcs1v15: shown, RS256 JWK, and hush sign makes what openssl checks as PKCS#1 v1.5', async () => {
    const dir = await makeTempDir('jwks-alg-cli');
    const hush = async (args: string[]) => {
      const run = await runHush(args, { env: { HUSH_ADDR: fx.server.url, HUSH_TOKEN: fx.root } });
      if (run.code !== 0) throw new Error(`exit ${run.code}; stderr: ${run.stderr}`);
      return run.stdout;
    };
    const created = await hush([
      'transit',
      'keys',
      'create',
      'cli-rs',
      '--type',
      'rsa-2048',
      '--signature-algorithm',
      'pkcs1v15',
    ]);
    expect(created).toContain('signs pkcs1v15');
    expect(JSON.parse(await hush(['transit', 'keys', 'show', 'cli-rs', '--jwk']))).toMatchObject({
      alg: 'RS256',
    });
    const pem = join(dir, 'cli-rs.pem');
    await writeFile(pem, await hush(['transit', 'keys', 'show', 'cli-rs', '--pem']));
    const artefact = join(dir, 'app.tar');
    await writeFile(artefact, 'release 2.0\n');
    await hush(['sign', artefact, '--key', 'cli-rs']);
    await hush(['verify', artefact, '--sig', `${artefact}.sig`, '--key', 'cli-rs']);
    // Plain openssl dgst -verify with an RSA key means PKCS#1 v1.5 padding: the key's scheme, with no flag on sign.
    const r = spawnSync(
      'openssl',
      ['dgst', '-sha256', '-verify', pem, '-signature', `${artefact}.sig`, artefact],
      {
        encoding: 'utf8',
      },
    );
    expect(`${r.stdout}${r.stderr}`).toContain('Verified OK');
    const refused = await runHush(
      ['transit', 'keys', 'create', 'cli-ed', '--type', 'ed25519', '--signature-algorithm', 'pss'],
      {
        env: { HUSH_ADDR: fx.server.url, HUSH_TOKEN: fx.root },
      },
    );
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toContain('HUSH_E_TRANSIT_KEY_TYPE');
    await removeTempDir(dir);
  });
});
