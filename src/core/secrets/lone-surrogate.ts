import type { HushError } from '../errors/hush-error.js';
import { hushError } from '../errors/index.js';
import type { SecretValue } from './value-codec.js';

const wellFormed = (s: string): boolean => (s as string & { isWellFormed(): boolean }).isWellFormed();

/**
 * Where a value holds half of a UTF-16 surrogate pair (`\ud800` without its partner), which UTF-8 cannot carry: `''`
 * for a string value, the field (`db.password`, `hosts[1]`, a key itself) inside an object, undefined when none.
 * Such text would silently become U+FFFD in any file or environment variable, so writers and exports refuse it.
 */
export function loneSurrogateAt(value: SecretValue): string | undefined {
  if (typeof value === 'string') return wellFormed(value) ? undefined : '';
  const stack: [unknown, string][] = [[value, '']];
  while (stack.length > 0) {
    const [node, at] = stack.pop() as [unknown, string];
    if (typeof node === 'string') {
      if (!wellFormed(node)) return at;
    } else if (Array.isArray(node)) {
      for (const [i, child] of node.entries()) stack.push([child, `${at}[${i}]`]);
    } else if (typeof node === 'object' && node !== null) {
      for (const [key, child] of Object.entries(node)) {
        const here = at === '' ? key : `${at}.${key}`;
        if (!wellFormed(key)) return JSON.stringify(here).slice(1, -1);
        stack.push([child, here]);
      }
    }
  }
  return undefined;
}

/** The refusal: `<what>[ (field F)] holds half of a UTF-16 surrogate pair ...`, as HUSH_E_INVALID_INPUT. */
export function loneSurrogateError(what: string, at: string, action: string): HushError {
  const where = at === '' ? what : `${what} (field ${JSON.stringify(at).slice(1, -1)})`;
  return hushError('VALUE_LONE_SURROGATE', { where, action });
}
