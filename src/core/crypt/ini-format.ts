import { type CryptFormat, malformed, type ParsedCryptFile } from './crypt-format.js';
import { flattenMetadata, METADATA_KEY, unflattenMetadata } from './crypt-metadata.js';
import type { CryptValue } from './crypt-value.js';
import { lineFile, type OtherLine, type PairLine, singlePair, splitLines } from './line-format.js';

const SECTION = /^\s*\[([^\]]+)\]\s*$/;
const PAIR = /^(\s*([^=;#[\s][^=]*?)\s*=\s*)(.*?)(\s*)$/;

const write = (v: CryptValue): string => v.text.replaceAll('\n', '\\n');

/**
 * INI files: `[section]` headers, `key = value` pairs (path: section, key), `;`/`#` comments; the metadata goes in a
 * `[sops]` section at the end, flattened like SOPS's INI store.
 */
export const iniFormat: CryptFormat = {
  name: 'ini',
  parse(text: string, file: string): ParsedCryptFile {
    const { lines, endsWithNewline } = splitLines(text);
    const out: (PairLine | OtherLine)[] = [];
    const meta: [string, string][] = [];
    let section: string | undefined;
    lines.forEach((line, i) => {
      const trimmed = line.trim();
      const header = SECTION.exec(line);
      if (header) {
        section = (header[1] as string).trim();
        if (section !== METADATA_KEY) out.push({ kind: 'other', text: line });
        return;
      }
      if (section === METADATA_KEY) {
        if (trimmed === '') return;
        const m = PAIR.exec(line);
        if (!m) malformed(file, i + 1, 'key = value in the [sops] section');
        meta.push([(m[2] as string).trim(), m[3] as string]);
        return;
      }
      if (trimmed === '' || trimmed.startsWith(';') || trimmed.startsWith('#')) {
        out.push({ kind: 'other', text: line });
        return;
      }
      const m = PAIR.exec(line);
      if (!m) malformed(file, i + 1, 'key = value, a [section], a ; comment or a blank line');
      const [, head = '', key = '', raw = '', tail = ''] = m;
      const path = section === undefined ? [key.trim()] : [section, key.trim()];
      out.push(singlePair(path, head, { type: 'str', text: raw.replaceAll('\\n', '\n') }, raw, tail, write));
    });
    const metadata = meta.length === 0 ? undefined : unflattenMetadata(meta);
    const writeMeta = (m: Parameters<typeof flattenMetadata>[0]) => [
      '',
      `[${METADATA_KEY}]`,
      ...flattenMetadata(m).map(([k, v]) => `${k} = ${v}`),
    ];
    return lineFile(out, metadata, writeMeta, endsWithNewline);
  },
};
