import { hushError } from '../errors/index.js';

/**
 * Deepest nesting a stored JSON value may have (an object inside an object ... 32 levels). Far above any real
 * credential document, and far below where `JSON.stringify` or a YAML writer runs out of stack, so everything
 * stored can be exported.
 */
export const MAX_VALUE_DEPTH = 32;

/**
 * Nesting depth of a parsed JSON value (a scalar is 0, `{}` and `[]` are 1), counted without recursion so a
 * hostile value cannot overflow the stack; counting stops once `stopAbove` is exceeded.
 */
export function jsonDepth(value: unknown, stopAbove = Number.POSITIVE_INFINITY): number {
  let deepest = 0;
  const stack: Array<{ node: unknown; depth: number }> = [{ node: value, depth: 0 }];
  while (stack.length > 0) {
    const { node, depth } = stack.pop() as { node: unknown; depth: number };
    if (typeof node !== 'object' || node === null) continue;
    const here = depth + 1;
    if (here > deepest) deepest = here;
    if (deepest > stopAbove) return deepest;
    for (const child of Array.isArray(node) ? node : Object.values(node)) {
      if (typeof child === 'object' && child !== null) stack.push({ node: child, depth: here });
    }
  }
  return deepest;
}

/** Throw HUSH_E_INVALID_INPUT when `value` nests deeper than `max` levels. */
export function assertJsonDepth(value: unknown, what: string, max = MAX_VALUE_DEPTH): void {
  const depth = jsonDepth(value, max);
  if (depth > max) {
    throw hushError('VALUE_NESTS_TOO_DEEP', { what, max }, { limitDepth: max });
  }
}
