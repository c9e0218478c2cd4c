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

/** What each protocol's server says before TLS: its greeting, and its answer to each command. */
const DIALOGUES = {
  smtp: {
    greeting: '220 mail.test ESMTP ready\r\n',
    answer: (line: string) =>
      /^EHLO /i.test(line)
        ? '250-mail.test greets you\r\n250-SIZE 1000000\r\n250 STARTTLS\r\n'
        : /^STARTTLS$/i.test(line)
          ? { upgrade: '220 2.0.0 go ahead\r\n' }
          : '502 not implemented\r\n',
  },
  imap: {
    greeting: '* OK [CAPABILITY IMAP4rev1 STARTTLS] imap.test ready\r\n',
    answer: (line: string) => {
      const [tag, cmd] = line.split(' ');
      return cmd?.toUpperCase() === 'STARTTLS'
        ? { upgrade: `* OK a note first\r\n${tag} OK begin TLS now\r\n` }
        : `${tag} BAD unknown\r\n`;
    },
  },
  pop3: {
    greeting: '+OK pop3.test ready\r\n',
    answer: (line: string) => (/^STLS$/i.test(line) ? { upgrade: '+OK begin TLS\r\n' } : '-ERR unknown\r\n'),
  },
} as const;

/**
 * A tiny mail server on loopback (SMTP, IMAP or POP3) that speaks the real plaintext exchange up to STARTTLS
 * and then upgrades the same socket with tls.TLSSocket. `commands` records what the client sent.
 */
export function startTlsServer(
  protocol: keyof typeof DIALOGUES,
  certPem: string,
  keyPem: string,
): Promise<LoopbackServer & { readonly commands: string[] }> {
  const commands: string[] = [];
  const context = createSecureContext({ cert: certPem, key: keyPem });
  const dialogue = DIALOGUES[protocol];
  const server = createNetServer((sock) => {
    sock.on('error', () => undefined);
    sock.write(dialogue.greeting);
    let buf = '';
    const onData = (chunk: Buffer) => {
      buf += chunk.toString('latin1');
      for (let nl = buf.indexOf('\n'); nl >= 0; nl = buf.indexOf('\n')) {
        const line = buf.slice(0, nl).replace(/\r$/, '');
        buf = buf.slice(nl + 1);
        commands.push(line);
        const reply = dialogue.answer(line);
        if (typeof reply === 'string') {
          sock.write(reply);
          continue;
        }
        sock.off('data', onData);
        sock.write(reply.upgrade, () => upgrade(sock, context));
        return;
      }
    };
    sock.on('data', onData);
  });
  return listen(server, new Set()).then((s) => ({ ...s, commands }));
}

function upgrade(sock: Socket, context: ReturnType<typeof createSecureContext>): void {
  const secure = new TLSSocket(sock, { isServer: true, secureContext: context });
  secure.on('error', () => undefined);
}

/** A PostgreSQL-shaped server: reads the 8-byte SSLRequest, answers `S`, then speaks TLS on the same socket. */
export function postgresTlsServer(
  certPem: string,
  keyPem: string,
): Promise<LoopbackServer & { readonly requests: string[] }> {
  const requests: string[] = [];
  const context = createSecureContext({ cert: certPem, key: keyPem });
  const server = createNetServer((sock) => {
    sock.on('error', () => undefined);
    sock.once('data', (req: Buffer) => {
      requests.push(req.toString('hex'));
      sock.write('S', () => upgrade(sock, context));
    });
  });
  return listen(server, new Set()).then((s) => ({ ...s, requests }));
}

/** A server that answers a connection with `behaviour`: never a byte, an immediate reset, or plain HTTP. */
export function badServer(
  behaviour: 'hang' | 'reset' | 'plaintext' | 'postgres-no-tls' | 'pop3-injection' | 'smtp-flood',
): Promise<LoopbackServer> {
  const server = createNetServer((sock) => {
    sock.on('error', () => undefined);
    // An SMTP server whose EHLO answer never ends: continuation lines (`250-`), each short, for as long as the
    // client reads, so only a bound on the whole plaintext exchange stops it.
    if (behaviour === 'smtp-flood') {
      // About 1 KiB every 20 ms, so a single read holds far less than the probe's plaintext bound.
      const chunk = Buffer.from('250-flood\r\n'.repeat(100));
      const pump = (): void => {
        if (!sock.destroyed) sock.write(chunk, () => setTimeout(pump, 20));
      };
      sock.write('220 flood ready\r\n');
      sock.once('data', pump);
      return;
    }
    // A POP3 server (or a man in the middle) that sends bytes after `+OK` to STLS, before any TLS: they would be
    // read as if they had come over TLS.
    if (behaviour === 'pop3-injection') {
      sock.write('+OK ready\r\n');
      sock.once('data', () => sock.write('+OK begin TLS\r\n+OK injected\r\n'));
      return;
    }
    if (behaviour === 'reset') sock.resetAndDestroy();
    else if (behaviour === 'plaintext') sock.once('data', () => sock.end('HTTP/1.1 400 Bad Request\r\n\r\n'));
    else if (behaviour === 'postgres-no-tls') sock.once('data', () => sock.write('N'));
  });
  return listen(server, new Set());
}
