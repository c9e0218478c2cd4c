import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { HushError } from '../src/core/errors/hush-error.js';
import { createIdentity } from '../src/identity/index.js';
import { KeyFileSeal } from '../src/seal/key-file/key-file-seal.js';
import { withReadCache } from '../src/storage/cache/read-cache-backend.js';
import { openSqliteBackend } from '../src/storage/sqlite/sqlite-backend.js';
import { Barrier } from '../src/store/barrier.js';
import { createUnsealStore } from '../src/store/seal/unseal-store.js';
import { makeIdentityEnv } from './identity-support.js';

type Env = Awaited<ReturnType<typeof makeIdentityEnv>>;
let env: Env;
const closers: (() => Promise<void>)[] = [];
beforeEach(async () => {
  env = await makeIdentityEnv();
});
afterEach(async () => {
  for (const close of closers.splice(0)) await close();
  await env.cleanup();
});

interface Row {
  key: string;
  value: Buffer;
  revision: number;
}

/** The raw rows of the SQLite file below `prefix`, as an attacker with storage access sees them. */
function rowsOf(prefix: string): Row[] {
  const db = new Database(env.dbPath);
  try {
    return db
      .prepare('SELECT key, value, revision FROM kv WHERE key >= ? AND key < ?')
      .all(prefix, `${prefix}\uffff`) as Row[];
  } finally {
    db.close();
  }
}

/** Put rows back into the SQLite file under their own keys (a rollback by someone with storage write access). */
function putBack(rows: readonly Row[]): void {
  const db = new Database(env.dbPath);
  try {
    const put = db.prepare('INSERT OR REPLACE INTO kv (key, value, revision) VALUES (?, ?, ?)');
    for (const r of rows) put.run(r.key, r.value, r.revision);
  } finally {
    db.close();
  }
}

/** A server process started afresh on the tampered file: a new backend, barrier and identity, unsealed by key file. */
async function restart() {
  const raw = await openSqliteBackend({ path: env.dbPath });
  const backend = withReadCache(raw);
  const barrier = new Barrier(backend, env.time.clock, raw);
  const seal = new KeyFileSeal({ path: join(env.dir, 'root.key') });
  await createUnsealStore({ backend, barrier, seal: { current: seal } })({});
  closers.push(() => backend.close());
  return createIdentity({ backend, barrier, clock: env.time.clock }).services;
}

async function refusal(p: Promise<unknown>): Promise<HushError> {
  try {
    await p;
  } catch (err) {
    if (err instanceof HushError) return err;
    throw err;
  }
  throw new Error('expected a refusal, got success');
}

describe('rollback of stored rows (a revoked token put back)', () => {
  it("a revoked token's row copied back into the SQLite file is refused, and recorded as a replay", async () => {
    const { tokens } = env.services;
    const { token, view } = await tokens.create({ policies: ['a'], displayName: 'app' });
    const lookupId = (await tokens.authenticate(token)).lookupId;
    const before = [...rowsOf(`auth/token/${lookupId}`), ...rowsOf(`auth/accessor/${view.accessor}`)];
    expect(before).toHaveLength(2);
    await tokens.revoke({ accessor: view.accessor });
    expect(rowsOf(`auth/token/${lookupId}`)).toEqual([]);

    putBack(before);
    const later = await restart();
    const err = await refusal(later.tokens.authenticate(token));
    expect(err.code).toBe('HUSH_E_UNAUTHENTICATED');
    expect(err.details?.['reason']).toBe('token-replayed');
    expect(err.auditSubject).toEqual({ identity: 'token:app', tokenAccessor: view.accessor });
    // The fast path (warm caches) refuses it as well.
    expect(later.tokens.peekAuthenticate(token)).toBeUndefined();
    await refusal(later.tokens.authenticate(token));
  });

  it('a revoked root token is remembered for ever: its row put back after the sweep is still refused', async () => {
    const { tokens } = env.services;
    const root = await tokens.authenticate(env.rootToken);
    const before = [...rowsOf(`auth/token/${root.lookupId}`), ...rowsOf(`auth/accessor/${root.accessor}`)];
    await tokens.revoke({ token: env.rootToken });
    env.time.advance(400 * 86_400_000);
    await tokens.sweepRevoked();
    putBack(before);
    const err = await refusal((await restart()).tokens.authenticate(env.rootToken));
    expect(err.details?.['reason']).toBe('token-replayed');
  });

  it("a revoked AppRole secret id's row copied back is refused, and so is a destroyed one's", async () => {
    const { approle } = env.services;
    const role = await approle.writeRole('ci', {
      policies: ['deploy'],
      secretIdTtlMs: 0,
      secretIdNumUses: 0,
      tokenTtlMs: 0,
      tokenMaxTtlMs: 0,
      tokenNumUses: 0,
      cidrs: [],
    });
    const revoked = await approle.generateSecretId('ci');
    const destroyed = await approle.generateSecretId('ci');
    const before = rowsOf('auth/approle/secret-id/ci/');
    expect(before).toHaveLength(2);
    await approle.revokeSecretId('ci', revoked.accessor);
    await approle.destroySecretId('ci', destroyed.accessor);

    putBack(before);
    const later = await restart();
    for (const id of [revoked, destroyed]) {
      const err = await refusal(later.approle.login(role.roleId, id.secretId, '127.0.0.1'));
      expect(err.code).toBe('HUSH_E_UNAUTHENTICATED');
      expect(err.details?.['reason']).toBe('secret-id-replayed');
    }
  });
});
