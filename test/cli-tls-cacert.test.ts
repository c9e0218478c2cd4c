import { execFileSync } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHushClient } from '../src/client/index.js';
import { type HushServer, startHushServer } from './support/hush-server.js';
import { runHush } from './support/run-hush.js';
import { makeTempDir, removeTempDir } from './support/temp-dir.js';

// HUSH_CACERT against real HTTPS servers whose certificates come from a CA (and a self-signed one) made with the
// real `openssl` binary: the CLI and the SDK trust what they are told to, and nothing else.

let dir: string;
let caSigned: HushServer;
let selfSigned: HushServer;

function openssl(args: readonly string[]): void {
  execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
}

beforeAll(async () => {
  dir = await makeTempDir('tls');
  await writeFile(join(dir, 'san.cnf'), 'subjectAltName=IP:127.0.0.1,DNS:localhost\n');
  // A private CA, and a server certificate it signs for 127.0.0.1.
  openssl([
    'req',
    '-x509',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-keyout',
    'ca.key',
    '-out',
    'ca.pem',
    '-days',
    '2',
    '-subj',
    '/CN=Hush test CA',
  ]);
  openssl([
    'req',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-keyout',
    'srv.key',
    '-out',
    'srv.csr',
    '-subj',
    '/CN=127.0.0.1',
  ]);
  openssl([
    'x509',
    '-req',
    '-in',
    'srv.csr',
    '-CA',
    'ca.pem',
    '-CAkey',
    'ca.key',
    '-CAcreateserial',
    '-out',
    'srv.pem',
    '-days',
    '2',
    '-extfile',
    'san.cnf',
  ]);
  // A self-signed server certificate (what DEPTH_ZERO_SELF_SIGNED_CERT is about).
  openssl([
    'req',
    '-x509',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-keyout',
    'self.key',
    '-out',
    'self.pem',
    '-days',
    '2',
    '-subj',
    '/CN=127.0.0.1',
    '-addext',
    'subjectAltName=IP:127.0.0.1',
  ]);
  const tls = (cert: string, key: string) => ['--tls-cert', join(dir, cert), '--tls-key', join(dir, key)];
  [caSigned, selfSigned] = await Promise.all([
    startHushServer({ dataDir: join(dir, 'ca-data'), args: tls('srv.pem', 'srv.key') }),
    startHushServer({ dataDir: join(dir, 'self-data'), args: tls('self.pem', 'self.key') }),
  ]);
}, 120_000);

afterAll(async () => {
  await Promise.all([caSigned?.stop(), selfSigned?.stop()]);
  if (dir) await removeTempDir(dir);
});

const env = (server: HushServer, extra: Record<string, string> = {}) => ({
  HUSH_ADDR: server.url,
  HUSH_TOKEN: server.rootToken ?? '',
  ...extra,
});

describe('HUSH_CACERT', () => {
  it('lets `hush put`/`hush get` reach a server whose certificate a private CA signed', async () => {
    expect(caSigned.url).toMatch(/^https:/);
    const trust = env(caSigned, { HUSH_CACERT: join(dir, 'ca.pem') });
    const put = await runHush(['put', 'app/prod/db'], { env: trust, input: 'v4lue' });
    expect(put.code, put.stderr).toBe(0);
    const get = await runHush(['get', 'app/prod/db'], { env: trust });
    expect(get.code, get.stderr).toBe(0);
    expect(get.stdout.trim()).toBe('v4lue');
  });

  it('lets `hush get` reach a self-signed server when HUSH_CACERT is its certificate', async () => {
    const without = await runHush(['status'], { env: env(selfSigned) });
    expect(without.code).not.toBe(0);
    expect(without.stderr).toContain('DEPTH_ZERO_SELF_SIGNED_CERT');
    const trust = env(selfSigned, { HUSH_CACERT: join(dir, 'self.pem') });
    const put = await runHush(['put', 'app/prod/db'], { env: trust, input: 's3lf' });
    expect(put.code, put.stderr).toBe(0);
    const get = await runHush(['get', 'app/prod/db'], { env: trust });
    expect(get.stdout.trim()).toBe('s3lf');
  });

  it('still refuses a server signed by another CA, and says why', async () => {
    const wrong = await runHush(['get', 'app/prod/db'], {
      env: env(caSigned, { HUSH_CACERT: join(dir, 'self.pem') }),
    });
    expect(wrong.code).not.toBe(0);
    expect(wrong.stderr).toMatch(/cannot reach the Hush server .*\(UNABLE_TO_VERIFY_LEAF_SIGNATURE\)/);
  });

  it('names an unreadable HUSH_CACERT in one coded line', async () => {
    const missing = await runHush(['get', 'app/prod/db'], {
      env: env(caSigned, { HUSH_CACERT: join(dir, 'nope.pem') }),
    });
    expect(missing.code).not.toBe(0);
    expect(missing.stderr.trim()).toMatch(/HUSH_CACERT=.*nope\.pem cannot be read \(ENOENT\).*HUSH_E_CONFIG/);
  });

  it('is the SDK option tls.ca', async () => {
    const ca = await readFile(join(dir, 'ca.pem'));
    const trusted = createHushClient({ address: caSigned.url, token: caSigned.rootToken ?? '', tls: { ca } });
    await trusted.put('app/prod/sdk', 'from-sdk');
    expect((await trusted.get('app/prod/sdk')).value).toBe('from-sdk');
    const untrusted = createHushClient({
      address: caSigned.url,
      token: caSigned.rootToken ?? '',
      retries: { attempts: 1 },
    });
    await expect(untrusted.get('app/prod/sdk')).rejects.toThrow(/UNABLE_TO_VERIFY_LEAF_SIGNATURE/);
  });
});
