/** IP addresses as certificates hold them (4 or 16 bytes), without node:net (core/ does no I/O). */

const V4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;

/** The canonical text of an IPv6 address (URL parsing compresses and lower-cases it), or undefined. */
function canonicalV6(text: string): string | undefined {
  if (!/^[0-9a-fA-F:.]{2,45}$/.test(text) || !text.includes(':')) return undefined;
  try {
    return new URL(`http://[${text}]/`).hostname.slice(1, -1);
  } catch {
    return undefined;
  }
}

/** 4 or 6 for an IP address, 0 otherwise (as node:net's isIP). */
export function ipVersion(text: string): 0 | 4 | 6 {
  if (V4.test(text)) return 4;
  return canonicalV6(text) === undefined ? 0 : 6;
}

/** The 4 or 16 bytes of an IP address (RFC 5280 iPAddress); RangeError when it is not one. */
export function ipBytes(ip: string): Uint8Array {
  if (V4.test(ip)) return Uint8Array.from(ip.split('.').map(Number));
  const v6 = canonicalV6(ip);
  if (v6 === undefined) throw new RangeError(`not an IP address: ${ip}`);
  const [head = '', tail = ''] = v6.split('::');
  const groups = (s: string) => (s ? s.split(':') : []);
  const h = groups(head);
  const t = groups(tail);
  const all = v6.includes('::') ? [...h, ...Array<string>(8 - h.length - t.length).fill('0'), ...t] : h;
  const out = new Uint8Array(16);
  all.forEach((g, i) => {
    const v = Number.parseInt(g, 16);
    out[i * 2] = v >> 8;
    out[i * 2 + 1] = v & 0xff;
  });
  return out;
}

/** The text of a 4- or 16-byte iPAddress; undefined for any other length. */
export function ipText(b: Uint8Array): string | undefined {
  if (b.length === 4) return [...b].join('.');
  if (b.length !== 16) return undefined;
  const groups: string[] = [];
  for (let i = 0; i < 16; i += 2) groups.push((((b[i] as number) << 8) | (b[i + 1] as number)).toString(16));
  return canonicalV6(groups.join(':'));
}
