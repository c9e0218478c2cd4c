import { randomUUID } from 'node:crypto';
import type { Command } from 'commander';
import type { SealKind, UnsealMaterial } from '../../seal/seal.js';
import type { HushStore } from '../../store/index.js';
import { emit } from '../io/output.js';
import { readStream } from '../io/read-stream.js';
import { type LocalFlags, localActor, withLocalOptions } from '../local/local-options.js';
import { parseShareLines, readUnsealMaterial } from '../local/unseal-material.js';
import { remoteAddress, remoteClient } from '../remote/remote-mode.js';

/**
 * `hush operator generate-root`: mint a new root token when the old one is lost, as Vault's generate-root, with the
 * unseal material as the proof. With HUSH_ADDR: the server checks a quorum of shamir shares or the rsa private key
 * (POST /v1/sys/generate-root, audited there). Locally: the store is opened with the data directory's seal (the key
 * file, the HSM, shares or the private key), and the act is appended to the data directory's audit trail.
 */
export function registerOperatorGenerateRoot(operator: Command): void {
  withLocalOptions(operator.command('generate-root'))
    .description(
      'mint a new root token with the unseal material (lost root token): shares on stdin or --shares-file, --private-key, or the key file/HSM locally',
    )
    .action(async (_opts: unknown, cmd: Command) => {
      const flags = cmd.optsWithGlobals<LocalFlags>();
      const out = { json: flags.json === true };
      const address = remoteAddress(flags, process.env);
      const rootToken = address !== undefined ? await overHttp(address, flags) : await locally(cmd);
      emit(out, { rootToken }, () =>
        [
          `root token (shown once, store it now): ${rootToken}`,
          'the old root token works until revoked: find its accessor with `hush audit search --identity root`, then `hush token revoke --accessor ACC`',
        ].join('\n'),
      );
    });
}

async function overHttp(address: string, flags: LocalFlags): Promise<string> {
  const client = remoteClient(address, process.env);
  const kind = (await client.status()).kind ?? 'key-file';
  const material = await materialFor(kind, flags);
  return (await client.generateRoot(material)).rootToken;
}

async function locally(cmd: Command): Promise<string> {
  const { runLocal } = await import('../local/run-local.js');
  let minted = '';
  await runLocal(cmd, 'unsealed', async (opened) => {
    const store = opened.local as HushStore; // no HUSH_ADDR here, so the store is local
    const { createIdentity } = await import('../../identity/index.js');
    const identity = createIdentity({ backend: store.readBackend, barrier: store.barrier });
    minted = (await identity.onInit()).rootToken;
    await auditLocally(store, opened.dataDir);
  });
  return minted;
}

/** Append the act to the data directory's local hash-chained trail (`audit-local.jsonl`, as all local CLI use). */
async function auditLocally(store: HushStore, dataDir: string): Promise<void> {
  const { openLocalTrail } = await import('../local/run-local.js');
  const trail = await openLocalTrail(store, dataDir);
  await trail.append({
    requestId: randomUUID(),
    operation: 'operator.generate-root',
    outcome: 'allowed',
    identity: localActor(),
    authMethod: 'unseal-material',
    path: 'sys/seal',
  });
}

/** Shamir shares (stdin when piped, or --shares-file) or the rsa private key; other seals send nothing. */
async function materialFor(kind: SealKind, flags: LocalFlags): Promise<UnsealMaterial> {
  const stdinShares =
    kind === 'shamir' && !flags.sharesFile && !process.env['HUSH_UNSEAL_SHARES_FILE'] && !process.stdin.isTTY
      ? parseShareLines((await readStream(process.stdin, 64 * 1024)).toString('utf8'))
      : undefined;
  return readUnsealMaterial(kind, flags, { env: process.env, ...(stdinShares ? { stdinShares } : {}) });
}
