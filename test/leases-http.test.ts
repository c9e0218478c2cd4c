import { describe, expect, it } from 'vitest';
import { HushError } from '../src/core/errors/hush-error.js';
import { createIncidentService } from '../src/incident/incident-service.js';
import { deleteEngine } from '../src/leases/delete-engine.js';
import {
  call,
  failure,
  loginAndQuery,
  READER_SQL,
  roleExists,
  useCredsWithPostgres,
} from './leases-support.js';

const t = useCredsWithPostgres({ configureReader: false });

/** Write a policy and mint a token holding only it. */
async function tokenWith(name: string, rules: { path: string; capabilities: string[] }[]): Promise<string> {
  const put = await call(t.env.app, 'PUT', `/v1/sys/policies/${name}`, t.env.rootToken, { name, rules });
  expect(put.status).toBe(200);
  const created = await call(t.env.app, 'POST', '/v1/auth/token/create', t.env.rootToken, {
    policies: [name],
  });
  expect(created.status).toBe(200);
  return created.json.token as string;
}

async function configure(): Promise<void> {
  const eng = await call(t.env.app, 'PUT', '/v1/sys/engines/main', t.env.rootToken, {
    type: 'postgres',
    connectionUrl: t.db.url,
  });
  expect(eng.status).toBe(200);
  expect(eng.json).toMatchObject({ name: 'main', type: 'postgres', validUntilMargin: 300 });
  expect(eng.body).not.toContain(t.db.password);
  const role = await call(t.env.app, 'PUT', '/v1/sys/engines/main/roles/reader', t.env.rootToken, {
    creationSql: READER_SQL,
    ttl: '1h',
    maxTtl: '24h',
  });
  expect(role.status).toBe(200);
  expect(role.json).toMatchObject({ ttl: 3600, maxTtl: 86400 });
  expect(role.json.revocationSql).toContain('DROP ROLE IF EXISTS {{name}}');
}

/**
 * Issue credentials for main/reader while `midway` runs between the lease write and the role creation (as a racing
 * revocation would), then check the issue failed with 409 and left neither a role nor a lease behind.
 */
async function issueRacing(midway: () => Promise<void>): Promise<void> {
  const leases = t.env.creds.leases;
  let username = '';
  const raced = await leases
    .issue('main', 'reader', { identity: 'user:amy', tokenAccessor: 'acc_raced' }, async () => {
      username = (await leases.list())[0]?.username ?? '';
      await midway();
      return true;
    })
    .catch((e: HushError) => e);
  expect((raced as HushError).code).toBe('HUSH_E_CAS_CONFLICT');
  expect(username).toMatch(/^h_main_reader_/);
  expect(await roleExists(t.db, username)).toBe(false);
  expect(await leases.list()).toEqual([]);
}

describe('dynamic credentials over HTTP', () => {
  it('configures, issues working credentials, renews and revokes; the URL and passwords never reach the audit trail', async () => {
    await configure();
    const read = await call(t.env.app, 'GET', '/v1/creds/main/reader', t.env.rootToken);
    expect(read.status).toBe(200);
    const { username, password, leaseId } = read.json;
    expect(read.json).toMatchObject({ ttl: 3600, renewable: true });
    expect(await loginAndQuery(t.db, username, password)).toBe(1);

    const renewed = await call(t.env.app, 'POST', '/v1/leases/renew', t.env.rootToken, {
      leaseId,
      increment: '2h',
    });
    expect(renewed.status).toBe(200);
    expect(renewed.json.ttl).toBe(7200);

    const listed = await call(t.env.app, 'GET', '/v1/leases?prefix=creds/main', t.env.rootToken);
    expect(listed.json.leases.map((l: { leaseId: string }) => l.leaseId)).toEqual([leaseId]);

    const revoked = await call(t.env.app, 'POST', '/v1/leases/revoke', t.env.rootToken, { leaseId });
    expect(revoked.json).toEqual({ revoked: [leaseId], queued: [] });
    await expect(loginAndQuery(t.db, username, password)).rejects.toThrow();

    const audit = await t.env.auditText();
    for (const op of [
      'creds.engine.write',
      'creds.role.write',
      'creds.read',
      'leases.renew',
      'leases.revoke',
    ])
      expect(audit).toContain(op);
    expect(audit).not.toContain(t.db.password);
    expect(audit).not.toContain(t.db.url);
    expect(audit).not.toContain(password);
    expect(t.env.logs.text()).not.toContain(t.db.password);
    expect(t.env.logs.text()).not.toContain(password);
  });

  it('rejects bad input with one-line coded errors and never echoes the URL', async () => {
    const bad = await call(t.env.app, 'PUT', '/v1/sys/engines/main', t.env.rootToken, {
      type: 'postgres',
      connectionUrl: `postgres://hush:${t.db.password}@127.0.0.1:1/postgres`,
    });
    expect(bad.status).toBe(502);
    expect(bad.json.error.code).toBe('HUSH_E_UPSTREAM');
    expect(bad.body).not.toContain(t.db.password);
    const extra = await call(t.env.app, 'PUT', '/v1/sys/engines/main', t.env.rootToken, {
      type: 'postgres',
      connectionUrl: t.db.url,
      password: 'x',
    });
    expect(extra.status).toBe(400);
    expect(extra.body).not.toContain(t.db.password);
    const template = await call(t.env.app, 'PUT', '/v1/sys/engines/main/roles/r', t.env.rootToken, {
      creationSql: READER_SQL,
      ttl: '1h',
      maxTtl: '1h',
    });
    expect(template.status).toBe(404); // no engine yet
    expect(template.json.error.message).toContain('hush creds config postgres main');
    const badId = await call(t.env.app, 'POST', '/v1/leases/revoke', t.env.rootToken, { leaseId: '../x' });
    expect(badId.status).toBe(400);
    expect((await t.env.auditText()).includes(t.db.password)).toBe(false);
  });

  it('gates everything by policy; a lease owner may renew and revoke its own lease only', async () => {
    await configure();
    const app1 = await tokenWith('app1', [{ path: 'creds/main/reader', capabilities: ['read'] }]);
    const app2 = await tokenWith('app2', [{ path: 'creds/main/*', capabilities: ['read'] }]);
    const nobody = await tokenWith('nobody', [{ path: 'secret/*', capabilities: ['read'] }]);

    expect((await call(t.env.app, 'GET', '/v1/creds/main/reader', nobody)).status).toBe(403);
    expect(
      (
        await call(t.env.app, 'PUT', '/v1/sys/engines/main', app1, {
          type: 'postgres',
          connectionUrl: t.db.url,
        })
      ).status,
    ).toBe(403);
    expect((await call(t.env.app, 'GET', '/v1/sys/engines/main', app1)).status).toBe(403);

    const mine = await call(t.env.app, 'GET', '/v1/creds/main/reader', app1);
    expect(mine.status).toBe(200);
    const theirs = await call(t.env.app, 'GET', '/v1/creds/main/reader', app2);
    const leaseId = mine.json.leaseId as string;

    expect((await call(t.env.app, 'POST', '/v1/leases/renew', app1, { leaseId })).status).toBe(200);
    // Another token cannot touch it, and cannot tell a foreign lease from a missing one.
    const foreign = await call(t.env.app, 'POST', '/v1/leases/revoke', app2, { leaseId });
    expect(foreign.status).toBe(403);
    const missing = await call(t.env.app, 'POST', '/v1/leases/revoke', app2, {
      leaseId: 'creds/main/reader/00000000000000000000000000000000',
    });
    expect(missing.status).toBe(403);
    expect((await call(t.env.app, 'GET', '/v1/leases', app1)).status).toBe(403);
    expect(
      (await call(t.env.app, 'POST', '/v1/leases/revoke-prefix', app1, { prefix: 'creds/main' })).status,
    ).toBe(403);

    expect((await call(t.env.app, 'POST', '/v1/leases/revoke', app1, { leaseId })).json.revoked).toEqual([
      leaseId,
    ]);
    expect(await roleExists(t.db, mine.json.username)).toBe(false);

    // Root (sudo) revokes the rest by prefix.
    const rest = await call(t.env.app, 'POST', '/v1/leases/revoke-prefix', t.env.rootToken, {
      prefix: 'creds/main',
    });
    expect(rest.json.revoked).toEqual([theirs.json.leaseId]);
    expect(await roleExists(t.db, theirs.json.username)).toBe(false);

    const audit = await t.env.auditText();
    expect(audit).toMatch(
      /"operation":"creds\.read".*"outcome":"denied"|"outcome":"denied".*"operation":"creds\.read"/,
    );
  });

  it('records the owner identity and accessor on the lease', async () => {
    await configure();
    const app1 = await tokenWith('app1', [{ path: 'creds/main/reader', capabilities: ['read'] }]);
    const self = await call(t.env.app, 'GET', '/v1/auth/token/lookup-self', app1);
    const mine = await call(t.env.app, 'GET', '/v1/creds/main/reader', app1);
    const [lease] = await t.env.creds.leases.list();
    expect(lease?.leaseId).toBe(mine.json.leaseId);
    expect(lease?.owner).toEqual({ identity: self.json.identity, tokenAccessor: self.json.accessor });
    const result = await t.env.creds.leases.revokeLeasesOf({ tokenAccessor: self.json.accessor });
    expect(result.revoked).toEqual([mine.json.leaseId]);
  });

  it('revoking a token revokes the leases it and its child tokens obtained, and only those', async () => {
    await configure();
    const parent = await tokenWith('app1', [{ path: 'creds/main/reader', capabilities: ['read'] }]);
    const other = await tokenWith('app2', [{ path: 'creds/main/reader', capabilities: ['read'] }]);
    const child = await call(t.env.app, 'POST', '/v1/auth/token/create', parent, {});
    expect(child.status).toBe(200);
    const childToken = child.json.token as string;

    const parentLease = await call(t.env.app, 'GET', '/v1/creds/main/reader', parent);
    const childLease = await call(t.env.app, 'GET', '/v1/creds/main/reader', childToken);
    const otherLease = await call(t.env.app, 'GET', '/v1/creds/main/reader', other);
    for (const r of [parentLease, childLease, otherLease]) expect(r.status).toBe(200);
    const parentAccessor = (await call(t.env.app, 'GET', '/v1/auth/token/lookup-self', parent)).json.accessor;

    const revoked = await call(t.env.app, 'POST', '/v1/auth/token/revoke-accessor', t.env.rootToken, {
      accessor: parentAccessor,
    });
    expect(revoked.status).toBe(200);
    expect(revoked.json.revoked).toEqual([parentAccessor, child.json.auth.accessor]);
    expect([...revoked.json.leasesRevoked].sort()).toEqual(
      [parentLease.json.leaseId, childLease.json.leaseId].sort(),
    );
    expect(revoked.json.leasesQueued).toEqual([]);
    for (const lease of [parentLease, childLease]) {
      expect(await roleExists(t.db, lease.json.username)).toBe(false);
      await expect(loginAndQuery(t.db, lease.json.username, lease.json.password)).rejects.toThrow();
    }
    // Another token's credentials are untouched until that token goes too.
    expect(await loginAndQuery(t.db, otherLease.json.username, otherLease.json.password)).toBe(1);
    expect((await t.env.creds.leases.list()).map((l) => l.leaseId)).toEqual([otherLease.json.leaseId]);

    const self = await call(t.env.app, 'POST', '/v1/auth/token/revoke-self', other);
    expect(self.status).toBe(200);
    expect(self.json.leasesRevoked).toEqual([otherLease.json.leaseId]);
    expect(await roleExists(t.db, otherLease.json.username)).toBe(false);
    expect(await t.env.creds.leases.list()).toEqual([]);
  });

  it('deleting a role keeps its leases working; deleting an engine revokes its leases, then its roles and config', async () => {
    await configure();
    const root = t.env.rootToken;
    const put = (url: string, body: unknown) => call(t.env.app, 'PUT', url, root, body);
    expect((await put('/v1/sys/engines/other', { type: 'postgres', connectionUrl: t.db.url })).status).toBe(
      200,
    );
    const roleBody = { creationSql: READER_SQL, ttl: '1h', maxTtl: '24h' };
    expect((await put('/v1/sys/engines/other/roles/reader', roleBody)).status).toBe(200);
    const first = (await call(t.env.app, 'GET', '/v1/creds/main/reader', root)).json;
    const others = (await call(t.env.app, 'GET', '/v1/creds/other/reader', root)).json;

    const roleGone = await call(t.env.app, 'DELETE', '/v1/sys/engines/main/roles/reader', root);
    expect(roleGone.json).toEqual({ engine: 'main', role: 'reader', deleted: true });
    expect((await call(t.env.app, 'GET', '/v1/sys/engines/main/roles/reader', root)).status).toBe(404);
    expect((await call(t.env.app, 'GET', '/v1/creds/main/reader', root)).status).toBe(404);
    // The lease keeps the statements it was issued with; with its role gone, a renewal names the increment.
    const unsized = await call(t.env.app, 'POST', '/v1/leases/renew', root, { leaseId: first.leaseId });
    expect(unsized.status).toBe(400);
    expect(unsized.json.error.message).toContain('no longer exists; pass --increment');
    const renewed = await call(t.env.app, 'POST', '/v1/leases/renew', root, {
      leaseId: first.leaseId,
      increment: '30m',
    });
    expect(renewed.status).toBe(200);

    expect((await put('/v1/sys/engines/main/roles/reader', roleBody)).status).toBe(200);
    const second = (await call(t.env.app, 'GET', '/v1/creds/main/reader', root)).json;
    const gone = await call(t.env.app, 'DELETE', '/v1/sys/engines/main', root);
    expect(gone.status).toBe(200);
    expect(gone.json.engine).toBe('main');
    expect(gone.json.rolesDeleted).toEqual(['reader']);
    expect([...gone.json.leasesRevoked].sort()).toEqual([first.leaseId, second.leaseId].sort());
    for (const lease of [first, second]) expect(await roleExists(t.db, lease.username)).toBe(false);
    expect((await call(t.env.app, 'GET', '/v1/sys/engines/main', root)).status).toBe(404);
    expect((await call(t.env.app, 'GET', '/v1/sys/engines/main/roles/reader', root)).status).toBe(404);
    // Another engine (whose name starts the same way) and its credentials are untouched.
    expect(await loginAndQuery(t.db, others.username, others.password)).toBe(1);
    expect((await t.env.creds.leases.list()).map((l) => l.leaseId)).toEqual([others.leaseId]);
    const again = await call(t.env.app, 'DELETE', '/v1/sys/engines/main', root);
    expect(again.status).toBe(404);
    expect(again.json.error.code).toBe('HUSH_E_NOT_FOUND');

    const reader = await tokenWith('engine-reader', [{ path: 'sys/engines/**', capabilities: ['read'] }]);
    expect((await call(t.env.app, 'DELETE', '/v1/sys/engines/other', reader)).status).toBe(403);
    expect((await call(t.env.app, 'DELETE', '/v1/sys/engines/other/roles/reader', reader)).status).toBe(403);
    // Deleting an engine revokes its leases, so `delete` on the engine is not enough: it takes sudo on its leases.
    const tidier = await tokenWith('engine-tidier', [{ path: 'sys/engines/**', capabilities: ['delete'] }]);
    const refused = await call(t.env.app, 'DELETE', '/v1/sys/engines/other', tidier);
    expect(refused.status).toBe(403);
    expect(refused.json.error.message).toContain('sys/leases/creds/other/');
    expect(await loginAndQuery(t.db, others.username, others.password)).toBe(1);
    expect((await call(t.env.app, 'DELETE', '/v1/sys/engines/other/roles/reader', tidier)).status).toBe(200);
    const audit = await t.env.auditText();
    for (const op of ['creds.engine.delete', 'creds.role.delete']) expect(audit).toContain(op);
  });

  it('an engine whose leases cannot be revoked is kept (502), and deleted once they can be', async () => {
    await configure();
    const root = t.env.rootToken;
    const lease = (await call(t.env.app, 'GET', '/v1/creds/main/reader', root)).json;
    const dead = `postgres://hush:${t.db.password}@127.0.0.1:1/postgres`;
    const broken = await call(t.env.app, 'PUT', '/v1/sys/engines/main', root, {
      type: 'postgres',
      connectionUrl: dead,
      verify: false,
    });
    expect(broken.status).toBe(200);
    const kept = await call(t.env.app, 'DELETE', '/v1/sys/engines/main', root);
    expect(kept.status).toBe(502);
    expect(kept.json.error.code).toBe('HUSH_E_UPSTREAM');
    expect(kept.json.error.message).toMatch(/^engine "main" was kept: 1 of its leases could not be revoked/);
    expect(kept.body).not.toContain(t.db.password);
    expect((await call(t.env.app, 'GET', '/v1/sys/engines/main', root)).status).toBe(200);
    expect(await roleExists(t.db, lease.username)).toBe(true);
    // A kept engine issues nothing more: a lease written now could escape the delete's revocation.
    const stopped = await call(t.env.app, 'GET', '/v1/creds/main/reader', root);
    expect(stopped.status).toBe(404);
    expect(stopped.json.error.message).toMatch(/^secrets engine "main" is being deleted; configure it again/);

    const fixed = await call(t.env.app, 'PUT', '/v1/sys/engines/main', root, {
      type: 'postgres',
      connectionUrl: t.db.url,
    });
    expect(fixed.status).toBe(200);
    const gone = await call(t.env.app, 'DELETE', '/v1/sys/engines/main', root);
    expect(gone.status).toBe(200);
    expect(gone.json.leasesRevoked).toEqual([lease.leaseId]);
    expect(await roleExists(t.db, lease.username)).toBe(false);
  });

  it('an issue racing its token revocation issues nothing and leaves no role behind', async () => {
    await configure();
    const leases = t.env.creds.leases;
    const owner = { identity: 'user:amy', tokenAccessor: 'acc_raced' };
    // The token was revoked after the lease was written and before the role was created: the issue backs out.
    const gone = await leases.issue('main', 'reader', owner, async () => false).catch((e: HushError) => e);
    expect(gone).toBeInstanceOf(HushError);
    expect((gone as HushError).code).toBe('HUSH_E_UNAUTHENTICATED');
    expect(await leases.list()).toEqual([]);

    // The revocation's lease scan ran while the role was being created (its DROP ROLE found nothing to drop):
    // the issue sees its lease gone once the role exists, revokes again, and fails.
    await issueRacing(async () => {
      expect((await leases.revokeLeasesOfTokens(['acc_raced'])).revoked).toHaveLength(1);
    });
  });

  it('incident revoke of an identity also revokes the leases of child tokens acting for someone else', async () => {
    await configure();
    const tokens = t.env.identity.services.tokens;
    const parent = await tokens.create({ policies: [], identity: 'user:amy' });
    const child = await tokens.create(
      { policies: [], identity: 'approle:ci' },
      await tokens.authenticate(parent.token),
    );
    const lease = await t.env.creds.leases.issue('main', 'reader', {
      identity: 'approle:ci',
      tokenAccessor: child.view.accessor,
    });
    const incident = createIncidentService({
      tokens,
      leases: t.env.creds.leases,
      secrets: { list: async () => ({ entries: [] }) },
      lockdown: async () => undefined,
      auditRecords: async function* () {},
    });
    const res = await incident.revokeIdentity('user:amy');
    expect([...res.tokensRevoked].sort()).toEqual([parent.view.accessor, child.view.accessor].sort());
    expect(res.leasesRevoked).toEqual([lease.leaseId]);
    expect(await roleExists(t.db, lease.username)).toBe(false);
  });

  it('a role written while its engine is being removed does not outlive the engine', async () => {
    const engines = t.env.creds.engines;
    const hops = async (n: number) => {
      for (let i = 0; i < n; i++) await null;
    };
    const role = { creationSql: READER_SQL, ttl: '1h', maxTtl: '24h' };
    for (let k = 0; k < 12; k++) {
      await configure();
      await engines.markDeleting('main'); // as deleteEngine does before it removes
      const [removed, late] = await Promise.allSettled([
        engines.remove('main'),
        hops(k).then(() => engines.setRole('main', 'late', role)),
      ]);
      expect(removed.status).toBe('fulfilled');
      // Either the role was written first (and removed with the engine) or its write found no engine.
      if (late.status === 'rejected')
        expect(String(late.reason)).toMatch(/no secrets engine "main"|check-and-set/);
      await configure();
      const after = await call(t.env.app, 'GET', '/v1/sys/engines/main/roles/late', t.env.rootToken);
      expect(after.status).toBe(404);
    }
  });

  it('an issue racing a whole engine delete drops its role with the engine it holds, and leaves nothing queued', async () => {
    await configure();
    const { engines, leases } = t.env.creds;
    // The whole delete runs midway: mark, revoke (no role yet, the lease goes), remove the engine.
    await issueRacing(async () => {
      expect((await deleteEngine({ engines, leases }, 'main')).leasesRevoked).toHaveLength(1);
    });
  });

  it("a use-limited token's last use still reads credentials (used up is not revoked)", async () => {
    await configure();
    const put = await call(t.env.app, 'PUT', '/v1/sys/policies/once', t.env.rootToken, {
      name: 'once',
      rules: [{ path: 'creds/main/reader', capabilities: ['read'] }],
    });
    expect(put.status).toBe(200);
    const created = await call(t.env.app, 'POST', '/v1/auth/token/create', t.env.rootToken, {
      policies: ['once'],
      numUses: 1,
    });
    const read = await call(t.env.app, 'GET', '/v1/creds/main/reader', created.json.token);
    expect(read.status).toBe(200);
    expect(await loginAndQuery(t.db, read.json.username, read.json.password)).toBe(1);
    expect((await call(t.env.app, 'GET', '/v1/creds/main/reader', created.json.token)).status).toBe(401);
  });

  it('marking an engine for deletion never overwrites a configuration written meanwhile', async () => {
    const engines = t.env.creds.engines;
    const hops = async (n: number) => {
      for (let i = 0; i < n; i++) await null;
    };
    for (let k = 0; k < 12; k++) {
      await configure();
      const margin = `${k + 1}m`;
      const [marked, configured] = await Promise.allSettled([
        engines.markDeleting('main'),
        hops(k).then(() =>
          engines.configure('main', {
            type: 'postgres',
            connectionUrl: t.db.url,
            validUntilMargin: margin,
            verify: false,
          }),
        ),
      ]);
      expect(marked.status).toBe('fulfilled');
      expect(configured.status).toBe('fulfilled');
      // Whichever landed last, the new configuration is the one kept (marked or not).
      expect((await engines.get('main')).validUntilMargin).toBe((k + 1) * 60);
    }
  });

  it('an engine configured again while it is being deleted is not removed (409: delete it again)', async () => {
    await configure();
    const engines = t.env.creds.engines;
    await engines.markDeleting('main');
    await configure(); // clears the mark: credentials may be issued again
    const err = await failure(engines.remove('main'));
    expect(err.code).toBe('HUSH_E_CAS_CONFLICT');
    expect(err.message).toBe(
      'engine main was configured again while it was being deleted; delete it again to revoke what it issued since',
    );
    expect((await call(t.env.app, 'GET', '/v1/sys/engines/main', t.env.rootToken)).status).toBe(200);
  });
});
