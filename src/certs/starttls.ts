import type { Socket } from 'node:net';

/** Protocols whose plaintext start Hush can speak before asking for TLS. */
export const STARTTLS_PROTOCOLS = ['smtp', 'imap', 'pop3', 'postgres'] as const;
/** One of {@link STARTTLS_PROTOCOLS}. */
export type StartTlsProtocol = (typeof STARTTLS_PROTOCOLS)[number];

/** Most bytes of plaintext a server may send before the upgrade (a greeting, EHLO capabilities). */
const MAX_PLAINTEXT = 16 * 1024;

/**
 * Reads a plaintext exchange off a socket: whole lines, or single bytes (PostgreSQL's SSLRequest answer). Rejects
 * when the peer closes or sends more than {@link MAX_PLAINTEXT} in all; the caller's deadline covers a silent peer.
 */
function reader(socket: Socket) {
  let buf = Buffer.alloc(0);
  // Counted over the whole exchange, not the unread rest: an endless run of short `250-` lines is consumed line by
  // line and kept by the reply reader, so only a total bound stops it before the deadline.
  let total = 0;
  let wake: (() => void) | undefined;
  let failed: Error | undefined;
  let flooded: Error | undefined;
  const onData = (chunk: Buffer) => {
    total += chunk.length;
    if (total > MAX_PLAINTEXT) {
      flooded = new Error(`sent over ${MAX_PLAINTEXT} bytes before TLS`);
      socket.off('data', onData);
    } else buf = Buffer.concat([buf, chunk]);
    wake?.();
  };
  const onEnd = () => {
    failed ??= new Error('closed the connection before TLS');
    wake?.();
  };
  socket.on('data', onData);
  socket.on('end', onEnd);
  socket.on('close', onEnd);
  const waitFor = async <T>(take: () => T | undefined): Promise<T> => {
    for (;;) {
      // A flood fails at once; a close fails only once the lines sent before it are read (they say why).
      if (flooded) throw flooded;
      const got = take();
      if (got !== undefined) return got;
      if (failed) throw failed;
      await new Promise<void>((resolve) => {
        wake = resolve;
      });
      wake = undefined;
    }
  };
  return {
    line: () =>
      waitFor(() => {
        const nl = buf.indexOf('\n');
        if (nl < 0) return undefined;
        const text = buf.subarray(0, nl).toString('latin1').replace(/\r$/, '');
        buf = buf.subarray(nl + 1);
        return text;
      }),
    byte: () =>
      waitFor(() => {
        if (buf.length === 0) return undefined;
        const b = buf[0] as number;
        buf = buf.subarray(1);
        return b;
      }),
    /** Stop reading plaintext; bytes left over mean the peer spoke out of turn (a STARTTLS injection). */
    done(): void {
      socket.off('data', onData);
      socket.off('end', onEnd);
      socket.off('close', onEnd);
      if (buf.length > 0) throw new Error('sent data after agreeing to TLS (refused: possible injection)');
    },
  };
}

/** An SMTP reply's lines until the last one (`250 ...` rather than `250-...`); returns its code and text. */
async function smtpReply(read: ReturnType<typeof reader>): Promise<{ code: string; text: string }> {
  const lines: string[] = [];
  for (;;) {
    const line = await read.line();
    lines.push(line);
    if (!/^\d{3}-/.test(line)) return { code: line.slice(0, 3), text: lines.join('\n') };
  }
}

function expect(ok: boolean, what: string, got: string): void {
  if (!ok)
    throw new Error(`${what}; the server answered "${got.slice(0, 80).replace(/[^\x20-\x7e]/g, '?')}"`);
}

/**
 * Speak the protocol's plaintext start on a connected socket up to the point where TLS begins; throws an Error
 * saying what the server answered instead. Leaves the socket ready for `tls.connect({ socket })`.
 *
 * @example
 * await startTls(socket, 'smtp'); const tlsSocket = tls.connect({ socket, servername });
 */
export async function startTls(socket: Socket, protocol: StartTlsProtocol): Promise<void> {
  const read = reader(socket);
  switch (protocol) {
    case 'smtp': {
      const hello = await smtpReply(read);
      expect(hello.code === '220', 'no SMTP greeting', hello.text);
      socket.write('EHLO hush-cert-probe\r\n');
      const ehlo = await smtpReply(read);
      expect(ehlo.code === '250', 'EHLO refused', ehlo.text);
      expect(/^250[- ]STARTTLS\b/im.test(ehlo.text), 'SMTP server does not offer STARTTLS', ehlo.text);
      socket.write('STARTTLS\r\n');
      const go = await smtpReply(read);
      expect(go.code === '220', 'STARTTLS refused', go.text);
      break;
    }
    case 'imap': {
      const hello = await read.line();
      expect(/^\* (OK|PREAUTH)/i.test(hello), 'no IMAP greeting', hello);
      socket.write('h1 STARTTLS\r\n');
      for (;;) {
        const line = await read.line();
        if (line.startsWith('* ')) continue; // untagged lines before the tagged answer
        expect(/^h1 OK/i.test(line), 'IMAP STARTTLS refused', line);
        break;
      }
      break;
    }
    case 'pop3': {
      const hello = await read.line();
      expect(hello.startsWith('+OK'), 'no POP3 greeting', hello);
      socket.write('STLS\r\n');
      const go = await read.line();
      expect(go.startsWith('+OK'), 'POP3 STLS refused', go);
      break;
    }
    case 'postgres': {
      // SSLRequest: length 8, code 80877103; the server answers one byte, S (go ahead) or N (no TLS).
      const req = Buffer.alloc(8);
      req.writeInt32BE(8, 0);
      req.writeInt32BE(80877103, 4);
      socket.write(req);
      const answer = await read.byte();
      expect(
        answer === 0x53,
        'PostgreSQL server does not accept TLS (SSLRequest answered N)',
        String.fromCharCode(answer),
      );
      break;
    }
  }
  read.done();
}
