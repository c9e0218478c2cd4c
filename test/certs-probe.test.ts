import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { probeTls } from '../src/certs/tls-probe.js';
import { isHushError } from '../src/core/errors/hush-error.js';
import { parseOutboundAllowList } from '../src/net/outbound-allow-list.js';
import { makeCa, type TestCa } from './support/openssl-certs.js';
import { makeTempDir, removeTempDir } from './support/temp-dir.js';
import {
  badServer,
  type LoopbackServer,
  postgresTlsServer,
  startTlsServer,
  tlsServer,
} from './support/tls-servers.js';

let dir: string;
let root: TestCa;
const servers: LoopbackServer[] = [];
beforeAll(async () => {
  dir = await makeTempDir('certs-probe');
  root = makeCa(dir, 'probe-root');
});
afterAll(async () => {
  await Promise.all(servers.map((s) => s.close()));
  await removeTempDir(dir);
});
const keep = <T extends LoopbackServer>(s: T) => {
  servers.push(s);
  return s;
};

async function failure(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (err) {
    expect(isHushError(err, 'HUSH_E_UPSTREAM')).toBe(true);
    return (err as Error).message;
  }
  throw new Error('expected the probe to fail');
}

describe('TLS probes against real loopback servers', () => {
  it('returns the presented chain, leaf first, and sends SNI', async () => {
    const inter = root.intermediate('probe-inter');
    const leaf = inter.issue('svc.test', { sans: ['DNS:svc.test'] });
    const srv = keep(await tlsServer(leaf.certPem + inter.certPem, leaf.keyPem));
    const got = await probeTls({ host: '127.0.0.1', port: srv.port, servername: 'svc.test' });
    expect(got.chain.map((c) => c.subject)).toEqual(['CN=svc.test', 'CN=probe-inter']);
    expect(got.protocol).toMatch(/^TLSv1\.[23]$/);
  });

  it('speaks SMTP STARTTLS with a real SMTP exchange before the handshake', async () => {
    const leaf = root.issue('mail.test');
    const smtp = keep(await startTlsServer('smtp', leaf.certPem, leaf.keyPem));
    const got = await probeTls({
      host: '127.0.0.1',
      port: smtp.port,
      servername: 'mail.test',
      starttls: 'smtp',
    });
    expect(got.chain[0]?.subject).toBe('CN=mail.test');
    expect(smtp.commands).toEqual(['EHLO hush-cert-probe', 'STARTTLS']);
    // The same server without STARTTLS is plaintext SMTP: a clear error, not a hang.
    expect(await failure(probeTls({ host: '127.0.0.1', port: smtp.port }, 5_000))).toMatch(
      /does not speak TLS|handshake|closed/,
    );
  });

  it('speaks IMAP and POP3 STARTTLS and the PostgreSQL SSLRequest before the handshake', async () => {
    const leaf = root.issue('mail2.test');
    const imap = keep(await startTlsServer('imap', leaf.certPem, leaf.keyPem));
    const got = await probeTls({ host: '127.0.0.1', port: imap.port, starttls: 'imap' });
    expect(got.chain[0]?.subject).toBe('CN=mail2.test');
    expect(imap.commands).toEqual(['h1 STARTTLS']);
    const pop = keep(await startTlsServer('pop3', leaf.certPem, leaf.keyPem));
    expect((await probeTls({ host: '127.0.0.1', port: pop.port, starttls: 'pop3' })).chain).toHaveLength(1);
    expect(pop.commands).toEqual(['STLS']);
    const db = root.issue('db.test');
    const pg = keep(await postgresTlsServer(db.certPem, db.keyPem));
    expect(
      (await probeTls({ host: '127.0.0.1', port: pg.port, starttls: 'postgres' })).chain[0]?.subject,
    ).toBe('CN=db.test');
    expect(pg.requests).toEqual(['0000000804d2162f']);
  });

  it('on a server, dials only what the outbound allow-list names, checking the address as the socket connects', async () => {
    const leaf = root.issue('localhost', { sans: ['DNS:localhost'] });
    const srv = keep(await tlsServer(leaf.certPem, leaf.keyPem));
    // Off the list: refused before any connection, with the catalogue's message.
    const off = probeTls(
      { host: '127.0.0.1', port: srv.port },
      5_000,
      parseOutboundAllowList(['10.0.0.0/8']),
    );
    await expect(off).rejects.toMatchObject({ code: 'HUSH_E_INVALID_INPUT' });
    await expect(off).rejects.toThrow(/not on the server's outbound allow-list/);
    // Allowed by name, but the name resolves to loopback, which only an IP or CIDR entry may open.
    expect(
      await failure(
        probeTls({ host: 'localhost', port: srv.port }, 5_000, parseOutboundAllowList(['localhost'])),
      ),
    ).toMatch(/outside the outbound allow-list/);
    // Named by address: probed as usual.
    const ok = await probeTls(
      { host: '127.0.0.1', port: srv.port, servername: 'localhost' },
      5_000,
      parseOutboundAllowList([`127.0.0.1:${srv.port}`]),
    );
    expect(ok.chain[0]?.subject).toBe('CN=localhost');
  });

  it('hanging, resetting, plaintext, TLS-refusing PostgreSQL and STARTTLS-injecting endpoints are per-probe errors', async () => {
    const hang = keep(await badServer('hang'));
    expect(await failure(probeTls({ host: '127.0.0.1', port: hang.port }, 300))).toBe(
      `endpoint 127.0.0.1:${hang.port}: no answer within 300 ms`,
    );
    const reset = keep(await badServer('reset'));
    expect(await failure(probeTls({ host: '127.0.0.1', port: reset.port }))).toMatch(/reset|closed/);
    const plain = keep(await badServer('plaintext'));
    expect(await failure(probeTls({ host: '127.0.0.1', port: plain.port }))).toMatch(/does not speak TLS/);
    const pg = keep(await badServer('postgres-no-tls'));
    expect(await failure(probeTls({ host: '127.0.0.1', port: pg.port, starttls: 'postgres' }))).toMatch(
      /SSLRequest answered N/,
    );
    const inject = keep(await badServer('pop3-injection'));
    expect(await failure(probeTls({ host: '127.0.0.1', port: inject.port, starttls: 'pop3' }))).toMatch(
      /sent data after agreeing to TLS/,
    );
    // Short lines that never end the reply: the bound is on the whole exchange, not on one unread line.
    const flood = keep(await badServer('smtp-flood'));
    expect(
      await failure(probeTls({ host: '127.0.0.1', port: flood.port, starttls: 'smtp' }, 60_000)),
    ).toMatch(/sent over 16384 bytes before TLS/);
    const closed = keep(await badServer('hang'));
    await closed.close();
    expect(await failure(probeTls({ host: '127.0.0.1', port: closed.port }))).toMatch(/connection refused/);
  });
});
