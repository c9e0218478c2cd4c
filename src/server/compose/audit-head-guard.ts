import { basename, dirname } from 'node:path';
import type { Alerting } from '../../alerts/index.js';
import type { AuditLog } from '../../audit/audit-log.js';
import { readAuditFiles } from '../../audit/read-audit-files.js';
import {
  AUDIT_HEAD_PREFIX,
  chainIdOf,
  createHeadKeeper,
  findStoredHead,
  firstRecordOf,
  headCheckError,
} from '../../audit/stored-head.js';
import type { ServerConfig } from '../../config/server-config-schema.js';
import type { HushError } from '../../core/errors/hush-error.js';
import type { HushStore } from '../../store/index.js';
import { AUDIT_VIEW, openSealedView } from '../../store/sealed-view/index.js';

/** Where start-up warnings go (a subset of the server's Terminal). */
interface WarningOut {
  write(text: string): unknown;
}

/**
 * Keep the audit chain head in the store and check that the audit files still reach the head kept there (records
 * cut from the end, or a chain rewritten before it, are refused or alerted on, per `audit.headCheck`): at start
 * when the store is unsealed then, else when it is first unsealed (shamir, rsa, a lockdown lifted). The keeper
 * writes nothing before the check passed, and never after it failed: a stored head the files do not reach stays
 * in the store as evidence (each start alerts again until the trail is restored).
 */
export function auditHeadGuard(
  config: ServerConfig,
  store: HushStore,
  auditLog: AuditLog,
  alerting: Alerting,
  terminal: WarningOut,
) {
  const records = openSealedView(store.readBackend, store.barrier, AUDIT_VIEW);
  let state: 'unchecked' | 'ok' | 'mismatch' = 'unchecked';
  const keeper = createHeadKeeper({ records, canWrite: () => state === 'ok' && !store.barrier.sealed });
  const file = config.audit.file;
  let subscribed = false;
  let running: Promise<HushError | undefined> | undefined;

  /** What the files say against the stored head: undefined when they reach it (or there is none). */
  async function mismatch(dir: string, fileName: string): Promise<string | undefined> {
    const oneChain = config.storage.kind === 'sqlite';
    const found = await findStoredHead(records, dir, fileName, { onlyChain: oneChain });
    // Files that no longer start at seq 1 continue the chain of the head found for them.
    if (found) keeper.setChain(found.stored.chain);
    if (found?.why) return found.why;
    if (
      !found &&
      oneChain &&
      !(await firstRecordOf(readAuditFiles(dir, fileName))) &&
      (await records.keys(AUDIT_HEAD_PREFIX)).length > 0
    ) {
      // One node, one chain: a head in the store with no audit file means the whole file was removed.
      return 'the audit files are empty or missing but the store holds the head of an earlier chain';
    }
    return undefined;
  }

  /** Run the check once the store is unsealed; resolves to the refusal under `headCheck: refuse`, else undefined. */
  async function run(): Promise<HushError | undefined> {
    if (!file) {
      state = 'ok';
      return undefined;
    }
    const dir = dirname(file.path);
    const fileName = basename(file.path);
    if (!subscribed) {
      subscribed = true;
      keeper.setChain(await chainIdOf(readAuditFiles(dir, fileName)));
      auditLog.subscribe((record) => keeper.onRecord(record));
    }
    if (store.barrier.sealed) return undefined;
    const why = await mismatch(dir, fileName);
    if (!why) {
      state = 'ok';
      await keeper.sync();
      return undefined;
    }
    const err = headCheckError(file.path, why);
    alerting.raise({
      rule: 'audit-head-mismatch',
      message: err.message,
      severity: 'critical',
      cooldownSeconds: 0,
    });
    if (config.audit.headCheck === 'refuse') return err; // unchecked: the next unseal checks (and refuses) again
    state = 'mismatch';
    terminal.write(`hush: warning: ${err.message}\n`);
    return undefined;
  }

  return {
    keeper,
    records,
    /** Check now if not done yet (one check at a time); the refusal under `headCheck: refuse`, else undefined. */
    async check(): Promise<HushError | undefined> {
      if (state !== 'unchecked') return undefined;
      running ??= run().finally(() => {
        running = undefined;
      });
      return running;
    },
  };
}

/**
 * The store as the seal control and seal watch drive it: every unseal (and init) runs the audit head check before
 * anything is served or the keeper writes; under `headCheck: refuse` a failed check seals this node again (the
 * safest answer on a running server: it serves nothing from a store whose trail was cut) and the unseal fails
 * with HUSH_E_INTEGRITY.
 */
export function headCheckedStore(
  store: HushStore,
  guard: ReturnType<typeof auditHeadGuard>,
): Pick<HushStore, 'init' | 'unseal' | 'seal' | 'liftLockdown' | 'checkMaterial' | 'status' | 'isSealed'> {
  const checked = async (): Promise<void> => {
    if (store.isSealed()) return;
    const refusal = await guard.check();
    if (!refusal) return;
    await store.seal({ persist: false });
    throw refusal;
  };
  return {
    init: async (...args) => {
      const result = await store.init(...args);
      await checked();
      return result;
    },
    unseal: async (...args) => {
      await store.unseal(...args);
      await checked();
    },
    seal: (...args) => store.seal(...args),
    liftLockdown: (...args) => store.liftLockdown(...args),
    checkMaterial: (...args) => store.checkMaterial(...args),
    status: (...args) => store.status(...args),
    isSealed: (...args) => store.isSealed(...args),
  };
}
