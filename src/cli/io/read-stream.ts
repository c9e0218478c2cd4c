import { hushError } from '../../core/errors/index.js';

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
      throw hushError('INPUT_OVER_BYTE_LIMIT', { what, limit });
    }
    chunks.push(buf);
  }
  return Buffer.concat(chunks);
}
