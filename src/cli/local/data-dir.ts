import { homedir } from 'node:os';
import { join, resolve } from 'node:path';

/**
 * Where the local store lives: --data-dir, else HUSH_DATA_DIR, else $XDG_DATA_HOME/hush, else ~/.local/share/hush.
 */
export function resolveDataDir(flag: string | undefined, env: NodeJS.ProcessEnv): string {
  if (flag) return resolve(flag);
  if (env['HUSH_DATA_DIR']) return resolve(env['HUSH_DATA_DIR']);
  const xdg = env['XDG_DATA_HOME'];
  return join(xdg ? resolve(xdg) : join(homedir(), '.local', 'share'), 'hush');
}

/** The files of a local data directory. */
export function dataDirLayout(dataDir: string): { database: string; keyFile: string } {
  return { database: join(dataDir, 'hush.db'), keyFile: join(dataDir, 'root.key') };
}
