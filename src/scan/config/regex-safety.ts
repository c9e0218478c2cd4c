/** The result of checking a custom rule's regex: the pattern to compile, or why it is refused. */
export type RegexCheck = { readonly pattern: string } | { readonly error: string };

interface Frame {
  /** A quantifier appears inside (at any depth). */
  quant: boolean;
  /** An alternation appears inside (at any depth). */
  alt: boolean;
}

/** Length of the escape at `i` (`\d`, `\x41`, `\u{1F600}`, `\p{L}`, `\cM`). */
function escapeLength(src: string, i: number): number {
  const next = src[i + 1];
  if ((next === 'p' || next === 'P' || next === 'u') && src[i + 2] === '{') {
    const close = src.indexOf('}', i + 3);
    return close === -1 ? 2 : close - i + 1;
  }
  if (next === 'c') return 3;
  return 2;
}

/** Length of the character class starting at `i` (`[...]`, escapes and a leading `]` honoured). */
function classLength(src: string, i: number): number {
  let j = i + 1;
  if (src[j] === '^') j++;
  if (src[j] === ']') j++;
  while (j < src.length && src[j] !== ']') j += src[j] === '\\' ? escapeLength(src, j) : 1;
  return j - i + 1;
}

/** The quantifier at `i`, if any: its text, whether it may repeat more than once, and the bounded rewrite. */
function quantifierAt(
  src: string,
  i: number,
  bound: number | undefined,
): { text: string; out: string; repeats: boolean } | undefined {
  const m = /^(?:([*+?])|\{(\d+)(,(\d*))?\})(\??)/.exec(src.slice(i));
  if (!m) return undefined;
  const lazy = m[5] ?? '';
  if (m[1]) {
    const repeats = m[1] !== '?';
    if (!repeats || bound === undefined) return { text: m[0], out: m[0], repeats };
    return { text: m[0], out: `{${m[1] === '+' ? 1 : 0},${bound}}${lazy}`, repeats };
  }
  const min = Number(m[2]);
  const open = m[3] !== undefined && m[4] === '';
  const max = open ? Number.POSITIVE_INFINITY : m[3] ? Number(m[4]) : min;
  const cap = bound === undefined ? max : Math.min(max, Math.max(bound, min));
  const out = cap === max ? m[0] : `{${min},${cap}}${lazy}`;
  return { text: m[0], out, repeats: max > 1 };
}

/**
 * Check a custom rule's regex for the shapes that make a backtracking engine take exponential time (a repeated
 * group that itself holds a quantifier or an alternation, as in `(a+)+` or `(a|a)*`) and for backreferences, and
 * with `bound` rewrite unbounded repetition (`*`, `+`, `{n,}`) to at most `bound` repetitions, so a pattern such
 * as `\w+\w+=` costs at most bound^k steps per position instead of growing with the line.
 * @example checkRegex('acme_[a-z]+', 256) // { pattern: 'acme_[a-z]{1,256}' }
 */
export function checkRegex(src: string, bound?: number): RegexCheck {
  const stack: Frame[] = [{ quant: false, alt: false }];
  let out = '';
  let i = 0;
  let atom = false;
  let group: Frame | undefined;
  while (i < src.length) {
    const c = src[i]!;
    if (atom) {
      const q = quantifierAt(src, i, bound);
      if (q) {
        if (q.repeats && group && (group.quant || group.alt)) {
          const what = group.quant ? 'a quantifier' : 'an alternation';
          return {
            error: `a repeated group holds ${what} (like (a+)+ or (a|b)*), which can take exponential time; repeat a character class instead`,
          };
        }
        stack[stack.length - 1]!.quant = true;
        out += q.out;
        i += q.text.length;
        atom = false;
        group = undefined;
        continue;
      }
    }
    atom = true;
    group = undefined;
    if (c === '\\') {
      if (/[1-9]/.test(src[i + 1] ?? '') || src[i + 1] === 'k') {
        return { error: 'backreferences are not allowed (they defeat linear-time matching)' };
      }
      const n = escapeLength(src, i);
      out += src.slice(i, i + n);
      i += n;
    } else if (c === '[') {
      const n = classLength(src, i);
      out += src.slice(i, i + n);
      i += n;
    } else if (c === '(') {
      const prefix = /^\((?:\?(?::|=|!|<=|<!|<[A-Za-z_$][\w$]*>))?/.exec(src.slice(i))![0];
      stack.push({ quant: false, alt: false });
      out += prefix;
      i += prefix.length;
      atom = false;
    } else if (c === ')') {
      const frame = stack.pop();
      if (!frame || stack.length === 0) return { error: 'unbalanced parenthesis' };
      const parent = stack[stack.length - 1]!;
      parent.quant ||= frame.quant;
      parent.alt ||= frame.alt;
      group = frame;
      out += c;
      i++;
    } else if (c === '|') {
      stack[stack.length - 1]!.alt = true;
      out += c;
      i++;
      atom = false;
    } else {
      out += c;
      i++;
      if (c === '^' || c === '$') atom = false;
    }
  }
  return { pattern: out };
}
