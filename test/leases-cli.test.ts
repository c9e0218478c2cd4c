import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createProbeTable, loginAndQuery, READER_SQL, roleExists } from './leases-support.js';
import { type HushServer, startHushServer } from './support/hush-server.js';
import { startTestPostgres, type TestPostgres } from './support/postgres.js';
import { assertCompiledCli, type HushRun, oneLineError, runHush } from './support/run-hush.js';
import { makeTempDir, removeTempDir } from './support/temp-dir.js';

let dir: string;
let server: HushServer;
let root: string;
let db: TestPostgres;

function hush(args: readonly string[], input?: string): Promise<HushRun> {
  return runHush(args, {
    ...(input !== undefined ? { input } : {}),
    env: { HUSH_ADDR: server.url, HUSH_TOKEN: root },
  });
}

function ok(run: HushRun): HushRun {
  if (run.code !== 0) throw new Error(`exit ${run.code}; stderr: ${run.stderr}`);
  return run;
}

beforeAll(async () => {
  assertCompiledCli();
  db = await startTestPostgres();
  await createProbeTable(db);
  dir = await makeTempDir('leases-cli');
  // The test database is on loopback: the admin allows it (engine hosts must be on outbound.allow).
  const config = join(dir, 'hush.json');
  await writeFile(config, JSON.stringify({ outbound: { allow: ['127.0.0.1'] } }));
  server = await startHushServer({ dataDir: join(dir, 'data'), args: ['--config', config] });
  root = server.rootToken ?? '';
}, 120_000);

afterAll(async () => {
  await server?.stop();
  await db?.dispose();
  if (dir) await removeTempDir(dir);
});

describe('hush creds / hush lease through the real CLI and a real server', () => {
  it('configures from a URL file, reads working credentials, lists, renews and revokes them', async () => {
    const urlFile = join(dir, 'admin-url');
    await writeFile(urlFile, `${db.url}\n`, { mode: 0o600 });
    const sqlFile = join(dir, 'reader.sql');
    await writeFile(sqlFile, READER_SQL);

    const configured = ok(
      await hush(['creds', 'config', 'postgres', 'main', '--connection-url-file', urlFile]),
    );
    expect(configured.stdout).toMatch(/^configured postgres engine "main" \(127\.0\.0\.1:\d+\/postgres\)$/m);
    ok(
      await hush([
        'creds',
        'role',
        'set',
        'main/reader',
        '--creation-sql-file',
        sqlFile,
        '--ttl',
        '1h',
        '--max-ttl',
        '24h',
      ]),
    );

    const issued = JSON.parse(ok(await hush(['--json', 'creds', 'read', 'main/reader'])).stdout) as {
      username: string;
      password: string;
      leaseId: string;
      ttl: number;
    };
    expect(issued.ttl).toBe(3600);
    expect(await loginAndQuery(db, issued.username, issued.password)).toBe(1);

    // Human output to a pipe shows the credentials once, as a table.
    const human = ok(await hush(['creds', 'read', 'main/reader'])).stdout;
    expect(human).toMatch(/^password\s+\S{43}$/m);

    const listed = ok(await hush(['lease', 'list', '--prefix', 'creds/main/reader'])).stdout;
    expect(listed).toContain(issued.leaseId);
    expect(ok(await hush(['lease', 'renew', issued.leaseId, '--increment', '2h'])).stdout).toMatch(
      /^renewed creds\/main\/reader\//,
    );

    expect(ok(await hush(['lease', 'revoke', issued.leaseId])).stdout).toContain('revoked 1 lease(s)');
    expect(await roleExists(db, issued.username)).toBe(false);
    await expect(loginAndQuery(db, issued.username, issued.password)).rejects.toThrow();

    expect(ok(await hush(['lease', 'revoke', '--prefix', 'creds/main/reader'])).stdout).toContain(
      'revoked 1 lease(s)',
    );
    expect(ok(await hush(['lease', 'list'])).stdout.trim()).toBe('no leases');

    const everything = `${server.stdout()}${server.stderr()}${configured.stdout}${configured.stderr}`;
    expect(everything).not.toContain(db.password);

    // Deleting: a role first (its leases live on), then the engine, which revokes what is left.
    const last = JSON.parse(ok(await hush(['--json', 'creds', 'read', 'main/reader'])).stdout) as {
      username: string;
      leaseId: string;
    };
    expect(ok(await hush(['creds', 'role', 'delete', 'main/reader'])).stdout.trim()).toBe(
      'deleted role main/reader',
    );
    expect(await roleExists(db, last.username)).toBe(true);
    const unconfirmed = await hush(['creds', 'delete', 'main']);
    expect(unconfirmed.code).toBe(2);
    expect(oneLineError(unconfirmed)).toMatch(/revokes every credential it issued .*add --yes to confirm/);
    expect(await roleExists(db, last.username)).toBe(true);
    expect(ok(await hush(['creds', 'delete', 'main', '--yes'])).stdout.trim()).toBe(
      'deleted engine main: 1 lease(s) revoked, 0 role(s) deleted',
    );
    expect(await roleExists(db, last.username)).toBe(false);
    const missing = await hush(['creds', 'delete', 'main', '--yes']);
    expect(missing.code).toBe(3);
    expect(oneLineError(missing)).toMatch(/no secrets engine "main"/);
    // Configured again for the next test.
    ok(await hush(['creds', 'config', 'postgres', 'main', '--connection-url-file', urlFile]));
  });

  it('gives one-line coded errors for bad usage and bad templates', async () => {
    const both = await hush(['lease', 'revoke']);
    expect(both.code).toBe(2);
    expect(oneLineError(both)).toMatch(/give exactly one of a lease id or --prefix.*\[HUSH_E_USAGE\]$/);
    const badTarget = await hush(['creds', 'read', 'main']);
    expect(oneLineError(badTarget)).toMatch(/expected ENGINE\/ROLE/);
    const badSql = join(dir, 'bad.sql');
    await writeFile(badSql, 'CREATE ROLE {{name}};');
    const bad = await hush([
      'creds',
      'role',
      'set',
      'main/x',
      '--creation-sql-file',
      badSql,
      '--ttl',
      '1h',
      '--max-ttl',
      '1h',
    ]);
    expect(bad.code).toBe(2);
    expect(oneLineError(bad)).toMatch(
      /must use \{\{password\}\}, \{\{expiration\}\}.*\[HUSH_E_INVALID_INPUT\]$/,
    );
    const missing = await hush([
      'creds',
      'config',
      'postgres',
      'x',
      '--connection-url-file',
      join(dir, 'nope'),
    ]);
    expect(oneLineError(missing)).toMatch(/cannot read connection URL file .*nope \(ENOENT\)/);
  });
});
