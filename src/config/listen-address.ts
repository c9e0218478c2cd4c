import { isIP } from 'node:net';
import { hushError } from '../core/errors/index.js';

/** A parsed `host:port` listen address. */
export interface ListenAddress {
  readonly host: string;
  readonly port: number;
}

/**
 * Parse `host:port` (IPv6 in brackets: `[::1]:8200`). The host must be explicit: an empty host would silently mean
 * "every interface", which is exactly what the loopback rule exists to prevent.
 */
export function parseListenAddress(text: string, source: string): ListenAddress {
  const match = /^(?:\[([^\]]+)\]|([^:[\]]+)):(\d{1,5})$/.exec(text.trim());
  const host = match?.[1] ?? match?.[2];
  const port = Number(match?.[3]);
  if (!match || host === undefined || !Number.isInteger(port) || port > 65535) {
    throw hushError('LISTEN_ADDRESS_NOT_HOST_PORT', { source, text });
  }
  return { host, port };
}

/**
 * True when `host` only accepts connections from this machine (127.0.0.0/8, ::1, localhost). Brackets are ignored,
 * so a WHATWG `URL.hostname` (`[::1]`) works as well as a listen host (`::1`).
 */
export function isLoopbackHost(host: string): boolean {
  const h = host.replace(/^\[(.*)\]$/, '$1').toLowerCase();
  if (h === 'localhost' || h === '::1' || h === '0:0:0:0:0:0:0:1') return true;
  if (isIP(h) === 4) return h.startsWith('127.');
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(h);
  return mapped?.[1]?.startsWith('127.') === true;
}

/** Format a listen address back to `host:port`, bracketing IPv6. */
export function formatHostPort(host: string, port: number): string {
  return `${isIP(host) === 6 ? `[${host}]` : host}:${port}`;
}
