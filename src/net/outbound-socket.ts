import { isIP, Socket } from 'node:net';
import {
  addressAllowed,
  guardedLookup,
  type OutboundAllowList,
  outboundRefused,
} from './outbound-allow-list.js';

/**
 * A TCP socket for drivers that call `socket.connect(port, host)` themselves (the pg driver's `stream` option): the
 * name is resolved once, when it connects, by {@link guardedLookup}, and the socket connects to the address that was
 * checked, so a name that resolves to an internal address by then (DNS rebinding) never gets a connection. The
 * driver keeps the host name for TLS (SNI and certificate checks). An IP literal is checked as it is; a Unix socket
 * path is refused (an allow-list names TCP hosts).
 */
export function guardedSocket(list: OutboundAllowList): Socket {
  const socket = new Socket();
  const connect = socket.connect.bind(socket) as (options: object) => Socket;
  const guarded = (port: unknown, host?: unknown): Socket => {
    const p = Number(port);
    const h = typeof host === 'string' ? host : '';
    if (typeof port === 'string' && host === undefined) {
      process.nextTick(() => socket.destroy(outboundRefused()));
      return socket;
    }
    if (isIP(h) && !addressAllowed(list, h, p)) {
      process.nextTick(() => socket.destroy(outboundRefused()));
      return socket;
    }
    return connect({ port: p, host: h, lookup: guardedLookup(list, p) });
  };
  socket.connect = guarded as Socket['connect'];
  return socket;
}
