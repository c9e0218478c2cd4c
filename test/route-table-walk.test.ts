import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, type HushServer, startHushServer } from './support/hush-server.js';
import { type WalkOperation, walkOperations } from './support/openapi-walk.js';
import { errorCode } from './support/raw-http.js';
import { assertCompiledCli } from './support/run-hush.js';
import { makeTempDir, removeTempDir } from './support/temp-dir.js';

// Walk the whole route table (the server's own /v1/openapi.json, which lists every registered route) and check
// that every route refuses an anonymous caller, a bad token, and a valid token holding no capability, except the
// routes listed below with the reason they are open. A route added later is walked automatically: if it is open
// by mistake, this test fails until it is guarded or listed here with a reason.

/** Routes that answer without a token, and why (docs/server.md, docs/api.md). */
const PUBLIC: Record<string, string> = {
  'GET /v1/openapi.json': 'the API description holds no data',
  'GET /metrics': 'Prometheus scrape endpoint; counters only, no secret labels (docs/server.md#metrics)',
  'GET /v1/sys/health': 'load balancers probe it without credentials',
  'GET /v1/sys/seal-status': 'operators and the CLI must see whether to unseal before they have a token',
  'POST /v1/sys/init': 'there is no token before initialisation; refused once initialised',
  'POST /v1/sys/unseal': 'unseal material (shares, RSA-wrapped key) is the credential, as in Vault',
  'POST /v1/sys/generate-root':
    'a shamir quorum or the RSA private key is the credential; key-file/pkcs11 servers refuse it over HTTP',
  'POST /v1/auth/approle/login': 'a login: the role id and secret id are the credential',
  'POST /v1/auth/jwt/login': 'a login: the signed JWT is the credential',
  'GET /v1/transit/keys/{name}/jwks.json':
    'public keys of a signing key, so services verify offline (docs/transit.md); never private material',
  'GET /v1/pki/ca':
    "the CA's certificates (docs/certificates.md), which relying parties must trust; never keys",
  'GET /v1/pki/ca/pem': 'the same certificates as PEM',
  'GET /v1/pki/crl':
    'the CRL distribution point named in every issued certificate: a relying party has no token',
  'GET /v1/pki/crl/pem': 'the same CRL as PEM',
  'GET /v1/pki/crl/info': 'the same CRL as JSON for the SDK',
  'GET /v1/console/session': "says only whether the browser's own session cookie is live (docs/ui.md)",
  'DELETE /v1/console/session':
    'logout: gives up the cookie it carries (CSRF-checked); an expired token must log out',
  'GET /v1/console/oidc/start': "a login: redirects to the JWT role's OIDC provider (docs/ui.md)",
  'GET /v1/console/oidc/callback': "a login: the provider's code with the PKCE verifier is the credential",
};

/**
 * Routes any valid token may call without a capability, and why. Each is self-service (acts on the caller's own
 * token) or filters its answer to what the caller's policies grant, so a token holding nothing gets nothing.
 */
const ANY_TOKEN: Record<string, string> = {
  'GET /v1/auth/token/lookup-self': "describes the caller's own token",
  'POST /v1/console/session': "opens a console session for the caller's own token (docs/ui.md)",
  'POST /v1/sys/capabilities-self': "says what the caller's own token may do; reads nothing",
  'POST /v1/auth/token/renew-self': "renews the caller's own token within its max TTL",
  'POST /v1/auth/token/revoke-self': "revokes the caller's own token",
  'POST /v1/auth/token/create':
    "creates a child of the caller's token, with a subset of its policies (none here), never wider",
  'GET /v1/list': 'filtered to what the caller may read (test/list-paging-restricted.test.ts)',
  'GET /v1/list/{path}': 'filtered to what the caller may read (test/list-paging-restricted.test.ts)',
  'POST /v1/sys/policies/explain': "explains the caller's own access to a path",
  'POST /v1/sys/known-secrets/session': 'a scan session; matches cover only paths the caller may read',
  'GET /v1/rotation/policies': 'filtered to the policies the caller may rotate',
  'GET /v1/sys/engines': 'filtered to the engines and roles the caller may read',
  'GET /v1/rotation/status': 'filtered to the secrets the caller may rotate',
  'POST /v1/rotation/rotate-prefix/{path}':
    'each covered secret is authorised for rotate; others are skipped unseen',
  'POST /v1/sys/known-secrets/match':
    'matches only inside a session the same token started (404 otherwise), over paths it may read',
  'POST /v1/rotation/on-deploy': 'each due secret is authorised for rotate; others are skipped unseen',
  'POST /v1/transit/random': 'random bytes from the CSPRNG: no key, no stored data (docs/transit.md)',
  'POST /v1/transit/hash': 'a SHA-2 digest of the input: no key, no stored data (docs/transit.md)',
  'POST /v1/approvals':
    "asks approval for a use the caller's own policies guard with approvals; refused (400) for anything else",
  'GET /v1/approvals': 'filtered to the requests the caller made or holds approve on',
  'GET /v1/approvals/{id}': 'visible to its requester and its approvers only (404 to anyone else)',
  'POST /v1/approvals/{id}/grant':
    "404 unless visible; then needs approve on the request's path (checked in the route)",
  'POST /v1/approvals/{id}/deny':
    "404 unless visible; then needs approve on the request's path (checked in the route)",
};

let server: HushServer;
let dir: string;
let root: string;
let ops: WalkOperation[];

async function call(op: WalkOperation, token: string | undefined) {
  return api(server, token, op.method, op.url, op.body);
}

async function noPolicyToken(): Promise<string> {
  const made = await api(server, root, 'POST', '/v1/auth/token/create', { policies: [] });
  expect(made.status).toBe(200);
  return (made.json as { token: string }).token;
}

beforeAll(async () => {
  assertCompiledCli();
  dir = await makeTempDir('route-walk');
  server = await startHushServer({ dataDir: dir });
  root = server.rootToken ?? '';
  ops = await walkOperations(server);
}, 60_000);

afterAll(async () => {
  await server?.stop();
  if (dir) await removeTempDir(dir);
});

describe('every route in the route table refuses callers without the capability', () => {
  it('walks the whole table (80+ operations), and every listed exception still exists', () => {
    expect(ops.length).toBeGreaterThanOrEqual(80);
    const keys = new Set(ops.map((o) => `${o.method} ${o.template}`));
    for (const key of [...Object.keys(PUBLIC), ...Object.keys(ANY_TOKEN)]) expect(keys, key).toContain(key);
  });

  it('the document marks exactly the public routes as needing no token', () => {
    const open = ops.filter((o) => !o.secured).map((o) => `${o.method} ${o.template}`);
    expect(open.sort()).toEqual(Object.keys(PUBLIC).sort());
  });

  it('anonymous and bad-token callers get 401 HUSH_E_UNAUTHENTICATED on every guarded route', async () => {
    const bad = `hush_s_${'A'.repeat(43)}abcdef`;
    const wrong: string[] = [];
    for (const op of ops) {
      if (`${op.method} ${op.template}` in PUBLIC) continue;
      for (const token of [undefined, bad, root.slice(0, -1)]) {
        const res = await call(op, token);
        if (res.status !== 401 || errorCode(res) !== 'HUSH_E_UNAUTHENTICATED') {
          wrong.push(
            `${op.method} ${op.url} (${token === undefined ? 'no token' : 'bad token'}): ${res.status}`,
          );
        }
      }
    }
    expect(wrong).toEqual([]);
  });

  it('a valid token with no policies gets 403 HUSH_E_FORBIDDEN on every route but the listed ones', async () => {
    const wrong: string[] = [];
    for (const op of ops) {
      const key = `${op.method} ${op.template}`;
      if (key in PUBLIC || key in ANY_TOKEN) continue;
      // A fresh token per route: no earlier call (a revoke, a use) changes what this one is allowed.
      const res = await call(op, await noPolicyToken());
      if (res.status !== 403 || errorCode(res) !== 'HUSH_E_FORBIDDEN') {
        wrong.push(`${key}: ${res.status} ${res.text.slice(0, 160)}`);
      }
    }
    expect(wrong).toEqual([]);
  });

  it('the listed any-token routes give a token with no policies nothing: no 5xx, no data beyond its own', async () => {
    const seed = await api(server, root, 'PUT', '/v1/secrets/walk/prod/x', { value: 'walk-secret-value' });
    expect(seed.status).toBe(200);
    const hidden = { path: 'walk/prod/hiddenrot', interval: '1s', onDeploy: true };
    expect(
      (await api(server, root, 'PUT', '/v1/secrets/walk/prod/hiddenrot', { value: 'walk-secret-value' }))
        .status,
    ).toBe(200);
    const policy = await api(server, root, 'PUT', '/v1/rotation/policies', hidden);
    expect(policy.status, policy.text).toBe(200);
    for (const key of Object.keys(ANY_TOKEN)) {
      const op = ops.find((o) => `${o.method} ${o.template}` === key);
      if (!op) continue;
      const res = await call(op, await noPolicyToken());
      expect(res.status, `${key}: ${res.text}`).toBeLessThan(500);
      // Listed means open to any token: a route that refuses belongs in the 403 walk instead.
      expect(res.status, `${key} is listed as open to any token but refused it`).not.toBe(403);
      expect(res.text, key).not.toContain('walk-secret-value');
      expect(res.text, key).not.toContain('hiddenrot');
      if (key.startsWith('GET /v1/list')) expect((res.json as { entries: unknown[] }).entries).toEqual([]);
    }
  });

  // Last, because without strict bodies root would act on each request (seal, revoke itself...).
  it('no route acts on an unexpected JSON body: [] or a stray field is a coded 400 even for root', async () => {
    const wrong: string[] = [];
    for (const op of ops) {
      if (op.method === 'GET' || op.method === 'HEAD') continue;
      for (const body of [[], op.body === undefined ? { stray: 1 } : undefined]) {
        if (body === undefined) continue;
        const res = await api(server, root, op.method, op.url, body);
        // 429: the unseal limiter (unseal, unlock, generate-root) refused before the body was read; nothing acted.
        if (res.status !== 400 && res.status !== 429)
          wrong.push(`${op.method} ${op.template} ${JSON.stringify(body)}: ${res.status}`);
      }
    }
    expect(wrong).toEqual([]);
  });
});
