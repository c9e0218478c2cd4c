import { describe, expect, it } from 'vitest';
import { startBackgroundJobs } from '../src/cluster/background-jobs.js';
import { singleNodeLeadership } from '../src/cluster/leadership.js';
import { leaseExpiryJob } from '../src/leases/index.js';
import {
  failure,
  loginAndQuery,
  READER_SQL,
  roleExists,
  useCredsWithPostgres,
  validUntil,
} from './leases-support.js';

const owner = { identity: 'approle:billing', tokenAccessor: 'acc_billing' };
const MIN = 60_000;
const MARGIN = 5 * MIN;

const t = useCredsWithPostgres({ configureReader: true });

describe('issue, log in, renew, revoke against a real PostgreSQL', () => {
  it('issues a working login whose VALID UNTIL is expiry plus the margin, renews it, and revokes it', async () => {
    const issued = await t.env.creds.leases.issue('main', 'reader', owner);
    expect(issued.username).toMatch(/^h_main_reader_[0-9a-f]{16}$/);
    expect(issued.password).toHaveLength(43);
    expect(issued.leaseId).toMatch(/^creds\/main\/reader\/[0-9a-f]{32}$/);
    expect(issued).toMatchObject({ ttl: 3600, renewable: true });
    expect(await loginAndQuery(t.db, issued.username, issued.password)).toBe(1);
    const expireAt = Date.parse(issued.expireAt);
    expect(expireAt).toBe(t.env.time.state.now + 60 * MIN);
    expect(await validUntil(t.db, issued.username)).toBe(expireAt + MARGIN);

    // Renew by 2h: within the 3h max TTL, so the expiry and VALID UNTIL both move.
    t.env.time.advance(10 * MIN);
    const renewed = await t.env.creds.leases.renew(issued.leaseId, 120 * MIN);
    expect(Date.parse(renewed.expireAt)).toBe(t.env.time.state.now + 120 * MIN);
    expect(renewed.ttl).toBe(7200);
    expect(await validUntil(t.db, issued.username)).toBe(Date.parse(renewed.expireAt) + MARGIN);

    // A longer increment is capped at the max TTL, after which the lease is no longer renewable.
    const capped = await t.env.creds.leases.renew(issued.leaseId, 24 * 60 * MIN);
    expect(capped.expireAt).toBe(capped.maxExpireAt);
    expect(capped.renewable).toBe(false);
    expect(await validUntil(t.db, issued.username)).toBe(Date.parse(capped.maxExpireAt) + MARGIN);

    const result = await t.env.creds.leases.revoke(issued.leaseId);
    expect(result).toEqual({ revoked: [issued.leaseId], queued: [] });
    expect(await roleExists(t.db, issued.username)).toBe(false);
    await expect(loginAndQuery(t.db, issued.username, issued.password)).rejects.toThrow(
      /password authentication failed|does not exist/,
    );
    expect(await t.env.creds.leases.list()).toEqual([]);
    expect((await failure(t.env.creds.leases.revoke(issued.leaseId))).code).toBe('HUSH_E_NOT_FOUND');
  });

  it('ends the sessions of a revoked user', async () => {
    const issued = await t.env.creds.leases.issue('main', 'reader', owner);
    const pgMod = await import('pg');
    const u = new URL(t.db.url);
    const session = new pgMod.default.Client({
      host: u.hostname,
      port: Number(u.port),
      database: 'postgres',
      user: issued.username,
      password: issued.password,
    });
    session.on('error', () => undefined);
    await session.connect();
    await session.query('SELECT 1');
    await t.env.creds.leases.revoke(issued.leaseId);
    await expect(session.query('SELECT 1')).rejects.toThrow();
    await session.end().catch(() => undefined);
  });

  it('revokes by prefix only the leases below it', async () => {
    await t.env.creds.engines.setRole('main', 'other', { creationSql: READER_SQL, ttl: '1h', maxTtl: '1h' });
    const a1 = await t.env.creds.leases.issue('main', 'reader', owner);
    const a2 = await t.env.creds.leases.issue('main', 'reader', owner);
    const b = await t.env.creds.leases.issue('main', 'other', owner);
    expect(b.renewable).toBe(false);
    const result = await t.env.creds.leases.revokePrefix('creds/main/reader');
    expect(result.revoked.sort()).toEqual([a1.leaseId, a2.leaseId].sort());
    expect(await roleExists(t.db, a1.username)).toBe(false);
    expect(await roleExists(t.db, a2.username)).toBe(false);
    expect(await loginAndQuery(t.db, b.username, b.password)).toBe(1);
    expect((await t.env.creds.leases.list()).map((l) => l.leaseId)).toEqual([b.leaseId]);
  });

  it('revokes every lease of an identity or a token accessor (incident response)', async () => {
    const mine = await t.env.creds.leases.issue('main', 'reader', owner);
    const theirs = await t.env.creds.leases.issue('main', 'reader', {
      identity: 'jwt:alice',
      tokenAccessor: 'acc_alice',
    });
    const other = await t.env.creds.leases.issue('main', 'reader', {
      identity: 'jwt:bob',
      tokenAccessor: 'acc_bob',
    });
    expect(await t.env.creds.leases.revokeLeasesOf({ identity: 'approle:billing' })).toEqual({
      revoked: [mine.leaseId],
      queued: [],
    });
    expect(await t.env.creds.leases.revokeLeasesOf({ tokenAccessor: 'acc_alice' })).toEqual({
      revoked: [theirs.leaseId],
      queued: [],
    });
    expect(await roleExists(t.db, mine.username)).toBe(false);
    expect(await roleExists(t.db, theirs.username)).toBe(false);
    expect(await roleExists(t.db, other.username)).toBe(true);
    expect((await failure(t.env.creds.leases.revokeLeasesOf({}))).code).toBe('HUSH_E_USAGE');
  });
});

describe('expiry', () => {
  it('never revokes before expireAt by the server clock; revokes after, through the leader job', async () => {
    const issued = await t.env.creds.leases.issue('main', 'reader', owner);
    const job = leaseExpiryJob({ leases: t.env.creds.leases });
    expect(job.name).toBe('lease-expiry');
    t.env.time.advance(60 * MIN - 1);
    await job.run(new AbortController().signal);
    expect(await roleExists(t.db, issued.username)).toBe(true);
    expect(await t.env.creds.leases.list()).toHaveLength(1);
    expect((await t.env.creds.leases.list())[0]).toMatchObject({ state: 'active', ttl: 0 });

    t.env.time.advance(1);
    const passes: unknown[] = [];
    await leaseExpiryJob({ leases: t.env.creds.leases, onPass: (p) => passes.push(p) }).run(
      new AbortController().signal,
    );
    expect(passes).toEqual([{ expired: 1, retried: 0, revoked: 1, queued: 0 }]);
    expect(await roleExists(t.db, issued.username)).toBe(false);
    expect(await t.env.creds.leases.list()).toEqual([]);
  });

  it('skips passes quietly while the store is sealed, and keeps the lease for after the unseal', async () => {
    const issued = await t.env.creds.leases.issue('main', 'reader', owner);
    t.env.time.advance(61 * MIN);
    t.env.seal();
    expect((await failure(t.env.creds.leases.expirePass())).code).toBe('HUSH_E_SEALED');
    const passes: unknown[] = [];
    await leaseExpiryJob({ leases: t.env.creds.leases, onPass: (p) => passes.push(p) }).run(
      new AbortController().signal,
    );
    expect(passes).toEqual([]);
    expect(await roleExists(t.db, issued.username)).toBe(true);
    await t.env.reopen(); // unseals from the key file
    await leaseExpiryJob({ leases: t.env.creds.leases }).run(new AbortController().signal);
    expect(await roleExists(t.db, issued.username)).toBe(false);
  });

  it('runs under the leader-only job runner and only while leading', async () => {
    const issued = await t.env.creds.leases.issue('main', 'reader', owner);
    t.env.time.advance(61 * MIN);
    const warnings: unknown[] = [];
    const logger = { warn: (fields: unknown) => warnings.push(fields) };
    const follower = startBackgroundJobs(
      [leaseExpiryJob({ leases: t.env.creds.leases })],
      { isLeader: () => false, close: async () => {} },
      logger,
    );
    await follower.runNow();
    await follower.stop();
    expect(await roleExists(t.db, issued.username)).toBe(true);
    const leader = startBackgroundJobs(
      [leaseExpiryJob({ leases: t.env.creds.leases })],
      singleNodeLeadership(),
      logger,
    );
    await leader.runNow();
    await leader.stop();
    expect(await roleExists(t.db, issued.username)).toBe(false);
    expect(warnings).toEqual([]);
  });

  it('refuses to renew an expired lease', async () => {
    const issued = await t.env.creds.leases.issue('main', 'reader', owner);
    t.env.time.advance(60 * MIN);
    const err = await failure(t.env.creds.leases.renew(issued.leaseId));
    expect(err.code).toBe('HUSH_E_NOT_FOUND');
    expect(err.message).toContain('expired');
  });

  it('keeps leases across a store restart and revokes them after expiry', async () => {
    const issued = await t.env.creds.leases.issue('main', 'reader', owner);
    await t.env.reopen();
    expect((await t.env.creds.leases.list()).map((l) => l.leaseId)).toEqual([issued.leaseId]);
    t.env.time.advance(61 * MIN);
    await leaseExpiryJob({ leases: t.env.creds.leases }).run(new AbortController().signal);
    expect(await roleExists(t.db, issued.username)).toBe(false);
  });
});
