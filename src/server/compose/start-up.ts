import type { ServerConfig } from '../../config/server-config-schema.js';
import type { HushStore } from '../../store/index.js';
import { deliverRootToken, warnIfRootTokenFileLeft } from './root-token-out.js';
import type { createSealControl } from './seal-control.js';

/** Where start-up messages go (stdout: possibly a log pipeline, so never a secret). */
export interface Terminal {
  write(text: string): unknown;
}

/**
 * Bring the store up as its seal allows: a self-unsealing store (key file, pkcs11) is initialised on first start
 * (unless `autoInit` is false) or unsealed; any other waits sealed for `/v1/sys/init` or `/v1/sys/unseal`, and a
 * store an operator locked down stays sealed.
 */
export async function startUp(
  config: ServerConfig,
  seal: ReturnType<typeof createSealControl>,
  store: Pick<HushStore, 'unseal'>,
  terminal: Terminal,
  autoInit: boolean,
  tty: Terminal | undefined,
): Promise<void> {
  await warnIfRootTokenFileLeft(config.dataDir, terminal);
  let state = await seal.refresh();
  if (!selfUnsealing(config) || (!state.initialized && !autoInit)) {
    if (!state.initialized)
      terminal.write('hush: store not initialised; POST /v1/sys/init (or `hush init` with HUSH_ADDR)\n');
    else if (state.lockedDown) terminal.write(LOCKED_DOWN_NOTE);
    else
      terminal.write(
        'hush: store is sealed; unseal it with POST /v1/sys/unseal (or `hush unseal` with HUSH_ADDR)\n',
      );
    return;
  }
  if (!state.initialized) {
    const won = await initOrJoin(config, seal);
    if (won) {
      const how =
        config.seal.kind === 'pkcs11'
          ? `pkcs11 seal: root key wrapped by key "${config.seal.keyLabel}" on token "${config.seal.tokenLabel}"`
          : 'key-file seal: the key sits beside the data; use shamir or rsa in production';
      terminal.write(`hush: initialised a new store in ${config.dataDir} (${how})\n`);
      if (won.rootToken) {
        await deliverRootToken(won.rootToken, {
          dataDir: config.dataDir,
          log: terminal,
          ...(tty ? { tty } : {}),
        });
      }
      return;
    }
    terminal.write('hush: another node initialised the shared store; unsealing from the same seal\n');
    state = await seal.refresh();
  }
  if (state.lockedDown) {
    terminal.write(LOCKED_DOWN_NOTE);
    return;
  }
  await store.unseal({}, { respectLockdown: true });
}

const LOCKED_DOWN_NOTE =
  'hush: store was sealed or locked down by an operator and stays sealed; lift it with `hush incident unlock` (POST /v1/sys/incident/unlock)\n';

/** Key-file and pkcs11 stores need no operator material (the key file, or the HSM plus its PIN from env/file). */
export function selfUnsealing(config: ServerConfig): boolean {
  return config.seal.kind === 'key-file' || config.seal.kind === 'pkcs11';
}

/** How long a node that lost the init race waits for the winner's seal record (shared storage only). */
const INIT_RACE_WAIT_MS = 15_000;

/**
 * Initialise a key-file store, or learn that another node sharing the storage did: init is check-and-set on the
 * seal record (exactly one writer wins) and the key file is created exclusively, so a loser sees either
 * HUSH_E_ALREADY_INITIALIZED or, while the winner is between writing the key file and the record,
 * HUSH_E_ALREADY_EXISTS; it then waits for the record and unseals from the same key file. Returns the winner's
 * result, or undefined when another node won.
 */
async function initOrJoin(
  config: ServerConfig,
  seal: ReturnType<typeof createSealControl>,
): Promise<{ readonly rootToken?: string } | undefined> {
  try {
    return await seal.init({});
  } catch (err) {
    const code = (err as { code?: unknown }).code;
    const lostRace = code === 'HUSH_E_ALREADY_INITIALIZED' || code === 'HUSH_E_ALREADY_EXISTS';
    // Shared storage: another node. Any storage: an operator's POST /v1/sys/init that came first (the server listens
    // before it initialises).
    const joinable = config.storage.kind === 'postgres' || code === 'HUSH_E_ALREADY_INITIALIZED';
    if (!lostRace || !joinable) throw err;
    const deadline = Date.now() + INIT_RACE_WAIT_MS;
    while (!(await seal.refresh()).initialized) {
      // A key file left by an init that never wrote its record: report the original, actionable error.
      if (Date.now() > deadline) throw err;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    return undefined;
  }
}
