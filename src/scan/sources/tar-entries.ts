import type { ByteReader } from './byte-reader.js';
import { paxOverrides, tarHeader } from './tar-reader.js';

/**
 * The regular files of a tar read from `r`, one at a time: the consumer reads up to `size` bytes of each body from
 * `r` before asking for the next, and whatever it left unread is skipped.
 */
export async function* tarEntries(r: ByteReader): AsyncGenerator<{ name: string; size: number }> {
  let longName: string | undefined;
  let paxSize: number | undefined;
  for (;;) {
    const h = await r.read(512);
    if (h.length < 512 || h.every((b) => b === 0)) return;
    const header = tarHeader(h);
    const { name: plain, type } = header;
    // A pax size applies to the entry after the extended header, never to the extended header itself.
    const size = type === 'x' || type === 'L' ? header.size : (paxSize ?? header.size);
    if (!Number.isFinite(size) || size < 0) return;
    const padded = Math.ceil(size / 512) * 512;
    if (type === 'L' || type === 'x') {
      const body = await r.read(Math.min(size, 1 << 20));
      await r.skip(padded - body.length);
      if (type === 'L') longName = body.toString('utf8').replace(/\0[\s\S]*$/, '');
      else {
        const pax = paxOverrides(body);
        longName = pax.name ?? longName;
        paxSize = pax.size ?? paxSize;
      }
      continue;
    }
    const name = (longName ?? plain).replace(/^\.\//, '');
    longName = undefined;
    paxSize = undefined;
    if (type !== '0' && type !== '\0' && type !== '7') {
      await r.skip(padded);
      continue;
    }
    const before = r.consumed;
    yield { name, size };
    await r.skip(padded - (r.consumed - before));
  }
}
