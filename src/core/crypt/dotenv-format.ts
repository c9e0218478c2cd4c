import { type CryptFormat, malformed, type ParsedCryptFile } from './crypt-format.js';
import { flattenMetadata, METADATA_KEY, unflattenMetadata } from './crypt-metadata.js';
import type { CryptValue } from './crypt-value.js';
import { lineFile, type OtherLine, type PairLine, singlePair, splitLines } from './line-format.js';

const PAIR = /^(\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_.-]*)\s*=\s*)(.*)$/;
const PREFIX = `${METADATA_KEY}_`;

// SOPS's dotenv store keeps values raw (no unquoting) and writes a newline inside a value as `\n`.
const write = (v: CryptValue): string => v.text.replaceAll('\n', '\\n');

/** `.env` files as SOPS writes them: `KEY=value` lines, `#` comments, the metadata as `sops_...` lines at the end. */
export const dotenvFormat: CryptFormat = {
  name: 'dotenv',
  parse(text: string, file: string): ParsedCryptFile {
    const { lines, endsWithNewline } = splitLines(text);
    const out: (PairLine | OtherLine)[] = [];
    const meta: [string, string][] = [];
    lines.forEach((line, i) => {
      const trimmed = line.trim();
      if (trimmed === '' || trimmed.startsWith('#')) {
        out.push({ kind: 'other', text: line });
        return;
      }
      const m = PAIR.exec(line);
      if (!m) malformed(file, i + 1, 'KEY=value, a # comment or a blank line');
      const [, head = '', key = '', raw = ''] = m;
      if (key.startsWith(PREFIX)) {
        meta.push([key.slice(PREFIX.length), raw]);
        return;
      }
      const value: CryptValue = { type: 'str', text: raw.replaceAll('\\n', '\n') };
      out.push(singlePair([key], head, value, raw, '', write));
    });
    const metadata = meta.length === 0 ? undefined : unflattenMetadata(meta);
    const writeMeta = (m: Parameters<typeof flattenMetadata>[0]) =>
      flattenMetadata(m).map(([k, v]) => `${PREFIX}${k}=${v}`);
    return lineFile(out, metadata, writeMeta, endsWithNewline);
  },
};
