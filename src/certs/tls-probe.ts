import { X509Certificate } from 'node:crypto';
import { isIP, connect as netConnect, type Socket } from 'node:net';
import { type PeerCertificate, type TLSSocket, connect as tlsConnect } from 'node:tls';
import { hushError } from '../core/errors/index.js';
import {
  guardedLookup,
  hostAllowed,
  notAllowed,
  type OutboundAllowList,
} from '../net/outbound-allow-list.js';
import { type StartTlsProtocol, startTls } from './starttls.js';

/** One TLS endpoint to probe. */
export interface ProbeTarget {
  readonly host: string;
  readonly port: number;
  /** Name sent as SNI and checked against the certificate (default: `host`, unless it is an IP address). */
  readonly servername?: string;
  readonly starttls?: StartTlsProtocol;
}

/** What an endpoint presented: its certificates as DER, leaf first, and the TLS version agreed. */
export interface ProbeResult {
  readonly chain: readonly X509Certificate[];
  readonly protocol: string;
}

/** Default time a whole probe (connect, plaintext start, handshake) may take. */
export const DEFAULT_PROBE_TIMEOUT_MS = 10_000;

/**
 * How an endpoint is named in the inventory: `host:port` (`[v6]:port`), prefixed `sni@` when the SNI name differs
 * from the host (one address can serve several names), plus `/starttls` when used.
 */
export function targetName(t: ProbeTarget): string {
  const host = isIP(t.host) === 6 ? `[${t.host}]` : t.host;
  const sni = t.servername && t.servername !== t.host ? `${t.servername}@` : '';
  return `${sni}${host}:${t.port}${t.starttls ? `/${t.starttls}` : ''}`;
}

/** The certificates a peer presented, leaf first (Node links them through issuerCertificate; a root links itself). */
function presentedChain(socket: TLSSocket): X509Certificate[] {
  const out: X509Certificate[] = [];
  const seen = new Set<string>();
  let cur: PeerCertificate | undefined = socket.getPeerCertificate(true);
  while (cur?.raw && !seen.has(cur.fingerprint256)) {
    seen.add(cur.fingerprint256);
    out.push(new X509Certificate(cur.raw));
    cur = (cur as PeerCertificate & { issuerCertificate?: PeerCertificate }).issuerCertificate;
  }
  return out;
}

/**
 * Connect, speak STARTTLS when asked, and complete a TLS handshake without judging the certificate (the checks do
 * that), within `timeoutMs`. A refused, reset, silent or non-TLS endpoint is a HUSH_E_UPSTREAM naming the endpoint
 * and what happened; nothing about the peer's bytes beyond a short printable excerpt.
 *
 * @example
 * const { chain } = await probeTls({ host: 'example.com', port: 443 });
 */
export async function probeTls(
  target: ProbeTarget,
  timeoutMs = DEFAULT_PROBE_TIMEOUT_MS,
  allow?: OutboundAllowList,
): Promise<ProbeResult> {
  const name = targetName(target);
  // On a server the probe dials only where the admin's outbound allow-list says, as hooks, engines and JWT key URLs
  // do: a name by entry, and every address checked again as the socket connects (no DNS-rebinding window), so a
  // holder of `admin` on sys/certs/endpoints cannot map internal ports or read banners off them.
  if (allow && !hostAllowed(allow, target.host, target.port))
    throw notAllowed('endpoint', target.host, target.port);
  const servername = target.servername ?? (isIP(target.host) ? undefined : target.host);
  let raw: Socket | undefined;
  let secure: TLSSocket | undefined;
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
  });
  // Socket errors can come at any step (a reset mid-greeting): one standing listener per socket turns them into
  // this probe's failure instead of an uncaught 'error' event.
  let fail: (err: Error) => void = () => undefined;
  const broken = new Promise<never>((_, reject) => {
    fail = reject;
  });
  const attempt = async (): Promise<ProbeResult> => {
    const sock = netConnect({
      host: target.host,
      port: target.port,
      ...(allow ? { lookup: guardedLookup(allow, target.port) } : {}),
    });
    raw = sock;
    sock.on('error', fail);
    await new Promise<void>((resolve) => sock.once('connect', resolve));
    if (target.starttls) await startTls(sock, target.starttls);
    const tls = tlsConnect({
      socket: sock,
      ...(servername ? { servername } : {}),
      // The probe records what is served; trust, expiry and names are judged by the checks, not by the handshake.
      rejectUnauthorized: false,
    });
    secure = tls;
    tls.on('error', fail);
    await new Promise<void>((resolve, reject) => {
      tls.once('secureConnect', resolve);
      tls.once('close', () => reject(new Error('closed the connection during the TLS handshake')));
    });
    const chain = presentedChain(tls);
    if (chain.length === 0) throw new Error('completed a handshake without a certificate');
    return { chain, protocol: tls.getProtocol() ?? 'unknown' };
  };
  try {
    return await Promise.race([attempt(), deadline, broken]);
  } catch (err) {
    throw hushError('ENDPOINT_NAME_ERR', { name, err: describe(err) }, { endpoint: name });
  } finally {
    clearTimeout(timer);
    secure?.destroy();
    raw?.destroy();
  }
}

/** A one-line cause from a socket or TLS error (codes rather than OpenSSL's long strings). */
function describe(err: unknown): string {
  const e = err as { code?: string; message?: string };
  switch (e.code) {
    case 'ECONNREFUSED':
      return 'connection refused';
    case 'ECONNRESET':
      return 'connection reset by the peer';
    case 'ENOTFOUND':
      return 'host name does not resolve';
    case 'EHUSHOUTBOUND':
      return 'the host resolved to an address outside the outbound allow-list';
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return 'host unreachable';
    case 'ERR_SSL_WRONG_VERSION_NUMBER':
    case 'ERR_SSL_PACKET_LENGTH_TOO_LONG':
    case 'ERR_SSL_UNKNOWN_PROTOCOL':
      return 'does not speak TLS here (try --starttls for a plaintext protocol)';
  }
  if (e.code?.startsWith('ERR_SSL_')) return `TLS handshake failed (${e.code})`;
  return (e.message ?? String(err)).split('\n')[0]?.slice(0, 200) ?? 'failed';
}

/** Run `fn` over `items` with at most `limit` in flight; results in input order. */
export async function mapBounded<T, R>(
  items: readonly T[],
  limit: number,
  fn: (item: T) => Promise<R>,
): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}
