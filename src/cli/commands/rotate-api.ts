import type { Command } from 'commander';
import type { HushClient } from '../../client/hush-client.js';
import type {
  BatchReport,
  RotationPolicy,
  RotationPolicyInput,
  RotationResult,
  RotationState,
  RotationStatusEntry,
} from '../../rotation/index.js';
import type { HushStore } from '../../store/index.js';
import type { OutputOptions } from '../io/output.js';
import { localActor, localFlags } from '../local/local-options.js';
import { runLocal } from '../local/run-local.js';
import { remoteAddress } from '../remote/remote-mode.js';
import { remoteClientFor, remoteTarget } from '../remote/request.js';

/** The rotation operations the CLI calls, the same locally (the data dir) and against a server. */
export interface RotationApi {
  setPolicy(input: Record<string, unknown>): Promise<RotationPolicy>;
  getPolicy(kind: RotationPolicy['kind'], target: string): Promise<RotationPolicy>;
  listPolicies(): Promise<RotationPolicy[]>;
  deletePolicy(kind: RotationPolicy['kind'], target: string): Promise<void>;
  rotate(path: string): Promise<RotationResult>;
  rotatePrefix(prefix: string): Promise<BatchReport>;
  onDeploy(prefix?: string): Promise<BatchReport>;
  flag(path: string): Promise<RotationState>;
  status(prefix?: string): Promise<RotationStatusEntry[]>;
}

function remoteApi(client: HushClient): RotationApi {
  const { rotation } = client;
  return {
    // The CLI builds the input from its flags; the server validates it (strict schema, one coded error).
    setPolicy: (input) => rotation.setPolicy(input as RotationPolicyInput),
    getPolicy: (kind, t) => rotation.getPolicy(kind, t),
    listPolicies: async () => (await rotation.listPolicies()).policies,
    deletePolicy: async (kind, t) => {
      await rotation.deletePolicy(kind, t);
    },
    rotate: (path) => rotation.rotate(path),
    rotatePrefix: (prefix) => rotation.rotatePrefix(prefix),
    onDeploy: (prefix) => rotation.onDeploy(prefix ? { prefix } : {}),
    flag: (path) => rotation.flag(path),
    status: async (prefix) => (await rotation.status(prefix ? { prefix } : {})).entries,
  };
}

/** The rotation service over a local store (loaded on use: only commands that touch rotation need it, and pg). */
export async function localRotationService(store: HushStore) {
  const { createRotationService } = await import('../../rotation/index.js');
  return createRotationService({ store, backend: store.readBackend, barrier: store.barrier });
}

async function localApi(store: HushStore): Promise<RotationApi> {
  const service = await localRotationService(store);
  const actor = localActor();
  return {
    setPolicy: (input) => service.setPolicy(input, actor),
    getPolicy: (kind, t) => service.getPolicy(kind, t),
    listPolicies: () => service.listPolicies(),
    deletePolicy: (kind, t) => service.deletePolicy(kind, t),
    rotate: (path) => service.rotate(path, { actor }),
    rotatePrefix: (prefix) => service.rotatePrefix({ actor, prefix }),
    onDeploy: (prefix) => service.onDeploy({ actor, ...(prefix ? { prefix } : {}) }),
    flag: (path) => service.flag(path),
    status: (prefix) => service.status(prefix),
  };
}

/**
 * Run a rotate command against a server (HUSH_ADDR set and no --data-dir) or the local data directory. Local mode
 * keeps no audit trail and raises no alerts (there is no server); the server does both.
 */
export async function withRotationApi(
  cmd: Command,
  fn: (api: RotationApi, out: OutputOptions) => Promise<void>,
): Promise<void> {
  const flags = localFlags(cmd);
  if (remoteAddress(flags, process.env) !== undefined) {
    await fn(remoteApi(remoteClientFor(remoteTarget(process.env))), { json: flags.json === true });
    return;
  }
  await runLocal(cmd, 'unsealed', async (local, out) => {
    // HUSH_ADDR is not in use (checked above), so runLocal opened the local store.
    await fn(await localApi(local.local!), out);
  });
}
