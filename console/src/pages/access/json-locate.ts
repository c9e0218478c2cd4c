/** A field path as the server's validation names it: `rules[2].capabilities[0]` -> ['rules', 2, 'capabilities', 0]. */
export function parseFieldPath(text: string): (string | number)[] {
  const out: (string | number)[] = [];
  for (const m of text.matchAll(/([A-Za-z_$][\w$]*)|\[(\d+)\]/g)) out.push(m[1] ?? Number(m[2]));
  return out;
}

/**
 * The 1-based line where the value at `path` starts in the JSON `source`, or undefined when the source is not JSON
 * or holds no such value. A small scanner, since `JSON.parse` keeps no positions.
 */
export function lineOfPath(source: string, path: readonly (string | number)[]): number | undefined {
  let i = 0;
  let found: number | undefined;
  const ws = () => {
    while (/\s/.test(source[i] ?? '')) i += 1;
  };
  const str = (): string => {
    const start = i;
    i += 1;
    while (i < source.length && source[i] !== '"') i += source[i] === '\\' ? 2 : 1;
    i += 1;
    return JSON.parse(source.slice(start, i)) as string;
  };
  const same = (at: readonly (string | number)[]) =>
    at.length === path.length && at.every((p, k) => p === path[k]);
  const value = (at: (string | number)[]): void => {
    ws();
    if (same(at)) found = i;
    const c = source[i];
    if (c === '{' || c === '[') {
      const close = c === '{' ? '}' : ']';
      i += 1;
      for (let n = 0; ; n += 1) {
        ws();
        if (source[i] === close || i >= source.length) break;
        let key: string | number = n;
        if (c === '{') {
          key = str();
          ws();
          i += 1; // the colon
        }
        value([...at, key]);
        ws();
        if (source[i] === ',') i += 1;
      }
      i += 1;
    } else if (c === '"') str();
    else while (i < source.length && !/[\s,\]}]/.test(source[i] ?? '')) i += 1;
  };
  try {
    value([]);
  } catch {
    return undefined;
  }
  return found === undefined ? undefined : source.slice(0, found).split('\n').length;
}

/** The server's error with the line of the field it names (`... (line 4)`), when the source shows that field. */
export function withFieldLine(message: string, source: string): string {
  // The first `field.path: ` the source holds (words such as `invalid: ` that name no field are passed over).
  for (const named of message.matchAll(/(?<=^|\s)((?:[A-Za-z_$][\w$]*)(?:\[\d+\]|\.[A-Za-z_$][\w$]*)*): /g)) {
    const line = named[1] ? lineOfPath(source, parseFieldPath(named[1])) : undefined;
    if (line !== undefined) return `${message} (line ${line})`;
  }
  return message;
}
