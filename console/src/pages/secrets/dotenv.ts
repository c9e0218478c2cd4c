/** One assignment of a pasted `.env`, or a line that could not be read (with its number). */
export type DotenvLine = { key: string; value: string; line: number } | { error: string; line: number };

const KEY = /^[A-Za-z_][A-Za-z0-9_.-]*$/;

/**
 * Parse `.env` text: `KEY=value`, optional `export `, `#` comments, single quotes literal, double quotes with
 * `\n` escapes. Each bad line is reported, not fatal (the rest still applies).
 */
export function parseDotenv(text: string): DotenvLine[] {
  const out: DotenvLine[] = [];
  for (const [i, raw] of text.split(/\r?\n/).entries()) {
    const line = i + 1;
    const s = raw.trim();
    if (s === '' || s.startsWith('#')) continue;
    const body = s.startsWith('export ') ? s.slice(7).trim() : s;
    const eq = body.indexOf('=');
    if (eq <= 0) {
      out.push({ error: 'expected KEY=value', line });
      continue;
    }
    const key = body.slice(0, eq).trim();
    if (!KEY.test(key)) {
      out.push({ error: `"${key.slice(0, 40)}" is not a valid name`, line });
      continue;
    }
    let value = body.slice(eq + 1).trim();
    if (value.length >= 2 && value.startsWith("'") && value.endsWith("'")) value = value.slice(1, -1);
    else if (value.length >= 2 && value.startsWith('"') && value.endsWith('"'))
      value = value.slice(1, -1).replace(/\\n/g, '\n').replace(/\\"/g, '"').replace(/\\\\/g, '\\');
    else value = value.replace(/\s+#.*$/, '');
    out.push({ key, value, line });
  }
  return out;
}

/** A line diff (longest common subsequence): each line marked kept, added or removed. */
export function diffLines(a: string, b: string): { op: ' ' | '+' | '-'; text: string }[] {
  const x = a.split('\n');
  const y = b.split('\n');
  const n = x.length;
  const m = y.length;
  const lcs: number[][] = Array.from({ length: n + 1 }, () => new Array<number>(m + 1).fill(0));
  for (let i = n - 1; i >= 0; i--)
    for (let j = m - 1; j >= 0; j--)
      lcs[i]![j] = x[i] === y[j] ? lcs[i + 1]![j + 1]! + 1 : Math.max(lcs[i + 1]![j]!, lcs[i]![j + 1]!);
  const out: { op: ' ' | '+' | '-'; text: string }[] = [];
  let i = 0;
  let j = 0;
  while (i < n && j < m) {
    if (x[i] === y[j]) {
      out.push({ op: ' ', text: x[i]! });
      i++;
      j++;
    } else if (lcs[i + 1]![j]! >= lcs[i]![j + 1]!) out.push({ op: '-', text: x[i++]! });
    else out.push({ op: '+', text: y[j++]! });
  }
  while (i < n) out.push({ op: '-', text: x[i++]! });
  while (j < m) out.push({ op: '+', text: y[j++]! });
  return out;
}
