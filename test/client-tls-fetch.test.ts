import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHushClient } from '../src/client/index.js';
import { makeTempDir, removeTempDir } from './support/temp-dir.js';

// The SDK's TLS transport (tls.ca / HUSH_CACERT) fails the way global fetch does, and says what is wrong.

let dir: string;
let silent: Server;
let ca: Buffer;

beforeAll(async () => {
  dir = await makeTempDir('tls-fetch');
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-keyout',
      'k.pem',
      '-out',
      'c.pem',
      '-days',
      '2',
      '-subj',
      '/CN=127.0.0.1',
      '-addext',
      'subjectAltName=IP:127.0.0.1',
    ],
    { cwd: dir, stdio: 'pipe' },
  );
  ca = readFileSync(join(dir, 'c.pem'));
  // A server that accepts the TLS connection and never answers.
  silent = createServer({ key: readFileSync(join(dir, 'k.pem')), cert: ca }, () => undefined);
  await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
});

afterAll(async () => {
  silent.closeAllConnections();
  await new Promise((resolve) => silent.close(resolve));
  await removeTempDir(dir);
});

describe('tls-fetch', () => {
  it('a CA with an http:// address is a configuration error, not "cannot reach the server"', async () => {
    const client = createHushClient({ address: 'http://127.0.0.1:9', tls: { ca } });
    const err = await client.status().catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'HUSH_E_CONFIG' });
    expect((err as Error).message).toMatch(/not https:\/\/.*unset HUSH_CACERT/);
    expect((err as Error).message).not.toMatch(/cannot reach|tries/);
  });

  it('a call that times out says TimeoutError, as with global fetch', async () => {
    const port = (silent.address() as AddressInfo).port;
    const client = createHushClient({
      address: `https://127.0.0.1:${port}`,
      tls: { ca },
      timeoutMs: 300,
      retries: { attempts: 1 },
    });
    const err = await client.status().catch((e: unknown) => e);
    expect((err as Error).message).toMatch(/cannot reach the Hush server .*\(TimeoutError\) after 1 try/);
  });
});
