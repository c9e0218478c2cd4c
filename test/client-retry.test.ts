import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createHushClient } from '../src/client/index.js';
import { rejection } from './support/rejection.js';

// A loopback HTTP server that reads each request and then drops the connection without a reply: the network fault
// of a reply lost after the server did the work. It counts what reached it.
let server: Server;
let requests: string[];
let address: string;
beforeEach(async () => {
  requests = [];
  server = createServer((req, res) => {
    requests.push(`${req.method} ${req.url}`);
    res.socket?.destroy();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  address = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterEach(() => new Promise<void>((resolve) => server.close(() => resolve())));

describe('SDK retries after a lost reply', () => {
  it('re-sends an idempotent read, but never a read that issues something', async () => {
    const hush = createHushClient({ address, token: 'hush_s_x', retries: { attempts: 3, baseDelayMs: 1 } });
    const read = await rejection(hush.creds.readEngine('main'));
    expect(read.code).toBe('HUSH_E_CONFIG');
    expect(read.message).toMatch(/after 3 tries/);
    expect(requests).toEqual(Array(3).fill('GET /v1/sys/engines/main'));

    requests = [];
    const issued = await rejection(hush.creds.read('main', 'reader'));
    expect(issued.message).toMatch(/after 1 try;/);
    // One request only: a second would issue a second lease whose credentials nobody ever sees.
    expect(requests).toEqual(['GET /v1/creds/main/reader']);
  });

  it('does retry a read that issues something when the connection was refused (nothing reached a server)', async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
    const hush = createHushClient({ address, token: 'hush_s_x', retries: { attempts: 3, baseDelayMs: 1 } });
    const refused = await rejection(hush.creds.read('main', 'reader'));
    expect(refused.message).toMatch(/\(ECONNREFUSED\) after 3 tries/);
    server = createServer();
    server.listen(0, '127.0.0.1'); // for afterEach to close
  });
});
