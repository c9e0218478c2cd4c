import { lookup as dnsLookup, type LookupAddress, type LookupAllOptions } from 'node:dns';
import { BlockList, isIP } from 'node:net';
import type { HushError } from '../core/errors/hush-error.js';
import { hushError } from '../core/errors/index.js';
import { isInternalAddress, unmapV4 } from './internal-address.js';

/**
 * Where URLs that callers store (rotation hooks, engine connection URLs) may send the server, as an admin wrote it
 * in the server config (`outbound.allow`). Each entry is `host`, `*.domain`, an IP address or a CIDR, optionally
 * with `:port` (`[v6]:port` for IPv6). Names are matched against the URL's host; the address each name resolves to
 * is checked again when the socket connects, so a name that later resolves to 127.0.0.1 (DNS rebinding) is refused
 * unless an IP or CIDR entry names that address.
 */
export interface OutboundAllowList {
  readonly entries: readonly string[];
  readonly names: readonly { readonly host: string; readonly wildcard: boolean; readonly port?: number }[];
  readonly nets: readonly { readonly block: BlockList; readonly port?: number }[];
}

/**
 * How a server sends requests to caller-set URLs (URL hooks, JWT key URLs): only to the admin's allow-list (checked
 * again at connect time), and a failure tells the caller only that it failed (which port answered what stays in the
 * server log: otherwise anyone who may set one URL could map internal ports). Absent in local CLI mode, whose user
 * holds the root key.
 */
export interface OutboundGuard {
  readonly allow: OutboundAllowList;
  /** Where the details of a failure go (the server log). */
  readonly log: (fields: object, msg: string) => void;
}

const family = (ip: string): 'ipv4' | 'ipv6' => (isIP(ip) === 6 ? 'ipv6' : 'ipv4');

export { isInternalAddress };

function badEntry(entry: string, why: string): HushError {
  return hushError('OUTBOUND_ALLOW_ENTRY', { entry: entry.slice(0, 80), why });
}

/** Parse `outbound.allow` from the server config (throws HUSH_E_CONFIG naming a bad entry). */
export function parseOutboundAllowList(entries: readonly string[]): OutboundAllowList {
  const names: { host: string; wildcard: boolean; port?: number }[] = [];
  const nets: { block: BlockList; port?: number }[] = [];
  for (const entry of entries) {
    const m = /^(\[[^\]]+\]|[^:/]+(?:\/\d+)?|[0-9a-f:]+(?:\/\d+)?)(?::(\d{1,5}))?$/i.exec(entry.trim());
    if (!m) throw badEntry(entry, 'is not understood');
    const hostPart = (m[1] as string).replace(/^\[(.*)\]$/, '$1').toLowerCase();
    const port = m[2] === undefined ? undefined : Number(m[2]);
    if (port !== undefined && (port < 1 || port > 65535)) throw badEntry(entry, 'has a port out of range');
    const [addr, bits] = hostPart.split('/') as [string, string | undefined];
    if (isIP(addr)) {
      const block = new BlockList();
      const max = isIP(addr) === 6 ? 128 : 32;
      const prefix = bits === undefined ? max : Number(bits);
      if (!(prefix >= 0 && prefix <= max)) throw badEntry(entry, 'has a bad prefix length');
      block.addSubnet(addr, prefix, family(addr));
      nets.push({ block, ...(port !== undefined ? { port } : {}) });
    } else if (/^(\*\.)?[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*$/.test(hostPart)) {
      const wildcard = hostPart.startsWith('*.');
      names.push({
        host: wildcard ? hostPart.slice(1) : hostPart,
        wildcard,
        ...(port !== undefined ? { port } : {}),
      });
    } else {
      throw badEntry(entry, 'is not a host name, IP or CIDR');
    }
  }
  return Object.freeze({ entries: [...entries], names, nets });
}

const portOk = (allowed: number | undefined, port: number) => allowed === undefined || allowed === port;

/** Whether an IP address may be connected to: named by an IP/CIDR entry, or public and its name was allowed. */
export function addressAllowed(list: OutboundAllowList, ip: string, port: number): boolean {
  const a = unmapV4(ip);
  if (list.nets.some((n) => portOk(n.port, port) && n.block.check(a, family(a)))) return true;
  return !isInternalAddress(a);
}

/** Whether a URL's host and port are on the list (names by entry, IP literals as {@link addressAllowed} and an entry). */
export function hostAllowed(list: OutboundAllowList, hostname: string, port: number): boolean {
  const host = hostname.replace(/^\[(.*)\]$/, '$1').toLowerCase();
  if (isIP(host))
    return list.nets.some((n) => portOk(n.port, port) && n.block.check(unmapV4(host), family(unmapV4(host))));
  return list.names.some(
    (n) =>
      portOk(n.port, port) &&
      (n.wildcard ? host.endsWith(n.host) && host.length > n.host.length : host === n.host),
  );
}

/** The refusal a caller sees: names the host (which the caller wrote), never anything learnt by connecting. */
export function notAllowed(what: string, hostname: string, port: number): HushError {
  return hushError('NOT_SERVER_S_OUTBOUND_ALLOW', { what, hostname, port });
}

/** The default port of a URL's scheme when it names none. */
export function portOf(url: URL): number {
  if (url.port) return Number(url.port);
  return (
    ({ 'https:': 443, 'http:': 80, 'postgres:': 5432, 'postgresql:': 5432 } as Record<string, number>)[
      url.protocol
    ] ?? 0
  );
}

/** The error a connection to a refused address fails with (code EHUSHOUTBOUND; names no address). */
export function outboundRefused(): NodeJS.ErrnoException {
  return Object.assign(new Error('the host resolved to an address outside the outbound allow-list'), {
    code: 'EHUSHOUTBOUND',
  });
}

type LookupCallback = (
  err: NodeJS.ErrnoException | null,
  address: string | LookupAddress[],
  family?: number,
) => void;

/**
 * A `dns.lookup` for `http.request({ lookup })`: resolves as usual, then refuses addresses {@link addressAllowed}
 * refuses, at connect time (so the address checked is the address used).
 */
export function guardedLookup(list: OutboundAllowList, port: number) {
  return (hostname: string, options: object, callback: LookupCallback): void => {
    dnsLookup(hostname, { ...(options as LookupAllOptions), all: true }, (err, addresses) => {
      if (err) return callback(err, '');
      const ok = addresses.filter((a) => addressAllowed(list, a.address, port));
      if (ok.length === 0) {
        return callback(outboundRefused(), '');
      }
      if ((options as { all?: boolean }).all) return callback(null, ok);
      const first = ok[0] as LookupAddress;
      callback(null, first.address, first.family);
    });
  };
}
