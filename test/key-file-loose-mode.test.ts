import { chmod } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHushServer } from './support/hush-server.js';
import { assertCompiledCli, hushIn, oneLineError } from './support/run-hush.js';
import { makeTempDir, removeTempDir } from './support/temp-dir.js';

// A Kubernetes Secret volume mounts root.key 0644 (or 0440 root-owned with fsGroup) and its mode cannot be changed:
// the refusal names the explicit override, and the override accepts such a file (issue 13.13).
let dir: string;
beforeAll(async () => {
  assertCompiledCli();
  dir = await makeTempDir('loose-key');
});
afterAll(() => removeTempDir(dir));

describe('a root.key others may read', () => {
  it('CLI: refused naming HUSH_ALLOW_LOOSE_KEY_FILE; accepted with it; never when others may write it', async () => {
    const hush = hushIn(join(dir, 'cli'));
    expect((await hush(['init'])).code).toBe(0);
    expect((await hush(['put', 'app/prod/db'], { input: 'v' })).code).toBe(0);
    const key = join(dir, 'cli', 'root.key');
    for (const mode of [0o644, 0o440]) {
      await chmod(key, mode);
      const refused = await hush(['get', 'app/prod/db', '--reveal']);
      expect(refused.code).not.toBe(0);
      expect(oneLineError(refused)).toMatch(/root\.key has mode 0[64]4[04], .*HUSH_ALLOW_LOOSE_KEY_FILE=1/);
      const ok = await hush(['get', 'app/prod/db', '--reveal'], { env: { HUSH_ALLOW_LOOSE_KEY_FILE: '1' } });
      expect(ok.stdout.trim(), ok.stderr).toBe('v');
    }
    await chmod(key, 0o666);
    const writable = await hush(['get', 'app/prod/db', '--reveal'], {
      env: { HUSH_ALLOW_LOOSE_KEY_FILE: '1' },
    });
    expect(writable.code).not.toBe(0);
    expect(oneLineError(writable)).toMatch(/may read or replace the key/);
  });

  it('server: refuses to start at 0644 naming HUSH_ALLOW_LOOSE_KEY_FILE, starts unsealed with it', async () => {
    const dataDir = join(dir, 'server');
    const first = await startHushServer({ dataDir });
    await first.stop();
    await chmod(join(dataDir, 'root.key'), 0o644);
    await expect(startHushServer({ dataDir })).rejects.toThrow(
      /root\.key has mode 0644, .*HUSH_ALLOW_LOOSE_KEY_FILE=1 \(server config: seal\.allowLooseMode: true\)/,
    );
    const srv = await startHushServer({ dataDir, env: { HUSH_ALLOW_LOOSE_KEY_FILE: '1' } });
    try {
      const res = await fetch(`${srv.url}/v1/sys/seal-status`);
      expect(await res.json()).toMatchObject({ sealed: false });
    } finally {
      await srv.stop();
    }
  }, 60_000);
});
