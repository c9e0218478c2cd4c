import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type HushCluster, startHushCluster } from './support/hush-cluster.js';
import { api, type HushServer } from './support/hush-server.js';
import { startTestPostgres, type TestPostgres } from './support/postgres.js';
import { assertCompiledCli } from './support/run-hush.js';
import { until } from './support/until.js';

let pg: TestPostgres;
let cluster: HushCluster;
let token: string;

beforeAll(async () => {
  assertCompiledCli();
  pg = await startTestPostgres();
  const { url } = await pg.freshSchema();
  cluster = await startHushCluster({ storageUrl: url, count: 3 });
  token = cluster.rootToken;
}, 120_000);

afterAll(async () => {
  await cluster?.dispose();
  await pg?.dispose();
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function put(node: HushServer, path: string, value: string, cas?: number) {
  return api(node, token, 'PUT', `/v1/secrets/${path}`, cas === undefined ? { value } : { value, cas });
}

async function read(node: HushServer, path: string, version?: number) {
  const res = await api(node, token, 'GET', `/v1/secrets/${path}${version ? `?version=${version}` : ''}`);
  return { status: res.status, ...(res.json as { value?: string; version?: number }) };
}

async function health(node: HushServer): Promise<number> {
  return (await fetch(`${node.url}/v1/sys/health`)).status;
}

describe('three hush server nodes on one PostgreSQL', () => {
  it('initialise the empty database exactly once; every node unseals from the shared key file', async () => {
    const initialised = cluster.nodes.filter((n) => n.stdout().includes('initialised a new store'));
    expect(initialised).toHaveLength(1);
    for (const node of cluster.nodes) {
      expect(await health(node)).toBe(200);
      expect(node.stdout() + node.stderr()).not.toContain(pg.password);
    }
    // The root token printed by the winner works on every node.
    for (const node of cluster.nodes) {
      expect((await api(node, token, 'GET', '/v1/auth/token/lookup-self')).status).toBe(200);
    }
  });

  it('reads a write acknowledged by one node on another on its very next request (60 pairs, under concurrent reads)', async () => {
    const [a, b, c] = cluster.nodes as [HushServer, HushServer, HushServer];
    const pairs: [HushServer, HushServer][] = [
      [a, b],
      [b, c],
      [c, a],
    ];
    // Background readers of the same rows on every node, so the checked reads share batched queries with others.
    let busy = true;
    const background = Array.from({ length: 3 }, async (_, j) => {
      for (let n = 0; busy; n++) await read(cluster.nodes[(j + n) % 3]!, `raw/prod/k${n % 7}`);
    });
    // 20 rounds of each writer/reader pair over 7 rows: each row is rewritten and read back across nodes many times.
    for (let i = 0; i < 60; i++) {
      const [writer, reader] = pairs[i % 3]!;
      const path = `raw/prod/k${i % 7}`;
      const value = `v${i}`;
      const w = await put(writer, path, value);
      expect(w.status, w.text).toBe(200);
      const r = await read(reader, path);
      expect(r.status).toBe(200);
      expect(r.value, `pair ${i}`).toBe(value);
      expect(r.version).toBe((w.json as { version: number }).version);
    }
    busy = false;
    await Promise.all(background);
  }, 120_000);

  it('lets exactly one of two concurrent check-and-set writes from different nodes win', async () => {
    const [a, b] = cluster.nodes as [HushServer, HushServer];
    for (let i = 0; i < 10; i++) {
      const path = `cas/prod/race${i}`;
      const created = await put(a, path, 'base', 0);
      expect(created.status, created.text).toBe(200);
      const results = await Promise.all([put(a, path, 'from-a', 1), put(b, path, 'from-b', 1)]);
      const statuses = results.map((r) => r.status).sort();
      expect(statuses).toEqual([200, 409]);
      const loser = results.find((r) => r.status === 409)!;
      expect((loser.json as { error: { code: string } }).error.code).toBe('HUSH_E_CAS_CONFLICT');
      const winner = results.find((r) => r.status === 200)!;
      const final = await read(b, path);
      expect(final.version).toBe(2);
      expect(final.value).toBe(winner === results[0] ? 'from-a' : 'from-b');
    }
  }, 60_000);

  it('seals every node when an operator seals one; no anonymous unseal on any node lifts it, an unlock with a token does', async () => {
    const [a, b, c] = cluster.nodes as [HushServer, HushServer, HushServer];
    const sealed = await api(a, token, 'POST', '/v1/sys/seal');
    expect(sealed.status, sealed.text).toBeLessThan(300);
    expect(await health(a)).toBe(503);
    // Nodes poll the seal every 2 s; the bound is a liveness check with room for a loaded CI machine.
    await until('b and c seal', async () => (await health(b)) === 503 && (await health(c)) === 503, 15_000);
    expect((await read(b, 'raw/prod/k0')).status).toBe(503);
    // The key-file seal needs no material, so an anonymous unseal would be anyone's: every node refuses it.
    for (const node of [a, b, c]) {
      const anonymous = await api(node, undefined, 'POST', '/v1/sys/unseal', {});
      expect(anonymous.status, anonymous.text).toBe(403);
      expect(anonymous.text).toContain('HUSH_E_LOCKED_DOWN');
      expect((await api(node, undefined, 'POST', '/v1/sys/incident/unlock')).status).toBe(401);
    }
    // Several watch intervals later every node is still sealed (the flag holds on every node).
    await sleep(5_000);
    for (const node of [a, b, c]) expect(await health(node)).toBe(503);
    const unlocked = await api(b, token, 'POST', '/v1/sys/incident/unlock');
    expect(unlocked.status, unlocked.text).toBe(200);
    await until('a and c unseal', async () => (await health(a)) === 200 && (await health(c)) === 200, 15_000);
    expect((await read(c, 'raw/prod/k0')).status).toBe(200);
  }, 60_000);

  it('keeps serving on two nodes when one is SIGKILLed under load; every acknowledged write is readable', async () => {
    const acks: { path: string; version: number; value: string }[] = [];
    const dead = new Set<HushServer>();
    let stop = false;
    const writer = async (id: number) => {
      for (let n = 1; !stop; n++) {
        const node = cluster.nodes[(id + n) % 3]!;
        if (dead.has(node)) continue;
        const path = `load/prod/w${id}s${Math.floor((n - 1) / 10)}`;
        const value = `w${id}-n${n}`;
        try {
          const res = await put(node, path, value);
          const version = (res.json as { version?: number } | undefined)?.version;
          if (res.status === 200 && version !== undefined) acks.push({ path, version, value });
        } catch {
          // the connection to the killed node reset: never acknowledged
        }
      }
    };
    const writers = Array.from({ length: 9 }, (_, i) => writer(i));
    while (acks.length < 60) await sleep(10);
    const victim = cluster.nodes[2]!;
    dead.add(victim);
    await victim.kill9();
    const atKill = acks.length;
    // The survivors keep acknowledging writes (liveness: a stalled cluster fails here, naming it).
    await until('writes acknowledged after the kill', () => acks.length >= atKill + 120);
    stop = true;
    await Promise.all(writers);
    const [a, b] = cluster.nodes as [HushServer, HushServer];
    for (const [i, ack] of acks.entries()) {
      const r = await read(i % 2 ? a : b, ack.path, ack.version);
      expect(r.status, `${ack.path}@${ack.version}`).toBe(200);
      expect(r.value).toBe(ack.value);
    }
    // The killed node rejoins (same database, same key file) and sees everything.
    const back = await cluster.startNode(2);
    const last = acks[acks.length - 1]!;
    expect((await read(back, last.path, last.version)).value).toBe(last.value);
  }, 120_000);
});
