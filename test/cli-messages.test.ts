import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type HushServer, startHushServer } from './support/hush-server.js';
import { hushIn, runHush } from './support/run-hush.js';
import { makeTempDir, removeTempDir } from './support/temp-dir.js';

// Messages that tell the user what to do (issue 14.11), through the real CLI against a real server / store.

let root: string;
let server: HushServer;

beforeAll(async () => {
  root = await makeTempDir('messages');
  server = await startHushServer({ dataDir: join(root, 'server') });
  expect((await hushIn(join(root, 'local'))(['init'])).code).toBe(0);
}, 120_000);

afterAll(async () => {
  await server?.stop();
  if (root) await removeTempDir(root);
});

describe('messages that say what to do', () => {
  it('HUSH_ADDR without HUSH_TOKEN: says to set HUSH_TOKEN, not which HTTP header to send', async () => {
    const run = await runHush(['get', 'a/dev/db'], { env: { HUSH_ADDR: server.url } });
    expect(run.code).not.toBe(0);
    expect(run.stderr).toContain('set HUSH_TOKEN');
    expect(run.stderr).not.toContain('X-Hush-Token');
  });

  it('put --expires in the past is refused with a future example', async () => {
    const hush = hushIn(join(root, 'local'));
    const past = await hush(['put', 'a/dev/db', '--expires', '2001-02-03'], { input: 'v' });
    expect(past.code).toBe(2);
    expect(past.stderr).toMatch(
      /--expires 2001-02-03 is in the past; give a future due date \(e\.g\. \d{4}-/,
    );
    const junk = await hush(['put', 'a/dev/db', '--expires', 'soon'], { input: 'v' });
    expect(junk.code).toBe(2);
    expect(junk.stderr).toContain('--expires must be an ISO 8601 date');
    const future = await hush(['put', 'a/dev/db', '--expires', '2999-01-01'], { input: 'v' });
    expect(future.code, future.stderr).toBe(0);
  });

  it('a policy with one rule is "(1 rule)"', async () => {
    const file = join(root, 'one.json');
    await writeFile(file, JSON.stringify({ name: 'one', rules: [{ path: 'a/**', capabilities: ['read'] }] }));
    const run = await runHush(['policy', 'write', 'one', file], {
      env: { HUSH_ADDR: server.url, HUSH_TOKEN: server.rootToken ?? '' },
    });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain('(1 rule)');
  });
});
