import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { pkcs12Certificates } from '../src/certs/sources/pkcs12-openssl.js';
import { expectHushErrorAsync } from './support/expect-hush-error.js';
import { makeCa, makePkcs12 } from './support/openssl-certs.js';
import { makeTempDir, removeTempDir } from './support/temp-dir.js';
import { until } from './support/until.js';

let dir = '';
const realPath = process.env.PATH ?? '';
beforeAll(async () => {
  dir = await makeTempDir('pkcs12-timeout');
}, 30_000);
afterAll(async () => {
  process.env.PATH = realPath;
  if (dir) await removeTempDir(dir);
});

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

it('a hung openssl pkcs12 child is killed after the timeout with a coded error, and the next read works', async () => {
  const ca = makeCa(join(dir, 'pki'), 'p12-root');
  const bundle = readFileSync(makePkcs12(join(dir, 'pki'), 'site', ca.issue('site.test'), 'pw'));
  // A real child that hangs: an `openssl` earlier on PATH that records its pid and sleeps (exec: the pid is the sleeper).
  const shadow = join(dir, 'bin');
  const pidFile = join(dir, 'hung.pid');
  mkdirSync(shadow);
  writeFileSync(join(shadow, 'openssl'), `#!/bin/sh\necho $$ > ${pidFile}\nexec sleep 120\n`);
  chmodSync(join(shadow, 'openssl'), 0o755);
  process.env.PATH = `${shadow}:${realPath}`;
  try {
    const err = await expectHushErrorAsync(
      pkcs12Certificates(bundle, 'pw', 'site.p12', { timeoutMs: 500 }),
      'HUSH_E_UPSTREAM',
    );
    expect(err.message).toContain('site.p12: openssl pkcs12 did not finish within 500 ms and was stopped');
    const pid = Number(readFileSync(pidFile, 'utf8'));
    await until('the hung openssl child is gone', () => !alive(pid));
  } finally {
    process.env.PATH = realPath;
  }
  // The real openssl reads the same bundle well within the default timeout.
  expect(await pkcs12Certificates(bundle, 'pw', 'site.p12')).toContain('BEGIN CERTIFICATE');
});
