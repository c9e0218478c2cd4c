import { HushError } from '../../core/errors/hush-error.js';

/** Read a whole stream into a Buffer, refusing more than `limit` bytes (a clear error instead of exhausting memory). */
export async function readStream(
  stream: NodeJS.ReadableStream,
  limit: number,
  what = 'standard input',
): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream) {
    const buf = typeof chunk === 'string' ? Buffer.from(chunk) : Buffer.from(chunk as Uint8Array);
    size += buf.length;
    if (size > limit) {
      throw new HushError(
        'HUSH_E_TOO_LARGE',
        `${what} is over ${limit} bytes, the limit; store a smaller value (or a reference to where the large data lives)`,
      );
    }
    chunks.push(buf);
  }
  return Buffer.concat(chunks);
}
