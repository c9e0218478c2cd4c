import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type HushServer, startHushServer } from './support/hush-server.js';
import { HUSH_BIN, oneLineError, runHush } from './support/run-hush.js';
import { makeTempDir, removeTempDir } from './support/temp-dir.js';

// With HUSH_ADDR set, a storage-level operator command must act on the server or refuse: never quietly take the
// local store (here: the user's default store, which exists) for the server's.

let root: string;
let server: HushServer;
let env: Record<string, string>;
const localStore = () => join(root, 'xdg/hush');

beforeAll(async () => {
  root = await makeTempDir('op-remote');
  server = await startHushServer({ dataDir: join(root, 'server') });
  env = { XDG_DATA_HOME: join(root, 'xdg'), HUSH_ADDR: server.url, HUSH_TOKEN: server.rootToken ?? '' };
  const init = await runHush(['init', '--data-dir', localStore()]);
  expect(init.code, init.stderr).toBe(0);
}, 120_000);

afterAll(async () => {
  await server?.stop();
  if (root) await removeTempDir(root);
});

describe('operator commands with HUSH_ADDR set', () => {
  it('snapshot save, snapshot restore and migrate refuse instead of using the local store', async () => {
    const snap = join(root, 'backup.snap');
    const runs = [
      ['operator', 'snapshot', 'save', '--file', snap],
      ['operator', 'snapshot', 'restore', '--file', snap],
      ['operator', 'migrate', '--to', `sqlite:${join(root, 'copy')}`],
    ];
    for (const args of runs) {
      const run = await runHush(args, { env, cwd: root });
      expect(run.code, args.join(' ')).toBe(2);
      expect(run.stderr).toMatch(
        /HUSH_ADDR is set, but this command reads and writes a store's storage directly/,
      );
      expect(run.stderr).toContain('[HUSH_E_USAGE]');
    }
    expect(existsSync(snap)).toBe(false);
    expect(existsSync(join(root, 'copy'))).toBe(false);
  });

  it('with HUSH_DATA_DIR set too, they refuse in one line naming both variables and the way out', async () => {
    const snap = join(root, 'both.snap');
    const both = { ...env, HUSH_DATA_DIR: localStore() };
    const runs: Array<[string[], string]> = [
      [['operator', 'snapshot', 'save', '--file', snap], '--from'],
      [['operator', 'snapshot', 'restore', '--file', snap], '--to'],
      [['operator', 'migrate', '--to', `sqlite:${join(root, 'copy2')}`], '--from'],
    ];
    for (const [args, urlFlag] of runs) {
      const run = await runHush(args, { env: both, cwd: root });
      expect(run.code, args.join(' ')).toBe(2);
      expect(oneLineError(run)).toBe(
        `hush: both HUSH_ADDR and HUSH_DATA_DIR are set; this command works on a store's storage directly, not through a server, so it will not guess between them: add --data-dir ${localStore()} for HUSH_DATA_DIR's store, or ${urlFlag} URL for the server's storage (e.g. sqlite:/srv/hush/data or postgres://...), or unset HUSH_ADDR [HUSH_E_USAGE]`,
      );
    }
    expect(existsSync(snap)).toBe(false);
    expect(existsSync(join(root, 'copy2'))).toBe(false);
    // The way out it names works: the same command with the --data-dir it printed.
    const fixed = await runHush(
      ['operator', 'snapshot', 'save', '--file', snap, '--data-dir', localStore()],
      {
        env: both,
        cwd: root,
      },
    );
    expect(fixed.code, fixed.stderr).toBe(0);
    expect(existsSync(snap)).toBe(true);
  });

  it('the --data-dir it prints can be pasted into a shell, even for a path with a space and a quote', async () => {
    const odd = join(root, "it's my store");
    expect((await runHush(['init', '--data-dir', odd])).code).toBe(0);
    const snap = join(root, 'odd.snap');
    const both = { ...env, HUSH_DATA_DIR: odd };
    const refused = await runHush(['operator', 'snapshot', 'save', '--file', snap], { env: both, cwd: root });
    const printed = /add (--data-dir .+) for HUSH_DATA_DIR's store/.exec(refused.stderr)?.[1];
    expect(printed, refused.stderr).toBeDefined();
    const pasted = spawnSync(
      'sh',
      ['-c', `"$0" "$1" operator snapshot save --file "$2" ${printed}`, process.execPath, HUSH_BIN, snap],
      { env: { ...process.env, ...both }, cwd: root, encoding: 'utf8' },
    );
    expect(pasted.status, pasted.stderr).toBe(0);
    expect(pasted.stdout).toContain(`from sqlite:${odd}`);
  });

  it('snapshot save works on the store named by --data-dir even with HUSH_ADDR set', async () => {
    const snap = join(root, 'named.snap');
    const run = await runHush(['operator', 'snapshot', 'save', '--file', snap, '--data-dir', localStore()], {
      env,
    });
    expect(run.code, run.stderr).toBe(0);
    expect(existsSync(snap)).toBe(true);
  });

  it('rotate-root rotates the server, leaving the local key file alone and writing no key file here', async () => {
    const before = await readFile(join(localStore(), 'root.key'));
    const run = await runHush(['operator', 'rotate-root', '--json'], { env, cwd: root });
    expect(run.code, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ rotated: true, server: true });
    expect(await readFile(join(localStore(), 'root.key'))).toEqual(before);
    expect(existsSync(join(root, '.next'))).toBe(false);
    // The server's seal is a key file: shaping flags of another kind are refused by the server, changing nothing.
    const shaped = await runHush(['operator', 'rotate-root', '--shares', '3'], { env, cwd: root });
    expect(shaped.code).toBe(2);
    expect(shaped.stderr).toContain("shares does not apply to the server's key-file seal");
    const token = await runHush(['operator', 'rotate-root', '--pkcs11-token', 't'], { env, cwd: root });
    expect(token.code).toBe(2);
    expect(token.stderr).toContain('--pkcs11-token does not apply');
  });
});
