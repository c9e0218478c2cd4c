import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertCompiledCli, hushIn, oneLineError } from './support/run-hush.js';
import { makeTempDir, removeTempDir } from './support/temp-dir.js';

let dir: string;
beforeAll(async () => {
  assertCompiledCli();
  dir = await makeTempDir('cli-cas');
});
afterAll(() => removeTempDir(dir));

describe('two processes writing the same secret with the same --cas', () => {
  it("exactly one wins each round; the loser exits 4 with a clear message; the value is the winner's", async () => {
    const hush = hushIn(join(dir, 'store'));
    expect((await hush(['init'])).code).toBe(0);
    expect((await hush(['put', 'c/dev/counter'], { input: 'v0' })).code).toBe(0);
    for (let round = 1; round <= 6; round += 1) {
      const [a, b] = await Promise.all([
        hush(['put', 'c/dev/counter', '--cas', String(round)], { input: `A${round}` }),
        hush(['put', 'c/dev/counter', '--cas', String(round)], { input: `B${round}` }),
      ]);
      const codes = [a.code, b.code].sort();
      expect(codes).toEqual([0, 4]);
      const loser = a.code === 4 ? a : b;
      expect(oneLineError(loser)).toMatch(
        new RegExp(
          `check-and-set failed for c/dev/counter: expected version ${round}, found version ${round + 1}; read it again and retry \\[HUSH_E_CAS_CONFLICT\\]$`,
        ),
      );
      const winner = a.code === 0 ? `A${round}` : `B${round}`;
      expect((await hush(['get', 'c/dev/counter'])).stdout).toBe(`${winner}\n`);
    }
    const versions = JSON.parse((await hush(['versions', 'c/dev/counter', '--json'])).stdout) as {
      current: number;
    };
    expect(versions.current).toBe(7);
  });

  it('without --cas both writers succeed as distinct versions: no update is lost', async () => {
    const hush = hushIn(join(dir, 'store'));
    const runs = await Promise.all(
      ['P', 'Q', 'R'].map((w) => hush(['put', 'c/dev/free', '--json'], { input: `writer-${w}` })),
    );
    expect(runs.map((r) => r.code)).toEqual([0, 0, 0]);
    const versions = runs.map((r) => (JSON.parse(r.stdout) as { version: number }).version).sort();
    expect(versions).toEqual([1, 2, 3]);
    const values = await Promise.all(
      [1, 2, 3].map(async (v) => (await hush(['get', 'c/dev/free', '--version', String(v)])).stdout.trim()),
    );
    expect(values.sort()).toEqual(['writer-P', 'writer-Q', 'writer-R']);
  });
});
