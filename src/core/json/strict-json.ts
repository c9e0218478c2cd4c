import { hushError } from '../errors/index.js';

/** Deepest nesting a request body may have; stored values have their own, lower bound (MAX_VALUE_DEPTH). */
export const MAX_BODY_DEPTH = 64;

const OPEN_OBJECT = 0x7b; // {
const OPEN_ARRAY = 0x5b; // [
const CLOSE_OBJECT = 0x7d; // }
const CLOSE_ARRAY = 0x5d; // ]
const COMMA = 0x2c;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;

interface Frame {
  readonly object: boolean;
  readonly keys: Set<string> | undefined;
  /** The key under which this container sits in its parent object. */
  readonly under: string | undefined;
  expectKey: boolean;
  lastKey: string | undefined;
}

/**
 * Parse JSON text strictly: valid JSON, nested at most `maxDepth` levels, no object repeating a key (parsers
 * disagree on which copy wins, so a proxy and Hush could see different requests), and no `__proto__` or
 * `constructor.prototype` keys. Never recurses, so a hostile body cannot overflow the stack. Errors are coded
 * (HUSH_E_USAGE / HUSH_E_INVALID_INPUT) and give positions, never content.
 *
 * @example
 * parseStrictJson('{"a":1}'); // { a: 1 }
 * parseStrictJson('{"a":1,"a":2}'); // throws HUSH_E_INVALID_INPUT
 */
export function parseStrictJson(text: string, what = 'request body', maxDepth = MAX_BODY_DEPTH): unknown {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw hushError('NOT_VALID_JSON', { what });
  }
  checkJsonStructure(text, what, maxDepth);
  checkLossless(value, what);
  return value;
}

// A high surrogate not followed by a low one, or a low one not preceded by a high one (code units, no `u` flag).
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/**
 * Refuse what JSON.parse accepts but storage would silently change: a `\ud800` escape without its pair (stored as
 * U+FFFD) and a number too large for a double (`1e400` becomes Infinity, stored as null). Without recursion.
 */
export function checkLossless(value: unknown, what = 'request body'): void {
  const stack: unknown[] = [value];
  const badString = (s: string) => {
    if (LONE_SURROGATE.test(s)) {
      throw hushError('JSON_LONE_SURROGATE', { what });
    }
  };
  while (stack.length > 0) {
    const node = stack.pop();
    if (typeof node === 'string') badString(node);
    else if (typeof node === 'number' && !Number.isFinite(node)) {
      throw hushError('NUMBER_TOO_LARGE_REPRESENT_LIKE', { what });
    } else if (typeof node === 'object' && node !== null) {
      if (Array.isArray(node)) for (const child of node) stack.push(child);
      else
        for (const [key, child] of Object.entries(node)) {
          badString(key);
          stack.push(child);
        }
    }
  }
}

/**
 * Walk JSON text that JSON.parse has already accepted, once: depth, duplicate keys, prototype keys (the checks of
 * parseStrictJson, for callers that parse it themselves). Throws HUSH_E_INVALID_INPUT naming positions only.
 */
export function checkJsonStructure(text: string, what = 'request body', maxDepth = MAX_BODY_DEPTH): void {
  const stack: Frame[] = [];
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === OPEN_OBJECT || c === OPEN_ARRAY) {
      const parent = stack[stack.length - 1];
      if (stack.length >= maxDepth) {
        throw hushError('JSON_NESTS_TOO_DEEP', { what, maxDepth, i }, { limitDepth: maxDepth });
      }
      const object = c === OPEN_OBJECT;
      stack.push({
        object,
        keys: object ? new Set() : undefined,
        under: parent?.object ? parent.lastKey : undefined,
        expectKey: object,
        lastKey: undefined,
      });
    } else if (c === CLOSE_OBJECT || c === CLOSE_ARRAY) {
      stack.pop();
    } else if (c === COMMA) {
      const top = stack[stack.length - 1];
      if (top?.object) top.expectKey = true;
    } else if (c === QUOTE) {
      let j = i + 1;
      let escaped = false;
      while (text.charCodeAt(j) !== QUOTE) {
        if (text.charCodeAt(j) === BACKSLASH) {
          escaped = true;
          j += 1;
        }
        j += 1;
      }
      const top = stack[stack.length - 1];
      if (top?.object && top.expectKey) {
        const key = escaped ? (JSON.parse(text.slice(i, j + 1)) as string) : text.slice(i + 1, j);
        checkKey(top, key, i, what);
      }
      i = j;
    }
  }
}

function checkKey(frame: Frame, key: string, at: number, what: string): void {
  if (frame.keys?.has(key)) {
    throw hushError('REPEATS_KEY_ONE_OBJECT_CHARACTER', { what, at });
  }
  if (key === '__proto__' || (key === 'prototype' && frame.under === 'constructor')) {
    throw hushError('KEY_CHARACTER_WHICH_REFUSED', { what, key, at });
  }
  frame.keys?.add(key);
  frame.expectKey = false;
  frame.lastKey = key;
}
