import { createServer as createNetServer, type Server, type Socket } from 'node:net';
import { createSecureContext, createServer as createTlsServer, TLSSocket } from 'node:tls';

/** A listening loopback server and how to stop it (destroying open sockets, so close never waits). */
export interface LoopbackServer {
  readonly port: number;
  close(): Promise<void>;
}

function listen(server: Server, sockets: Set<Socket>): Promise<LoopbackServer> {
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const addr = server.address();
      resolve({
        port: typeof addr === 'object' && addr ? addr.port : 0,
        close: () =>
          new Promise<void>((done) => {
            for (const s of sockets) s.destroy();
            server.close(() => done());
          }),
      });
    });
  });
}

/** A real TLS server on loopback serving `certPem` (leaf, then any chain) with `keyPem`. */
export function tlsServer(certPem: string, keyPem: string): Promise<LoopbackServer> {
  const server = createTlsServer({ cert: certPem, key: keyPem }, (s) => s.end('hello over tls\n'));
  server.on('tlsClientError', () => undefined);
  return listen(server as unknown as Server, new Set());
}

/**
 * A tiny SMTP server on loopback that speaks the real exchange (220 greeting, EHLO with STARTTLS offered,
 * STARTTLS -> 220) and then upgrades the same socket with tls.TLSSocket.
 */
export function smtpStartTlsServer(
  certPem: string,
  keyPem: string,
): Promise<LoopbackServer & { readonly commands: string[] }> {
  const commands: string[] = [];
  const context = createSecureContext({ cert: certPem, key: keyPem });
  const server = createNetServer((sock) => {
    sock.on('error', () => undefined);
    sock.write('220 mail.test ESMTP ready\r\n');
    let buf = '';
    const onData = (chunk: Buffer) => {
      buf += chunk.toString('latin1');
      for (let nl = buf.indexOf('\n'); nl >= 0; nl = buf.indexOf('\n')) {
        const line = buf.slice(0, nl).replace(/\r$/, '');
        buf = buf.slice(nl + 1);
        commands.push(line);
        if (/^EHLO /i.test(line))
          sock.write('250-mail.test greets you\r\n250-SIZE 1000000\r\n250 STARTTLS\r\n');
        else if (/^STARTTLS$/i.test(line)) {
          sock.off('data', onData);
          sock.write('220 2.0.0 go ahead\r\n', () => {
            const secure = new TLSSocket(sock, { isServer: true, secureContext: context });
            secure.on('error', () => undefined);
          });
          return;
        } else sock.write('502 not implemented\r\n');
      }
    };
    sock.on('data', onData);
  });
  return listen(server, new Set()).then((s) => ({ ...s, commands }));
}

/** A server that answers a connection with `behaviour`: never a byte, an immediate reset, or plain HTTP. */
export function badServer(
  behaviour: 'hang' | 'reset' | 'plaintext' | 'postgres-no-tls',
): Promise<LoopbackServer> {
  const server = createNetServer((sock) => {
    sock.on('error', () => undefined);
    if (behaviour === 'reset') sock.resetAndDestroy();
    else if (behaviour === 'plaintext') sock.once('data', () => sock.end('HTTP/1.1 400 Bad Request\r\n\r\n'));
    else if (behaviour === 'postgres-no-tls') sock.once('data', () => sock.write('N'));
  });
  return listen(server, new Set());
}
