import { BlockList, isIP } from 'node:net';

/** IPv4 ranges a caller-chosen URL must never reach unless an IP/CIDR entry names them. */
const INTERNAL_V4 = new BlockList();
for (const [net, bits] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['224.0.0.0', 3],
] as const)
  INTERNAL_V4.addSubnet(net, bits, 'ipv4');

/**
 * IPv6 ranges refused whole: unique-local, link-local, old site-local, multicast, discard-only, local-use NAT64
 * (its translator is ours, so the v4 behind it is anybody's guess) and Teredo (the client's v4 is obfuscated and the
 * relay is on the path: no honest way to tell where it lands). Ranges that embed a readable IPv4 address are judged
 * by that address instead (see {@link embeddedV4}).
 */
const INTERNAL_V6 = new BlockList();
for (const [net, bits] of [
  ['fc00::', 7],
  ['fe80::', 10],
  ['fec0::', 10],
  ['ff00::', 8],
  ['100::', 64],
  ['64:ff9b:1::', 48],
  ['2001::', 32],
] as const)
  INTERNAL_V6.addSubnet(net, bits, 'ipv6');

/** The eight 16-bit groups of a valid IPv6 address in any textual form (`::`, zone id, trailing dotted quad). */
function groupsOf(ip: string): number[] {
  let text = ip.replace(/%.*$/, '').toLowerCase();
  const quad = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(text);
  if (quad) {
    const [a, b, c, d] = quad.slice(1).map(Number) as [number, number, number, number];
    text = `${text.slice(0, quad.index)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head, tail] = text.split('::') as [string, string | undefined];
  const parse = (s: string) => (s === '' ? [] : s.split(':').map((g) => Number.parseInt(g, 16)));
  const h = parse(head);
  if (tail === undefined) return h;
  const t = parse(tail);
  return [...h, ...new Array<number>(8 - h.length - t.length).fill(0), ...t];
}

const v4 = (hi: number, lo: number): string => `${hi >> 8}.${hi & 0xff}.${lo >> 8}.${lo & 0xff}`;

/**
 * The IPv4 address an IPv6 address carries and is delivered to: IPv4-mapped `::ffff:a.b.c.d`, IPv4-translated
 * `::ffff:0:a.b.c.d`, IPv4-compatible `::a.b.c.d` (so `::` and `::1` too), NAT64 `64:ff9b::a.b.c.d` and 6to4
 * `2002:AABB:CCDD::` - in every textual form (`::ffff:7f00:1` is `::ffff:127.0.0.1`). Undefined for anything else.
 */
export function embeddedV4(ip: string): string | undefined {
  if (isIP(ip) !== 6) return undefined;
  const g = groupsOf(ip);
  const zero = (from: number, to: number) => g.slice(from, to).every((x) => x === 0);
  const lo = () => v4(g[6] as number, g[7] as number);
  if (zero(0, 5) && (g[5] === 0xffff || g[5] === 0)) return lo();
  if (zero(0, 4) && g[4] === 0xffff && g[5] === 0) return lo();
  if (g[0] === 0x64 && g[1] === 0xff9b && zero(2, 6)) return lo();
  if (g[0] === 0x2002) return v4(g[1] as number, g[2] as number);
  return undefined;
}

/** An IPv4-mapped address as the IPv4 it is (`::ffff:7f00:1` -> `127.0.0.1`); anything else unchanged. */
export function unmapV4(ip: string): string {
  if (isIP(ip) !== 6) return ip;
  const g = groupsOf(ip);
  return g.slice(0, 5).every((x) => x === 0) && g[5] === 0xffff ? v4(g[6] as number, g[7] as number) : ip;
}

/**
 * True for loopback, private, link-local (cloud metadata), CGNAT, multicast and unspecified addresses, and for IPv6
 * addresses that embed one (mapped, compatible, NAT64, 6to4) or whose destination cannot be judged (Teredo).
 */
export function isInternalAddress(ip: string): boolean {
  const kind = isIP(ip);
  if (kind === 4) return INTERNAL_V4.check(ip, 'ipv4');
  if (kind !== 6) return true;
  const inner = embeddedV4(ip);
  if (inner !== undefined) return INTERNAL_V4.check(inner, 'ipv4');
  return INTERNAL_V6.check(ip.replace(/%.*$/, ''), 'ipv6');
}
