import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';

/** Which step of the data-directory rule chose the directory (said in messages, so users see where we looked). */
export type DataDirSource = '--data-dir' | 'HUSH_DATA_DIR' | './data' | 'user default';

/** A data directory and the step of the rule that chose it. */
export interface LocatedDataDir {
  readonly dir: string;
  readonly source: DataDirSource;
}

/**
 * The files that mark `./data` as holding Hush data: a SQLite store, or the audit HMAC key every server writes
 * beside its data (whatever its storage backend). Not `audit.jsonl`: another program's `data/` may well hold a file
 * of that name, and the CLI must not take that directory for its own.
 */
const DATA_MARKERS = ['hush.db', 'audit-hmac.key'] as const;

/**
 * The data-directory rule shared with the server (docs/cli.md#data-directory): --data-dir, else HUSH_DATA_DIR,
 * else `./data` when it holds Hush data (what `npm start` / `hush server` create in their working directory),
 * else $XDG_DATA_HOME/hush, else ~/.local/share/hush.
 */
export function locateDataDir(
  flag: string | undefined,
  env: NodeJS.ProcessEnv,
  cwd: string = process.cwd(),
  opts: { readonly creating?: boolean } = {},
): LocatedDataDir {
  if (flag) return { dir: resolve(flag), source: '--data-dir' };
  if (env['HUSH_DATA_DIR']) return { dir: resolve(env['HUSH_DATA_DIR']), source: 'HUSH_DATA_DIR' };
  // `hush init` (creating) never picks ./data: it creates in the user directory unless told where (docs/cli.md).
  const server = resolve(cwd, 'data');
  if (!opts.creating && DATA_MARKERS.some((name) => existsSync(join(server, name)))) {
    return { dir: server, source: './data' };
  }
  const xdg = env['XDG_DATA_HOME'];
  return {
    dir: join(xdg ? resolve(xdg) : join(homedir(), '.local', 'share'), 'hush'),
    source: 'user default',
  };
}

/** The data directory of {@link locateDataDir}, without its source. */
export function resolveDataDir(flag: string | undefined, env: NodeJS.ProcessEnv): string {
  return locateDataDir(flag, env).dir;
}

/** `DIR (from HUSH_DATA_DIR)`: a directory and why it was chosen, for messages that say where they looked. */
export function describeDataDir(located: LocatedDataDir): string {
  if (located.source === 'user default') {
    return `${located.dir} (the default: no --data-dir, no HUSH_DATA_DIR, no Hush data in ./data)`;
  }
  return `${located.dir} (from ${located.source})`;
}

/** The files of a local data directory. */
export function dataDirLayout(dataDir: string): { database: string; keyFile: string } {
  return { database: join(dataDir, 'hush.db'), keyFile: join(dataDir, 'root.key') };
}
