import { describe, expect, it } from 'vitest';
import { regionsFor } from './regions.js';

/** The spans as first written (unbounded newline searches): the bounded searches must give exactly these. */
function reference(text: string, positions: readonly number[], multiline: boolean): [number, number][] {
  const out: [number, number][] = [];
  for (const p of positions) {
    const floor = Math.max(0, p - 2048);
    let at = text.lastIndexOf('\n', p - 1);
    for (let i = 0; i < 2 && at > floor; i++) at = text.lastIndexOf('\n', at - 1);
    const start = Math.max(at + 1, floor);
    const cap = Math.min(text.length, p + (multiline ? 20_000 : 2048));
    let next = text.indexOf('\n', p);
    for (let i = 0; i < 2 && next !== -1 && next < cap; i++) next = text.indexOf('\n', next + 1);
    const end = multiline ? cap : Math.min(next === -1 ? text.length : next, cap);
    const last = out[out.length - 1];
    if (last && start <= last[1]) last[1] = Math.max(last[1], end);
    else out.push([start, end]);
  }
  return out;
}

describe('regionsFor', () => {
  it('gives the same spans as unbounded newline searches, on short lines, long lines and at the caps', () => {
    let seed = 7;
    const rnd = (n: number): number => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed % n;
    };
    // Line lengths around the 2,048-character cap, newlines exactly at the floor, texts without any newline.
    for (const maxLine of [1, 40, 700, 2047, 2048, 2049, 5000, 100_000]) {
      for (let round = 0; round < 20; round++) {
        let text = '';
        while (text.length < 30_000) text += `${'x'.repeat(rnd(maxLine))}\n`;
        if (round % 5 === 0) text = text.replaceAll('\n', 'y');
        const positions = Array.from({ length: 1 + rnd(40) }, () => rnd(text.length)).sort((a, b) => a - b);
        positions.push(2048, 2049, text.length - 1);
        positions.sort((a, b) => a - b);
        for (const multiline of [false, true])
          expect(regionsFor(text, positions, multiline)).toEqual(reference(text, positions, multiline));
      }
    }
  });
});
