import { readFile } from 'node:fs/promises';
import { hushError } from '../../core/errors/index.js';
import { readStream } from '../io/read-stream.js';

/** Most bytes a transit command reads as its input (the server's default body limit is 2 MiB, base64 inflates). */
export const MAX_TRANSIT_INPUT = 1024 * 1024 + 512 * 1024;

/** Read a command's input from a file, or stdin for `-` (values never come from argv: shell history keeps it). */
export async function readInput(file: string, what: string, limit = MAX_TRANSIT_INPUT): Promise<Buffer> {
  if (file === '-') return readStream(process.stdin, limit, `the ${what} on standard input`);
  let buf: Buffer;
  try {
    buf = await readFile(file);
  } catch (err) {
    const code = (err as { code?: unknown }).code;
    throw hushError('CANNOT_READ_FILE', { what, file, value: typeof code === 'string' ? ` (${code})` : '' });
  }
  if (buf.length > limit)
    throw hushError('FILE_BYTES_LIMIT', { what, file, length: buf.length, maxFileBytes: limit });
  return buf;
}

/** Read a `hush:v<N>:...` string (ciphertext, signature, HMAC) from a file or stdin, surrounding whitespace dropped. */
export async function readVersioned(file: string, what: string): Promise<string> {
  return (await readInput(file, what)).toString('utf8').trim();
}

/** Parse a positive integer option (a key version), HUSH_E_USAGE otherwise. */
export function intOption(text: string | undefined, flag: string): number | undefined {
  if (text === undefined) return undefined;
  if (!/^[0-9]{1,9}$/.test(text))
    throw hushError('TAKES_WHOLE_NUMBER_GOT', { flag, text: text.slice(0, 20) });
  return Number(text);
}

/** Base64 of the context or associated data given as text (not secret, so argv is fine) or in a file. */
export async function bindingOptions(opts: {
  context?: string;
  associatedDataFile?: string;
}): Promise<{ context?: string; associatedData?: string }> {
  return {
    ...(opts.context !== undefined ? { context: Buffer.from(opts.context, 'utf8').toString('base64') } : {}),
    ...(opts.associatedDataFile !== undefined
      ? { associatedData: (await readInput(opts.associatedDataFile, 'associated data')).toString('base64') }
      : {}),
  };
}
