import { join } from 'node:path';
import { type HushServer, startHushServer } from './hush-server.js';
import { makeTempDir, removeTempDir } from './temp-dir.js';

/** Several real `hush server` processes on loopback sharing one PostgreSQL database and one key-file seal. */
export interface HushCluster {
  readonly nodes: HushServer[];
  /** The root token, printed by whichever node won the initialisation. */
  readonly rootToken: string;
  /** Directory holding one data dir per node and the shared key file. */
  readonly dir: string;
  /** Start one more node (or restart one) on the same database and key file. */
  startNode(index: number): Promise<HushServer>;
  /** SIGKILL every node still running and remove the files. */
  dispose(): Promise<void>;
}

/**
 * Start `count` nodes at once on `storageUrl` (an empty schema is fine: they race to initialise it, exactly one
 * wins and the others unseal from the shared key file). Each node has its own data dir (audit file, audit key).
 */
export async function startHushCluster(options: {
  readonly storageUrl: string;
  readonly count: number;
  readonly env?: Readonly<Record<string, string>>;
}): Promise<HushCluster> {
  const dir = await makeTempDir('cluster');
  const env = (): Record<string, string> => ({
    HUSH_STORAGE_URL: options.storageUrl,
    HUSH_SEAL_KIND: 'key-file',
    HUSH_SEAL_KEY_FILE: join(dir, 'shared', 'root.key'),
    ...options.env,
  });
  const nodes: HushServer[] = [];
  const startNode = async (index: number): Promise<HushServer> => {
    const node = await startHushServer({ dataDir: join(dir, `node${index}`), env: env(), timeoutMs: 40_000 });
    nodes[index] = node;
    return node;
  };
  const dispose = async () => {
    await Promise.all(nodes.map((n) => n.kill9()));
    await removeTempDir(dir);
  };
  try {
    await Promise.all(Array.from({ length: options.count }, (_, i) => startNode(i)));
  } catch (err) {
    await dispose();
    throw err;
  }
  const tokens = nodes.map((n) => n.rootToken).filter((t): t is string => t !== undefined);
  if (tokens.length !== 1) {
    await dispose();
    throw new Error(`expected exactly one node to initialise the store, found ${tokens.length}`);
  }
  return { nodes, rootToken: tokens[0]!, dir, startNode, dispose };
}
