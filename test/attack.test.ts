import { randomBytes } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ProbeContext, type ProbeResult, runProbes, sealProbe } from './support/attack-probes.js';
import { type AttackRequest, buildRequests, DESTRUCTIVE, type Principal } from './support/attack-requests.js';
import { type HushServer, startHushServer } from './support/hush-server.js';
import { walkOperations } from './support/openapi-walk.js';
import { rawRequest } from './support/raw-http.js';
import { assertCompiledCli } from './support/run-hush.js';
import { makeTempDir, removeTempDir } from './support/temp-dir.js';

// The lasting attack suite (issue 12): every operation of /v1/openapi.json with malformed bodies, encodings, deep
// and huge JSON and path tricks, as no token, a bad token, a least-privilege token and root, against a real server
// on loopback with a temporary data dir; then the authorization probes. `npm test` runs the fast part;
// `npm run attack` (ATTACK_LEVEL=full) adds every variant and repeats rounds within ATTACK_MAX_REQUESTS and
// ATTACK_MAX_SECONDS. It prints the counts.

const FULL = process.env['ATTACK_LEVEL'] === 'full';
const MAX_REQUESTS = Number(process.env['ATTACK_MAX_REQUESTS'] ?? (FULL ? 20_000 : 3_000));
const MAX_MS = 1000 * Number(process.env['ATTACK_MAX_SECONDS'] ?? (FULL ? 240 : 40));

interface Sent {
  readonly id: string;
  readonly principal: Principal | 'probe';
  readonly method: string;
  readonly url: string;
  readonly kind: string;
  readonly status: number;
  readonly text: string;
}

let server: HushServer;
let dir: string;
let root: string;
let least: string;
const bad = `hush_s_${'B'.repeat(43)}badbad`;
const hiddenValue = `atk-hidden-${randomBytes(12).toString('hex')}`;
const visibleValue = `atk-visible-${randomBytes(12).toString('hex')}`;
const sent: Sent[] = [];
let probes: ProbeResult[] = [];
let seq = 0;
/** The request that minted `least` (its reply carries that token, by design). */
let mintedLeast: string | undefined;

async function send(
  principal: Sent['principal'],
  token: string | undefined,
  req: Pick<AttackRequest, 'method' | 'url' | 'headers' | 'body' | 'kind'>,
): Promise<Sent> {
  const id = `atk-${process.pid}-${++seq}`;
  let status = 0;
  let text = '';
  try {
    const reply = await rawRequest(server.url + req.url, {
      method: req.method,
      headers: { ...req.headers, 'x-request-id': id, ...(token ? { 'x-hush-token': token } : {}) },
      ...(req.body !== undefined ? { body: req.body } : {}),
    });
    status = reply.status;
    text = reply.text;
  } catch (err) {
    text = `network error: ${(err as Error).message}`;
  }
  const record = { id, principal, method: req.method, url: req.url, kind: req.kind, status, text };
  sent.push(record);
  return record;
}

/** JSON convenience over `send` for set-up and probes (same ids, same audit check). */
function sendJson(
  principal: Sent['principal'],
  token: string | undefined,
  method: string,
  url: string,
  body?: unknown,
) {
  return send(principal, token, {
    method,
    url,
    kind: 'probe',
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  }).then((s) => {
    let json: unknown;
    try {
      json = JSON.parse(s.text);
    } catch {
      json = undefined;
    }
    return { status: s.status, text: s.text, json };
  });
}

async function auditCounts(): Promise<Map<string, number>> {
  const counts = new Map<string, number>();
  for (const name of await readdir(dir)) {
    if (!/^audit.*\.jsonl/.test(name)) continue;
    for (const line of (await readFile(join(dir, name), 'utf8')).split('\n')) {
      if (!line.trim()) continue;
      const rec = JSON.parse(line) as { requestId?: string; outcome?: string };
      // A write's durable `requested` record (written before it runs) pairs with its outcome: count outcomes.
      if (rec.requestId && rec.outcome !== 'requested')
        counts.set(rec.requestId, (counts.get(rec.requestId) ?? 0) + 1);
    }
  }
  return counts;
}

beforeAll(async () => {
  assertCompiledCli();
  dir = await makeTempDir('attack');
  // write (not fsync) keeps a run of thousands of requests quick; the records are the same.
  server = await startHushServer({ dataDir: dir, env: { HUSH_AUDIT_SYNC: 'write' } });
  root = server.rootToken ?? '';
  const setup: [string, string, unknown][] = [
    ['PUT', '/v1/secrets/atk/prod/app/visible', { value: visibleValue }],
    ['PUT', '/v1/secrets/atk/prod/hidden/secret', { value: hiddenValue }],
    ['PUT', '/v1/secrets/atk/prod/other/x', { value: hiddenValue }],
    ['PUT', '/v1/secrets/walk/prod/x', { value: 'walk-value' }],
    [
      'PUT',
      '/v1/sys/policies/atk-least',
      {
        rules: [
          { path: 'atk/prod/app/**', capabilities: ['read', 'list'] },
          { path: 'atk/prod/app/w/**', capabilities: ['create', 'update', 'read'] },
        ],
      },
    ],
    ['PUT', '/v1/sys/policies/atk-wide', { rules: [{ path: '**', capabilities: ['read', 'list'] }] }],
  ];
  for (const [method, url, body] of setup) {
    const res = await sendJson('probe', root, method, url, body);
    if (res.status !== 200) throw new Error(`set-up ${method} ${url}: ${res.status} ${res.text}`);
  }
  const made = await sendJson('probe', root, 'POST', '/v1/auth/token/create', { policies: ['atk-least'] });
  least = (made.json as { token: string }).token;
  mintedLeast = sent[sent.length - 1]?.id;

  const ops = await walkOperations(server);
  const tokens: Record<Principal, string | undefined> = { none: undefined, bad, least, root }; // hush:allow generic-token-assignment
  const started = Date.now();
  let rounds = 0;
  outer: do {
    rounds += 1;
    for (const req of buildRequests(ops, FULL)) {
      for (const principal of ['none', 'bad', 'least', 'root'] as const) {
        if (req.kind === 'sample' && principal === 'root' && DESTRUCTIVE.has(req.target)) continue;
        if (
          req.kind === 'sample' &&
          principal === 'least' &&
          req.target === 'POST /v1/auth/token/revoke-self'
        )
          continue;
        if (sent.length >= MAX_REQUESTS || Date.now() - started > MAX_MS) break outer;
        await send(principal, tokens[principal], req);
      }
    }
  } while (FULL);
  const ctx: ProbeContext = {
    server,
    root,
    least,
    hiddenPath: 'atk/prod/hidden/secret',
    hiddenValue,
    send: (token, method, path, body) => sendJson('probe', token, method, path, body),
  };
  probes = await runProbes(ctx);
  probes.push(await sealProbe(ctx));
  const byClass = new Map<string, number>();
  for (const s of sent)
    byClass.set(`${Math.floor(s.status / 100)}xx`, (byClass.get(`${Math.floor(s.status / 100)}xx`) ?? 0) + 1);
  console.log(
    `attack: ${sent.length} requests in ${rounds} round(s), ${((Date.now() - started) / 1000).toFixed(1)} s; ` +
      `by status ${[...byClass].map(([k, v]) => `${k}=${v}`).join(' ')}; ` +
      `probes ${probes.filter((p) => p.refused).length}/${probes.length} refused`,
  );
}, 20 * 60_000);

afterAll(async () => {
  await server?.stop();
  if (dir) await removeTempDir(dir);
});

describe(`attack suite (${FULL ? 'full' : 'fast'})`, () => {
  it('no 5xx and no crash', async () => {
    // 502 HUSH_E_UPSTREAM is the engine's own answer: the sample engine points at a database that is not there.
    const upstream = sent.filter((s) => s.status === 502 && s.text.includes('"HUSH_E_UPSTREAM"'));
    // A 2 MiB body from a caller the server already refused (401/403/413, before reading the body) may see the
    // connection closed while it is still writing, before the reply can be read: counted, not a failure.
    const closedEarly = sent.filter(
      (s) => s.status === 0 && s.kind === 'huge-json' && /EPIPE|ECONNRESET/.test(s.text),
    );
    console.log(`attack: huge bodies cut off by the server before the reply was read: ${closedEarly.length}`);
    const fivexx = sent.filter(
      (s) => (s.status >= 500 || s.status === 0) && !upstream.includes(s) && !closedEarly.includes(s),
    );
    console.log(
      `attack: 5xx/no answer: ${fivexx.length} (plus ${upstream.length} 502 HUSH_E_UPSTREAM from the unreachable engine database)`,
    );
    expect(
      fivexx.map(
        (s) =>
          `${s.principal} ${s.method} ${s.url.slice(0, 80)} [${s.kind}]: ${s.status} ${s.text.slice(0, 100)}`,
      ),
    ).toEqual([]);
    expect(server.process.exitCode).toBeNull();
    expect((await rawRequest(`${server.url}/v1/sys/health`)).status).toBeLessThan(600);
  });

  it('no secret or token echoed', () => {
    const echoes = sent.filter(
      (s) =>
        s.id !== mintedLeast &&
        ([root, least, bad].some((t) => s.text.includes(t)) ||
          (s.principal !== 'root' && s.text.includes(hiddenValue)) ||
          (s.method !== 'GET' && s.text.includes('atkval-'))),
    );
    console.log(`attack: echoes: ${echoes.length}`);
    expect(
      echoes.map((s) => `${s.principal} ${s.method} ${s.url.slice(0, 80)} [${s.kind}]: ${s.status}`),
    ).toEqual([]);
  });

  it('every request that reached Hush under /v1/ is audited exactly once (by request id)', async () => {
    const counts = await auditCounts();
    const audited = sent.filter(
      (s) => s.status !== 0 && s.url.startsWith('/v1/') && !s.url.startsWith('/v1/sys/health'),
    );
    const wrong = audited.filter((s) => counts.get(s.id) !== 1);
    console.log(`attack: audited once: ${audited.length - wrong.length}/${audited.length}`);
    expect(
      wrong.map(
        (s) => `${s.method} ${s.url.slice(0, 80)} [${s.kind}] ${s.status}: ${counts.get(s.id) ?? 0} records`,
      ),
    ).toEqual([]);
  });

  it('every authorization probe is refused', () => {
    const wrongful = probes.filter((p) => !p.refused);
    console.log(`attack: wrongful successes: ${wrongful.length} of ${probes.length} probes`);
    expect(wrongful.map((p) => `${p.name}: ${p.detail}`)).toEqual([]);
  });
});
