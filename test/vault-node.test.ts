import nodeVault from 'node-vault';
import { describe, expect, it } from 'vitest';
import { api, useHushServer } from './support/hush-server.js';
import {
  appRoleCredentials,
  auditRecords,
  putPolicy,
  tokenWith,
  vaultAddr,
} from './support/vault-clients.js';

/** A node-vault client on the server's Vault address; `noCustomHTTPVerbs` makes `list` a GET (Node has no LIST). */
function vaultClient(endpoint: string, token?: string, headers?: Record<string, string>) {
  return nodeVault({
    endpoint,
    noCustomHTTPVerbs: true,
    ...(token ? { token } : {}),
    ...(headers ? { requestOptions: { headers } } : {}),
  });
}

/** The status and Vault error body of a node-vault call that must fail. */
async function failure(call: Promise<unknown>): Promise<{ status: number; body: unknown }> {
  try {
    await call;
  } catch (err) {
    const response = (err as { response?: { statusCode: number; body: unknown } }).response;
    if (response) return { status: response.statusCode, body: response.body };
    throw err;
  }
  throw new Error('the call succeeded');
}

const b64 = (text: string) => Buffer.from(text).toString('base64');

// The Vault-compatible API driven by the real node-vault client (npm) against a real `hush server`.
describe('Vault-compatible API with node-vault', () => {
  const s = useHushServer('vault-node');
  const vault = () => vaultClient(vaultAddr(s.server), s.root);

  it('KV v2 with custom metadata, list and delete', async () => {
    const v = vault();
    const w = await v.write('secret/data/web/staging/session', { data: { key: 'abc' }, options: { cas: 0 } });
    expect(w.data).toMatchObject({ version: 1, destroyed: false });
    await v.write('secret/metadata/web/staging/session', { custom_metadata: { owner: 'team-web' } });
    const read = await v.read('secret/data/web/staging/session');
    expect(read.data).toEqual({
      data: { key: 'abc' },
      metadata: expect.objectContaining({ version: 1, custom_metadata: { owner: 'team-web' } }),
    });
    const meta = await v.read('secret/metadata/web/staging/session');
    expect(meta.data).toMatchObject({ current_version: 1, custom_metadata: { owner: 'team-web' } });
    // Custom metadata is the Hush secret's tags.
    const native = await api(s.server, s.root, 'GET', '/v1/metadata/web/staging/session');
    expect((native.json as { tags: unknown }).tags).toEqual({ owner: 'team-web' });

    // PATCH: node-vault's `update` sends a JSON merge patch; null removes a key. It writes a new version.
    const patched = await v.update('secret/data/web/staging/session', { data: { extra: 'e', key: null } });
    expect(patched.data.version).toBe(2);
    expect((await v.read('secret/data/web/staging/session')).data.data).toEqual({ extra: 'e' });
    const stale = await failure(
      v.update('secret/data/web/staging/session', { data: { x: 1 }, options: { cas: 1 } }),
    );
    expect(stale.status).toBe(400);
    expect((await failure(v.update('secret/data/web/staging/none', { data: { x: 1 } }))).status).toBe(404);

    expect((await v.list('secret/metadata/web/staging')).data.keys).toEqual(['session']);
    await v.delete('secret/data/web/staging/session');
    expect((await failure(v.read('secret/data/web/staging/session'))).status).toBe(404);
    // Settings Hush keeps per store, not per secret, are refused rather than ignored.
    const settings = await failure(v.write('secret/metadata/web/staging/session', { max_versions: 3 }));
    expect(settings.status).toBe(400);
    expect(JSON.stringify(settings.body)).toContain('max_versions: not supported per secret by Hush');
  });

  it('tokens and AppRole through node-vault commands; Bearer tokens too', async () => {
    const v = vault();
    const me = await v.tokenLookupSelf();
    expect(me.data).toMatchObject({ policies: ['root'] });
    const child = await v.tokenCreate({ policies: ['root'], ttl: '10m', meta: { purpose: 'test' } });
    expect(child.auth.metadata).toEqual({ purpose: 'test' });
    const kid = vaultClient(vaultAddr(s.server), child.auth.client_token);
    expect((await kid.tokenRenewSelf({ increment: '20m' })).auth.lease_duration).toBeGreaterThan(1100);
    await kid.tokenRevokeSelf();
    expect(await failure(kid.tokenLookupSelf())).toEqual({
      status: 403,
      body: { errors: ['permission denied'] },
    });

    // `Authorization: Bearer` instead of X-Vault-Token.
    const bearer = vaultClient(vaultAddr(s.server), undefined, { Authorization: `Bearer ${s.root}` });
    expect((await bearer.tokenLookupSelf()).data.display_name).toBe('root');

    await putPolicy(s.server, s.root, 'svc', [
      { path: 'svc/prod/**', capabilities: ['read', 'create', 'update'] },
    ]);
    const { roleId, secretId } = await appRoleCredentials(s.server, s.root, 'svc', ['svc']);
    const login = vaultClient(vaultAddr(s.server));
    const logged = await login.approleLogin({ role_id: roleId, secret_id: secretId });
    expect(logged.auth.policies).toEqual(['svc']);
    // node-vault keeps the token a login returns and uses it next.
    await login.write('secret/data/svc/prod/db', { data: { password: 'pw' } });
    expect((await login.read('secret/data/svc/prod/db')).data.data).toEqual({ password: 'pw' });
    expect((await failure(login.read('secret/data/web/staging/session'))).status).toBe(403);
  });

  it('transit encrypt/decrypt through node-vault', async () => {
    const v = vault();
    await v.write('transit/keys/payments', {});
    const enc = await v.encryptData({ name: 'payments', plaintext: b64('4111 1111') });
    expect(enc.data.ciphertext).toMatch(/^vault:v1:/);
    const dec = await v.decryptData({ name: 'payments', ciphertext: enc.data.ciphertext });
    expect(Buffer.from(dec.data.plaintext, 'base64').toString()).toBe('4111 1111');
    const tampered = `${enc.data.ciphertext.slice(0, -4)}AAA=`;
    expect((await failure(v.decryptData({ name: 'payments', ciphertext: tampered }))).status).toBe(400);
  });

  it('sys/health through node-vault', async () => {
    expect(await vault().health()).toMatchObject({ initialized: true, sealed: false, standby: false });
  });

  describe('hostile input', () => {
    it('a bad or missing token is 403 permission denied, audited as a denial', async () => {
      const bogus = vaultClient(vaultAddr(s.server), 'hush_s_notarealtoken');
      expect(await failure(bogus.read('secret/data/web/staging/session'))).toEqual({
        status: 403,
        body: { errors: ['permission denied'] },
      });
      const none = vaultClient(vaultAddr(s.server));
      expect((await failure(none.read('secret/data/web/staging/session'))).status).toBe(403);
      const denials = auditRecords(s.dir).filter(
        (r) =>
          r['operation'] === 'secrets.read' &&
          r['outcome'] === 'denied' &&
          r['errorCode'] === 'HUSH_E_UNAUTHENTICATED',
      );
      expect(denials.length).toBeGreaterThanOrEqual(2);
      expect(JSON.stringify(auditRecords(s.dir))).not.toContain('notarealtoken');
    });

    it('every guarded Vault route refuses no token, a bad token, and a token holding no capability', async () => {
      // The Vault routes are left out of /v1/openapi.json (test/route-table-walk.test.ts walks that): walk them here.
      const guarded: Array<[string, string, unknown?]> = [
        ['GET', 'secret/data/web/prod/flag'],
        ['POST', 'secret/data/web/prod/flag', { data: { a: 'b' } }],
        ['PUT', 'secret/data/web/prod/flag', { data: { a: 'b' } }],
        ['DELETE', 'secret/data/web/prod/flag'],
        ['POST', 'secret/delete/web/prod/flag', { versions: [1] }],
        ['POST', 'secret/undelete/web/prod/flag', { versions: [1] }],
        ['POST', 'secret/destroy/web/prod/flag', { versions: [1] }],
        ['GET', 'secret/metadata/web/prod/flag'],
        ['POST', 'secret/metadata/web/prod/flag', { custom_metadata: { a: 'b' } }],
        ['DELETE', 'secret/metadata/web/prod/flag'],
        ['POST', 'transit/keys/walked'],
        ...['encrypt', 'decrypt', 'rewrap', 'sign', 'verify', 'hmac'].map((op): [string, string, unknown] => [
          'POST',
          `transit/${op}/payments`,
          { plaintext: b64('x'), ciphertext: 'vault:v1:AAAA', input: b64('x'), signature: 'vault:v1:AAAA' },
        ]),
      ];
      const selfService: Array<[string, string, unknown?]> = [
        ['GET', 'auth/token/lookup-self'],
        ['POST', 'auth/token/renew-self', {}],
        ['POST', 'auth/token/create', { policies: [] }],
        ['POST', 'auth/token/revoke-self', {}],
      ];
      const nobody = await tokenWith(s.server, s.root, []);
      const call = async ([method, path, body]: [string, string, unknown?], token?: string) => {
        const headers: Record<string, string> = token ? { 'x-vault-token': token } : {};
        if (body !== undefined) headers['content-type'] = 'application/json';
        const res = await fetch(`${vaultAddr(s.server)}/v1/${path}`, {
          method,
          headers,
          ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
        });
        return `${method} ${path} ${res.status} ${await res.text()}`;
      };
      const denied = (route: [string, string, unknown?]) =>
        `${route[0]} ${route[1]} 403 {"errors":["permission denied"]}`;
      for (const route of [...guarded, ...selfService]) {
        expect(await call(route)).toBe(denied(route));
        expect(await call(route, 'hush_s_bogus')).toBe(denied(route));
      }
      for (const route of guarded) expect(await call(route, nobody)).toBe(denied(route));
      // Self-service routes act on the caller's own token only; revoke-self last, it ends the token.
      for (const route of selfService) expect(await call(route, nobody)).toMatch(/ 20[04] /);
      expect(await call(selfService[0] as [string, string], nobody)).toBe(
        denied(selfService[0] as [string, string]),
      );
    });

    it('a stale cas is refused and nothing is written', async () => {
      const v = vault();
      await v.write('secret/data/web/prod/flag', { data: { on: true } });
      await v.write('secret/data/web/prod/flag', { data: { on: false } });
      expect(
        await failure(v.write('secret/data/web/prod/flag', { data: { on: 'x' }, options: { cas: 1 } })),
      ).toEqual({
        status: 400,
        body: { errors: ['check-and-set parameter did not match the current version'] },
      });
      expect((await v.read('secret/data/web/prod/flag')).data).toMatchObject({
        data: { on: false },
        metadata: { version: 2 },
      });
    });

    it('unknown paths and methods answer as Vault answers an unknown path', async () => {
      const v = vault();
      expect(await failure(v.read('sys/mounts'))).toEqual({
        status: 404,
        body: { errors: ['no handler for route "sys/mounts". route entry not found.'] },
      });
      expect((await failure(v.read('secret/destroy/web/prod/flag'))).status).toBe(404);
      expect((await failure(v.read('kv/data/web/prod/flag'))).status).toBe(404);
    });

    it('oversized bodies and values are 413 in Vault shape; malformed ones 400; nothing is stored', async () => {
      const v = vault();
      const huge = await failure(
        v.write('secret/data/web/prod/big', { data: { blob: 'x'.repeat(3 * 1024 * 1024) } }),
      );
      expect(huge.status).toBe(413);
      expect((huge.body as { errors: string[] }).errors[0]).toMatch(/^HUSH_E_TOO_LARGE: /);
      const big = await failure(
        v.write('secret/data/web/prod/big', { data: { blob: 'x'.repeat(1024 * 1024 + 10) } }),
      );
      expect(big.status).toBe(413);
      expect((await failure(v.read('secret/data/web/prod/big'))).status).toBe(404);
      const notObject = await failure(v.write('secret/data/web/prod/big', { data: 'text' }));
      expect(notObject.status).toBe(400);
      expect((notObject.body as { errors: string[] }).errors[0]).toMatch(/^HUSH_E_USAGE: body.data/);
      const badPath = await failure(v.read('secret/data/web/prod'));
      expect(badPath.status).toBe(400);
      expect((badPath.body as { errors: string[] }).errors[0]).toMatch(/^HUSH_E_INVALID_ADDRESS: /);
      // The one hand-made request: a body that is not JSON, which no client sends.
      const res = await fetch(`${vaultAddr(s.server)}/v1/secret/data/web/prod/big`, {
        method: 'POST',
        headers: { 'x-vault-token': s.root, 'content-type': 'application/json' },
        body: '{"data": {',
      });
      expect(res.status).toBe(400);
      expect(((await res.json()) as { errors: string[] }).errors[0]).toMatch(/^HUSH_E_USAGE: /);
    });

    it('a token without a transit capability is refused before the engine runs', async () => {
      await putPolicy(s.server, s.root, 'enc-only', [
        { path: 'transit/keys/payments', capabilities: ['encrypt'] },
      ]);
      const t = vaultClient(vaultAddr(s.server), await tokenWith(s.server, s.root, ['enc-only']));
      const enc = await t.encryptData({ name: 'payments', plaintext: b64('x') });
      expect(await failure(t.decryptData({ name: 'payments', ciphertext: enc.data.ciphertext }))).toEqual({
        status: 403,
        body: { errors: ['permission denied'] },
      });
    });
  });
});
