import { join } from 'node:path';
import { dataDirLocation, parseBackendUrl } from '../../storage/backend-location.js';
import { dataDirLayout, describeDataDir, locateDataDir } from './data-dir.js';
import type { LocalFlags } from './local-options.js';

/**
 * Where a command finds its store, data dir and key file. The store is `--backend` (or $HUSH_BACKEND) when given,
 * any backend the registry opens, else `<data-dir>/hush.db`; a `sqlite:<dir>` backend is that data dir.
 */
export function localPaths(flags: LocalFlags, env: NodeJS.ProcessEnv, opts: { creating?: boolean } = {}) {
  const url = flags.backend ?? env['HUSH_BACKEND'];
  const named = url !== undefined && url !== '' ? parseBackendUrl(url) : undefined;
  const namedDir = named?.kind === 'sqlite' ? named.dataDir : undefined;
  const located = locateDataDir(namedDir ?? flags.dataDir, env, process.cwd(), opts);
  const dataDir = located.dir;
  const layout = dataDirLayout(dataDir);
  const location = named ?? dataDirLocation(dataDir);
  return {
    dataDir,
    /** The store and the rule step that chose it, for messages. */
    where: named
      ? `${named.display} (from ${flags.backend ? '--backend' : 'HUSH_BACKEND'})`
      : describeDataDir(located),
    location,
    database: location.display,
    keyFile:
      flags.keyFile ?? env['HUSH_KEY_FILE'] ?? (namedDir ? join(namedDir, 'root.key') : layout.keyFile),
  };
}
