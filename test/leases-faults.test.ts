import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { leaseExpiryJob } from '../src/leases/index.js';
import { failure, READER_SQL, roleExists, useCredsWithPostgres } from './leases-support.js';

const owner = { identity: 'approle:billing', tokenAccessor: 'acc_billing' };

const t = useCredsWithPostgres({ configureReader: true });

describe('the database is down during revocation', () => {
  it('keeps a revocation the database refuses queued until the role template is fixed', async () => {
    await t.env.creds.engines.setRole('main', 'sticky', {
      creationSql: READER_SQL,
      revocationSql: 'SELECT hush_no_such_function(); DROP ROLE {{name}};',
      allowUnlistedStatements: true,
      ttl: '1h',
      maxTtl: '1h',
    });
    const issued = await t.env.creds.leases.issue('main', 'sticky', owner);
    const first = await t.env.creds.leases.revoke(issued.leaseId);
    expect(first.queued[0]?.error).toMatch(/revocation SQL failed .*SQLSTATE 42883/);
    expect(await roleExists(t.db, issued.username)).toBe(true); // the failed transaction dropped nothing
    await t.env.creds.engines.setRole('main', 'sticky', { creationSql: READER_SQL, ttl: '1h', maxTtl: '1h' });
    t.env.time.advance(1_000);
    await leaseExpiryJob({ leases: t.env.creds.leases }).run(new AbortController().signal);
    expect(await roleExists(t.db, issued.username)).toBe(false);
    expect(await t.env.creds.leases.list()).toEqual([]);
  });

  it('queues the revocation, retries with capped exponential backoff, survives a restart, and drops the role once up', async () => {
    const issued = await t.env.creds.leases.issue('main', 'reader', owner);
    await t.db.stop();
    let restarted = false;
    try {
      const first = await t.env.creds.leases.revoke(issued.leaseId);
      expect(first.revoked).toEqual([]);
      expect(first.queued).toHaveLength(1);
      const q = first.queued[0];
      expect(q?.error).toMatch(
        /^cannot connect to postgres engine "main" \(127\.0\.0\.1:\d+\/postgres\): ECONNREFUSED/,
      );
      expect(q?.error).not.toContain(t.db.password);
      expect(q?.error).not.toContain(t.db.url);
      expect(Date.parse(q?.nextAttemptAt ?? '')).toBe(t.env.time.state.now + 1_000);

      const [listed] = await t.env.creds.leases.list();
      expect(listed).toMatchObject({
        state: 'revoking',
        renewable: false,
        revocation: { attempts: 1, reason: 'revoked' },
      });

      const job = leaseExpiryJob({ leases: t.env.creds.leases });
      const signal = new AbortController().signal;
      // Before the backoff elapsed: not retried.
      await job.run(signal);
      expect((await t.env.creds.leases.list())[0]?.revocation?.attempts).toBe(1);
      // Retries double the delay: 1 s, 2 s, 4 s, then the 8 s cap.
      const delays: number[] = [];
      for (let i = 0; i < 4; i++) {
        t.env.time.advance(8_000);
        await job.run(signal);
        const r = (await t.env.creds.leases.list())[0]?.revocation;
        delays.push(Date.parse(r?.nextAttemptAt ?? '') - t.env.time.state.now);
      }
      expect(delays).toEqual([2_000, 4_000, 8_000, 8_000]);
      expect((await t.env.creds.leases.list())[0]?.revocation?.attempts).toBe(5);

      await t.env.reopen(); // the queue is storage, not memory
      expect((await t.env.creds.leases.list())[0]?.state).toBe('revoking');
      await t.db.start();
      restarted = true;
      t.env.time.advance(8_000);
      const passes: unknown[] = [];
      await leaseExpiryJob({ leases: t.env.creds.leases, onPass: (p) => passes.push(p) }).run(signal);
      expect(passes).toEqual([{ expired: 0, retried: 1, revoked: 1, queued: 0 }]);
      expect(await roleExists(t.db, issued.username)).toBe(false);
      expect(await t.env.creds.leases.list()).toEqual([]);
    } finally {
      if (!restarted) await t.db.start();
    }
  });

  it('fails a read with HUSH_E_UPSTREAM and leaves no lease behind', async () => {
    await t.db.stop();
    try {
      const err = await failure(t.env.creds.leases.issue('main', 'reader', owner));
      expect(err.code).toBe('HUSH_E_UPSTREAM');
      expect(err.message).not.toContain(t.db.password);
      expect(await t.env.creds.leases.list()).toEqual([]);
    } finally {
      await t.db.start();
    }
  });
});

describe('bad input gets one-line errors; the admin URL never leaks', () => {
  const cases: [string, Record<string, string>, RegExp][] = [
    ['unknown placeholder', { creationSql: 'CREATE ROLE {{user}}' }, /unknown placeholder \{\{user\}\}/],
    [
      'missing password',
      { creationSql: 'CREATE ROLE {{name}} VALID UNTIL {{expiration}}' },
      /must use \{\{password\}\}/,
    ],
    [
      'missing expiration',
      { creationSql: 'CREATE ROLE {{name}} PASSWORD {{password}}' },
      /must use \{\{expiration\}\}/,
    ],
    ['empty', { creationSql: '   ' }, /creation SQL is empty/],
    ['unbalanced braces', { creationSql: `${READER_SQL} {{name` }, /unbalanced/],
    [
      'bad revocation placeholder',
      { creationSql: READER_SQL, revocationSql: 'DROP ROLE {{password}}' },
      /revocation SQL uses unknown placeholder \{\{password\}\}/,
    ],
    [
      'ttl over max',
      { creationSql: READER_SQL, ttl: '2h', maxTtl: '1h' },
      /ttl \(2h\) must not exceed maxTtl \(1h\)/,
    ],
    ['bad duration', { creationSql: READER_SQL, ttl: 'soon' }, /ttl must be a number followed by/],
  ];
  for (const [title, input, message] of cases) {
    it(`rejects a role with ${title}`, async () => {
      const err = await failure(
        t.env.creds.engines.setRole('main', 'bad', { ttl: '1h', maxTtl: '1h', ...input } as never),
      );
      expect(err.code).toBe('HUSH_E_INVALID_INPUT');
      expect(err.message).toMatch(message);
      expect(err.message).not.toContain('\n');
    });
  }

  it('rejects bad names and unknown engines or roles, saying how to fix them', async () => {
    expect(
      (await failure(t.env.creds.engines.configure('Main!', { type: 'postgres', connectionUrl: t.db.url })))
        .message,
    ).toMatch(/engine name "Main!" is invalid/);
    const noEngine = await failure(t.env.creds.leases.issue('nope', 'reader', owner));
    expect(noEngine.code).toBe('HUSH_E_NOT_FOUND');
    expect(noEngine.message).toContain('hush creds config postgres nope');
    const noRole = await failure(t.env.creds.leases.issue('main', 'nope', owner));
    expect(noRole.message).toContain('hush creds role set main/nope');
    expect((await failure(t.env.creds.leases.revoke('creds/main/reader/xyz'))).message).toMatch(
      /lease id .* is malformed/,
    );
  });

  it('never echoes the connection URL or its password', async () => {
    const wrong = new URL(t.db.url);
    wrong.password = 'Wr0ng-Secret-Pw';
    const errors = [
      await failure(
        t.env.creds.engines.configure('x', { type: 'postgres', connectionUrl: wrong.toString() }),
      ),
      await failure(
        t.env.creds.engines.configure('x', {
          type: 'postgres',
          connectionUrl: `mysql://u:${t.db.password}@h/d`,
        }),
      ),
      await failure(
        t.env.creds.engines.configure('x', {
          type: 'postgres',
          connectionUrl: `postgres://u:${t.db.password}@/d x`,
        }),
      ),
      await failure(
        t.env.creds.engines.configure('x', { type: 'postgres', connectionUrl: `not a url ${t.db.password}` }),
      ),
    ];
    expect(errors[0]?.code).toBe('HUSH_E_UPSTREAM');
    expect(errors[0]?.message).toMatch(/password authentication failed/);
    for (const e of errors) {
      expect(e.message).not.toContain('Wr0ng-Secret-Pw');
      expect(e.message).not.toContain(t.db.password);
      expect(e.message).not.toContain('\n');
    }
    const view = await t.env.creds.engines.get('main');
    expect(JSON.stringify(view)).not.toContain(t.db.password);
    expect(view.target).toMatch(/^127\.0\.0\.1:\d+\/postgres$/);
  });

  it('reports a creation statement the database rejects without the generated password, and keeps no lease', async () => {
    await t.env.creds.engines.setRole('main', 'broken', {
      creationSql:
        'CREATE ROLE {{name}} LOGIN PASSWORD {{password}} VALID UNTIL {{expiration}}; GRANT SELECT ON no_such_table TO {{name}};',
      ttl: '1h',
      maxTtl: '1h',
    });
    const err = await failure(t.env.creds.leases.issue('main', 'broken', owner));
    expect(err.code).toBe('HUSH_E_UPSTREAM');
    expect(err.message).toMatch(/creation SQL of role "broken" failed .*SQLSTATE 42P01/);
    expect(await t.env.creds.leases.list()).toEqual([]);
    const roles = await t.db.admin("SELECT rolname FROM pg_roles WHERE rolname LIKE 'h_main_broken_%'");
    expect(roles.rowCount).toBe(0); // the transaction rolled the CREATE ROLE back
  });

  it('keeps the admin URL encrypted at rest', async () => {
    await t.env.creds.leases.issue('main', 'reader', owner);
    const bytes = Buffer.concat(
      await Promise.all(
        ['', '-wal'].map((s) => readFile(join(t.env.dir, `hush.db${s}`)).catch(() => Buffer.alloc(0))),
      ),
    ).toString('latin1');
    expect(bytes).toContain('sys/engines/main/config');
    expect(bytes).not.toContain(t.db.password);
    expect(bytes).not.toContain('h_main_reader_');
  });
});
