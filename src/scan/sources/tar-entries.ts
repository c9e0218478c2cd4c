import type { ByteReader } from './byte-reader.js';
import { paxPath, tarHeader } from './tar-reader.js';

/**
 * The regular files of a tar read from `r`, one at a time: the consumer reads up to `size` bytes of each body from
 * `r` before asking for the next, and whatever it left unread is skipped.
 */
export async function* tarEntries(r: ByteReader): AsyncGenerator<{ name: string; size: number }> {
  let longName: string | undefined;
  for (;;) {
    const h = await r.read(512);
    if (h.length < 512 || h.every((b) => b === 0)) return;
    const { name: plain, size, type } = tarHeader(h);
    if (!Number.isFinite(size) || size < 0) return;
    const padded = Math.ceil(size / 512) * 512;
    if (type === 'L' || type === 'x') {
      const body = await r.read(Math.min(size, 1 << 20));
      await r.skip(padded - body.length);
      longName = type === 'L' ? body.toString('utf8').replace(/\0[\s\S]*$/, '') : (paxPath(body) ?? longName);
      continue;
    }
    const name = (longName ?? plain).replace(/^\.\//, '');
    longName = undefined;
    if (type !== '0' && type !== '\0' && type !== '7') {
      await r.skip(padded);
      continue;
    }
    const before = r.consumed;
    yield { name, size };
    await r.skip(padded - (r.consumed - before));
  }
}
