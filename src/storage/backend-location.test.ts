import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HushError } from '../core/errors/hush-error.js';
import { locationIdentity, maskUrl, parseBackendUrl } from './backend-location.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'hush-url-'));
  await writeFile(join(dir, 'plain-file'), '');
});
afterAll(() => rm(dir, { recursive: true, force: true }));

function usageError(text: string): HushError {
  try {
    parseBackendUrl(text, dir);
  } catch (err) {
    if (err instanceof HushError) return err;
  }
  throw new Error(`expected ${text} to be refused`);
}

describe('parseBackendUrl', () => {
  it('reads a data dir as <dir>/hush.db and a .db path as the file itself', () => {
    expect(parseBackendUrl('sqlite:./data', dir)).toMatchObject({
      kind: 'sqlite',
      path: join(dir, 'data', 'hush.db'),
      dataDir: join(dir, 'data'),
    });
    expect(parseBackendUrl('sqlite:/srv/hush/store.db', dir)).toEqual({
      kind: 'sqlite',
      path: '/srv/hush/store.db',
      display: 'sqlite:/srv/hush/store.db',
    });
    expect(parseBackendUrl('sqlite:///srv/x.sqlite3', dir)).toMatchObject({ path: '/srv/x.sqlite3' });
    // An existing directory is a data dir whatever its name; an existing file is a database file.
    expect(parseBackendUrl(`sqlite:${dir}`, dir)).toMatchObject({ path: join(dir, 'hush.db') });
    expect(parseBackendUrl('sqlite:plain-file', dir)).toMatchObject({ path: join(dir, 'plain-file') });
  });

  it('accepts postgres:// and postgresql:// and never shows the password', () => {
    // hush:allow: a fake password, so the test can check it is masked
    const pg = parseBackendUrl('postgresql://hush:S3cr3t-pw@db:5433/hush?sslmode=require', dir);
    expect(pg).toMatchObject({
      kind: 'postgres',
      // hush:allow: a fake password, so the test can check it is masked
      url: 'postgresql://hush:S3cr3t-pw@db:5433/hush?sslmode=require',
    });
    expect(pg.display).toBe('postgresql://hush:***@db:5433/hush?sslmode=require');
    expect(parseBackendUrl('postgres://db/hush', dir).display).toBe('postgres://db/hush');
  });

  it('accepts dynamodb://<table>?region=... with an endpoint and create-table, and refuses what it cannot use', () => {
    const d = parseBackendUrl(
      'dynamodb://hush-prod?region=eu-west-1&endpoint=http://127.0.0.1:8000&create-table=true',
    );
    expect(d).toEqual({
      kind: 'dynamodb',
      config: {
        kind: 'dynamodb',
        table: 'hush-prod',
        region: 'eu-west-1',
        endpoint: 'http://127.0.0.1:8000',
        createTable: true,
      },
      display: 'dynamodb://hush-prod?region=eu-west-1&endpoint=http://127.0.0.1:8000',
    });
    expect(locationIdentity(d)).toBe(
      locationIdentity(
        parseBackendUrl('dynamodb://hush-prod?region=us-east-1&endpoint=http://127.0.0.1:8000/'),
      ),
    );
    expect(locationIdentity(d)).not.toBe(
      locationIdentity(parseBackendUrl('dynamodb://other?region=eu-west-1&endpoint=http://127.0.0.1:8000')),
    );
    for (const bad of [
      'dynamodb://?region=x',
      'dynamodb://t?region=r&tabel=x',
      'dynamodb://t?region=r&create-table=yes',
    ]) {
      expect(usageError(bad).code).toBe('HUSH_E_USAGE');
    }
  });

  it('never shows credentials given in a dynamodb:// endpoint', () => {
    const l = parseBackendUrl(
      // hush:allow: a fake password, so the test can check it is masked
      'dynamodb://hush?region=eu-west-1&endpoint=http://AKIDX:supersecret@127.0.0.1:8000',
    );
    expect(l.display).not.toContain('supersecret');
    expect(l.display).toContain('127.0.0.1:8000');
  });

  it('refuses unknown schemes and bare paths with one line listing the accepted forms, password masked', () => {
    for (const bad of [
      // hush:allow: a fake password, so the test can check it is masked
      'mysql://root:S3cr3t-pw@db/hush',
      './data',
      'sqlite:',
      // hush:allow: a fake password, so the test can check it is masked
      'postgres://u:S3cr3t-pw@[bad',
    ]) {
      const err = usageError(bad);
      expect(err.code).toBe('HUSH_E_USAGE');
      expect(err.message).not.toContain('S3cr3t-pw');
      expect(err.message).not.toContain('\n');
    }
    expect(usageError('mysql://x').message).toMatch(
      /unknown backend URL scheme "mysql:".*sqlite:<data-dir>.*postgres:\/\//,
    );
  });
});

describe('maskUrl', () => {
  it('masks the whole password, even with unencoded @ or / in it, and a password= parameter', () => {
    expect(maskUrl('postgres://u:p@ss/w0rd@h:1/d')).toBe('postgres://u:***@h:1/d');
    expect(maskUrl('postgres://h/d?user=u&password=S3cr3t&x=1')).toBe(
      'postgres://h/d?user=u&password=***&x=1',
    );
    expect(maskUrl('postgres://u@h/d')).toBe('postgres://u@h/d');
    expect(maskUrl('sqlite:/a/b')).toBe('sqlite:/a/b');
  });
});

describe('locationIdentity', () => {
  it('is equal for the same rows reached differently, and differs across schemas', () => {
    const a = parseBackendUrl('postgres://alice:pw1@DB:5432/hush?options=-c%20search_path%3Ds1', dir);
    const b = parseBackendUrl('postgresql://bob:pw2@db/hush?options=-c%20search_path%3Ds1', dir);
    const c = parseBackendUrl('postgres://alice:pw1@db/hush?options=-c%20search_path%3Ds2', dir);
    expect(locationIdentity(a)).toBe(locationIdentity(b));
    expect(locationIdentity(a)).not.toBe(locationIdentity(c));
    expect(locationIdentity(parseBackendUrl('sqlite:./data', dir))).toBe(
      locationIdentity(parseBackendUrl(`sqlite:${join(dir, 'data', 'hush.db')}`, dir)),
    );
  });
});
