import { BlockList, isIP } from 'node:net';
import { hushError } from '../core/errors/index.js';

/** Validate CIDR blocks (`10.0.0.0/8`, `2001:db8::/32`, or a bare address); returns them normalised. */
export function parseCidrs(cidrs: readonly string[], field: string): string[] {
  return cidrs.map((c, i) => {
    const [addr = '', bitsText] = c.split('/');
    const family = isIP(addr);
    const max = family === 4 ? 32 : 128;
    const bits = bitsText === undefined ? max : Number(bitsText);
    if (
      family === 0 ||
      !Number.isInteger(bits) ||
      bits < 0 ||
      bits > max ||
      (bitsText !== undefined && !/^\d+$/.test(bitsText))
    ) {
      throw hushError('CIDR_INVALID', { field, i, c: c.slice(0, 64) });
    }
    return `${addr}/${bits}`;
  });
}

/** True when `ip` lies in one of `cidrs` (an empty list allows every address). IPv4-mapped IPv6 counts as IPv4. */
export function ipAllowed(cidrs: readonly string[], ip: string): boolean {
  if (cidrs.length === 0) return true;
  const list = new BlockList();
  for (const c of cidrs) {
    const [addr = '', bits = ''] = c.split('/');
    list.addSubnet(addr, Number(bits), isIP(addr) === 4 ? 'ipv4' : 'ipv6');
  }
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip)?.[1];
  const candidate = mapped ?? ip;
  const family = isIP(candidate);
  if (family === 0) return false;
  return list.check(candidate, family === 4 ? 'ipv4' : 'ipv6');
}
