import { describe, expect, it } from 'vitest';
import { paxOverrides, paxRecords } from './tar-reader.js';

const record = (key: string, value: string): string => {
  const body = ` ${key}=${value}\n`;
  let n = Buffer.byteLength(body) + 1;
  while (String(n).length + Buffer.byteLength(body) !== n) n++;
  return `${n}${body}`;
};

describe('pax extended headers', () => {
  it('reads records by their length, so a value may hold a newline or non-ASCII text', () => {
    const data = Buffer.from(
      record('path', 'dir/a\nb.env') + record('mtime', '1.5') + record('path', 'é/x.env'),
    );
    expect([...paxRecords(data)]).toEqual([
      ['path', 'é/x.env'],
      ['mtime', '1.5'],
    ]);
  });

  it('stops at a malformed record and keeps what came before', () => {
    expect([...paxRecords(Buffer.from(`${record('path', 'ok.env')}99 path=cut`))]).toEqual([
      ['path', 'ok.env'],
    ]);
    expect([...paxRecords(Buffer.from('x path=a\n'))]).toEqual([]);
  });

  it('gives the next entry its name and size (GNU.sparse.name before path; only whole-number sizes)', () => {
    const sparse = record('GNU.sparse.name', 'real.env') + record('path', 'GNUSparseFile.0/real.env');
    expect(paxOverrides(Buffer.from(sparse + record('size', '8589934593')))).toEqual({
      name: 'real.env',
      size: 8589934593,
    });
    expect(paxOverrides(Buffer.from(record('size', '-1')))).toEqual({});
  });
});
