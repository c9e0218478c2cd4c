import { readFile } from 'node:fs/promises';
import { HushError } from '../../core/errors/hush-error.js';
import { hushError } from '../../core/errors/index.js';
import { readStream } from './read-stream.js';

/** Policies and role documents are small; anything bigger than this is a mistake (wrong file). */
const MAX_DOCUMENT_BYTES = 1 << 20;

/**
 * Read a YAML or JSON document (a policy, a JWT role) from `file`, or standard input for `-`. `what` names it in
 * errors. Parsed but unchecked: the server validates it and answers one coded error naming the first problem.
 */
export async function readDocument(file: string, what: string): Promise<unknown> {
  let text: string;
  try {
    text =
      file === '-'
        ? (await readStream(process.stdin, MAX_DOCUMENT_BYTES, `the ${what} on standard input`)).toString(
            'utf8',
          )
        : await readFile(file, 'utf8');
  } catch (err) {
    if (err instanceof HushError) throw err;
    const code = (err as { code?: unknown }).code;
    throw hushError('CANNOT_READ_FILE', { what, file, value: typeof code === 'string' ? ` (${code})` : '' });
  }
  // yaml is loaded on use: only the commands reading documents need it, not every CLI start.
  const { parse: parseYaml } = await import('yaml');
  try {
    return parseYaml(text); // YAML is a superset of JSON: either works
  } catch (err) {
    const line = (err as { linePos?: { line: number }[] }).linePos?.[0]?.line;
    throw hushError('FILE_NOT_VALID_YAML_JSON', { what, file, value: line ? ` (line ${line})` : '' });
  }
}
