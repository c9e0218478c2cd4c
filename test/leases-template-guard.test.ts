import { describe, expect, it } from 'vitest';
import { type EngineRole, roleKey } from '../src/engines/engine-records.js';
import { IDENTITY_SUBKEYS, openSealedView } from '../src/store/sealed-view/index.js';
import { call, failure, READER_SQL, useCredsWithPostgres } from './leases-support.js';

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

const CREATE = 'CREATE ROLE {{name}} LOGIN PASSWORD {{password}} VALID UNTIL {{expiration}};';
const SUPERUSER_SQL =
  'CREATE ROLE {{name}} LOGIN SUPERUSER PASSWORD {{password}} VALID UNTIL {{expiration}};';
/** Would write a file as the database's OS user, then make the lease's role a superuser. */
const PROGRAM_SQL = `${CREATE} COPY (SELECT 1) TO PROGRAM 'touch /tmp/hush-pwned'; ALTER ROLE {{name}} SUPERUSER;`;

async function superusers(): Promise<string[]> {
  const res = await t.db.admin("SELECT rolname FROM pg_roles WHERE rolsuper AND starts_with(rolname, 'h_')");
  return res.rows.map((r) => r.rolname as string);
}

describe('role templates cannot make the engine admin run arbitrary SQL', () => {
  it('refuses a template write without sudo on the engine, even with update on its roles', async () => {
    await t.env.creds.engines.configure('main', { type: 'postgres', connectionUrl: t.db.url });
    const writer = await tokenWith('role-writer', [
      { path: 'sys/engines/main/roles/*', capabilities: ['update', 'read'] },
      { path: 'creds/main/*', capabilities: ['read'] },
    ]);
    const put = await call(t.env.app, 'PUT', '/v1/sys/engines/main/roles/evil', writer, {
      creationSql: SUPERUSER_SQL,
      ttl: '1h',
      maxTtl: '1h',
    });
    expect(put.status).toBe(403);
    expect(put.json.error.message).toContain('sys/engines/main');
    expect((await call(t.env.app, 'GET', '/v1/creds/main/evil', writer)).status).toBe(404);
    expect(await superusers()).toEqual([]);

    // With sudo on the engine an ordinary template is accepted.
    const admin = await tokenWith('engine-admin', [
      { path: 'sys/engines/main/**', capabilities: ['admin'] },
      { path: 'sys/engines/main', capabilities: ['admin'] },
    ]);
    const ok = await call(t.env.app, 'PUT', '/v1/sys/engines/main/roles/reader', admin, {
      creationSql: READER_SQL,
      ttl: '1h',
      maxTtl: '1h',
    });
    expect(ok.status).toBe(200);
  });

  it('refuses SUPERUSER, COPY ... TO PROGRAM and hidden statements from an engine admin, with one-line errors', async () => {
    await t.env.creds.engines.configure('main', { type: 'postgres', connectionUrl: t.db.url });
    const cases: [string, RegExp][] = [
      [SUPERUSER_SQL, /statement 1 .*role attribute SUPERUSER is refused/],
      [PROGRAM_SQL, /statement 2 \(COPY .*COPY statements are not on the allow-list/],
      [`${CREATE} DO $$BEGIN EXECUTE 'ALTER ROLE x SUPERUSER'; END$$;`, /dollar quoting/],
      [`${CREATE} GRANT pg_execute_server_program TO {{name}};`, /GRANT of a role \(membership\) is refused/],
      [`${CREATE} ALTER ROLE postgres PASSWORD 'mine';`, /may only target the lease's role/],
      [
        `${CREATE} ALTER SYSTEM SET shared_preload_libraries = 'x';`,
        /ALTER statements are not on the allow-list/,
      ],
      [`${CREATE} CREATE EXTENSION dblink;`, /CREATE statements are not on the allow-list/],
      [`${CREATE} SET ROLE postgres;`, /SET statements are not on the allow-list/],
      [`${CREATE} SELECT lo_export(1, '/tmp/x');`, /SELECT is refused except/],
      [`${CREATE} /* ; */ COPY x FROM PROGRAM 'id';`, /COPY statements/],
      [
        `${CREATE} GRANT SELECT ON t TO {{name}}; SELECT E'\\x27; COPY x TO PROGRAM ''id'' --';`,
        /prefixed string literal/,
      ],
      [
        `CREATE ROLE "{{name}}" LOGIN PASSWORD {{password}} VALID UNTIL {{expiration}};`,
        /placeholder inside quotes/,
      ],
    ];
    for (const [creationSql, message] of cases) {
      const res = await call(t.env.app, 'PUT', '/v1/sys/engines/main/roles/evil', t.env.rootToken, {
        creationSql,
        ttl: '1h',
        maxTtl: '1h',
      });
      expect(res.status, creationSql).toBe(400);
      expect(res.json.error.code).toBe('HUSH_E_INVALID_INPUT');
      expect(res.json.error.message, creationSql).toMatch(message);
      expect(res.json.error.message).not.toContain('\n');
    }
    const revocation = await failure(
      t.env.creds.engines.setRole('main', 'evil', {
        creationSql: READER_SQL,
        revocationSql: "DROP ROLE {{name}}; COPY (SELECT 1) TO PROGRAM 'id'",
        ttl: '1h',
        maxTtl: '1h',
      }),
    );
    expect(revocation.message).toMatch(/the revocation SQL, statement 2/);
    expect(await superusers()).toEqual([]);
  });

  it('accepts the usual grants against a real database and the defaults still revoke', async () => {
    await t.env.creds.engines.configure('main', { type: 'postgres', connectionUrl: t.db.url });
    const creationSql = [
      'CREATE ROLE {{name}} WITH LOGIN NOSUPERUSER PASSWORD {{password}} VALID UNTIL {{expiration}} CONNECTION LIMIT 5;',
      '-- read-only on the probe table',
      'GRANT USAGE ON SCHEMA public TO {{name}};',
      'GRANT SELECT (n) ON public.lease_probe TO {{name}};',
      'GRANT CONNECT ON DATABASE postgres TO {{name}} WITH GRANT OPTION;',
    ].join('\n');
    await t.env.creds.engines.setRole('main', 'reader', { creationSql, ttl: '1h', maxTtl: '1h' });
    const owner = { identity: 'user:amy', tokenAccessor: 'acc' };
    const issued = await t.env.creds.leases.issue('main', 'reader', owner);
    const res = await t.db.admin('SELECT rolsuper, rolconnlimit FROM pg_roles WHERE rolname = $1', [
      issued.username,
    ]);
    expect(res.rows[0]).toEqual({ rolsuper: false, rolconnlimit: 5 });
    await t.env.creds.leases.revoke(issued.leaseId);
    expect((await t.db.admin('SELECT 1 FROM pg_roles WHERE rolname = $1', [issued.username])).rowCount).toBe(
      0,
    );
  });

  it('lets only an admin of sys/unlisted-sql skip the allow-list', async () => {
    await t.env.creds.engines.configure('main', { type: 'postgres', connectionUrl: t.db.url });
    const body = {
      creationSql: `${CREATE} GRANT pg_read_all_data TO {{name}};`,
      allowUnlistedStatements: true,
      ttl: '1h',
      maxTtl: '1h',
    };
    const engineAdmin = await tokenWith('engine-admin', [
      { path: 'sys/engines/main', capabilities: ['admin'] },
      { path: 'sys/engines/main/**', capabilities: ['admin'] },
    ]);
    const refused = await call(t.env.app, 'PUT', '/v1/sys/engines/main/roles/member', engineAdmin, body);
    expect(refused.status).toBe(403);
    expect(refused.json.error.message).toContain('sys/unlisted-sql');
    const root = await call(t.env.app, 'PUT', '/v1/sys/engines/main/roles/member', t.env.rootToken, body);
    expect(root.status).toBe(200);
    expect(root.json.allowUnlistedStatements).toBe(true);
  });

  it('does not run a stored template that predates the allow-list', async () => {
    await t.env.creds.engines.configure('main', { type: 'postgres', connectionUrl: t.db.url });
    await t.env.creds.engines.setRole('main', 'old', { creationSql: READER_SQL, ttl: '1h', maxTtl: '1h' });
    // Rewrite the stored role as an older release would have accepted it (through the engine's own record store).
    const { backend, barrier } = t.env.storage;
    const records = openSealedView(backend, barrier, {
      ...IDENTITY_SUBKEYS,
      name: 'engines',
      prefixes: ['sys/engines/'],
      cacheSize: 0,
    });
    const row = await records.get<EngineRole>(roleKey('main', 'old'));
    if (!row) return expect.fail('role not stored');
    await records.batch([
      { op: 'put', key: roleKey('main', 'old'), value: { ...row.value, creationSql: SUPERUSER_SQL } },
    ]);
    const err = await failure(
      t.env.creds.leases.issue('main', 'old', { identity: 'user:amy', tokenAccessor: 'acc' }),
    );
    expect(err.code).toBe('HUSH_E_INVALID_INPUT');
    expect(err.message).toMatch(/SUPERUSER is refused/);
    expect(await superusers()).toEqual([]);
  });
});
