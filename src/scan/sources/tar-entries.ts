import type { ByteReader } from './byte-reader.js';
import { paxOverrides, tarHeader } from './tar-reader.js';

/**
 * The regular files of a tar read from `r`, one at a time: the consumer reads up to `size` bytes of each body from
 * `r` before asking for the next, and whatever it left unread is skipped. Where the tar cannot be followed any further
 * (a header cut short, a size that is no size), `stopped` says why: what comes after is never read, and a scan must
 * not pass that off as clean.
 */
export async function* tarEntries(
  r: ByteReader,
  stopped: (why: string) => void = () => undefined,
): AsyncGenerator<{ name: string; size: number }> {
  let longName: string | undefined;
  let paxSize: number | undefined;
  let files = 0;
  for (;;) {
    const h = await r.read(512);
    if (h.length > 0 && h.length < 512) {
      stopped(`the archive ends inside a tar header after ${files} ${files === 1 ? 'entry' : 'entries'}`);
      return;
    }
    if (h.length < 512 || h.every((b) => b === 0)) return;
    const header = tarHeader(h);
    const { name: plain, type } = header;
    // A pax size applies to the entry after the extended header, never to the extended header itself.
    const size = type === 'x' || type === 'L' ? header.size : (paxSize ?? header.size);
    if (!Number.isSafeInteger(size) || size < 0) {
      stopped(`stopped at the tar entry "${longName ?? plain}": its size field is not a valid size`);
      return;
    }
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
    files++;
    yield { name, size };
    await r.skip(padded - (r.consumed - before));
  }
}
