import type { Command } from 'commander';
import type { ServerSealStatus } from '../../client/index.js';
import { hushError } from '../../core/errors/index.js';
import { emit } from '../io/output.js';
import { readStream } from '../io/read-stream.js';
import { type LocalFlags, localFlags, withLocalOptions } from '../local/local-options.js';
import { runLocal } from '../local/run-local.js';
import { parseShareLines, readUnsealMaterial } from '../local/unseal-material.js';
import { remoteAddress, remoteClient } from '../remote/remote-mode.js';

/**
 * `hush unseal`: verify the unseal material and clear the lockdown set by `hush seal`. With HUSH_ADDR the material
 * (shares, or the PEM private key read here) is posted to the server, which unseals itself for every client.
 */
export function registerUnseal(program: Command): void {
  withLocalOptions(program.command('unseal'))
    .description(
      'check the unseal material (shares on stdin or --shares-file, or --private-key) and lift the lockdown',
    )
    .option('--reset', 'server, shamir: drop the shares given so far on this node')
    .action(async (opts: { reset?: boolean }, cmd: Command) => {
      const address = remoteAddress(localFlags(cmd), process.env);
      if (address !== undefined) {
        await remoteUnseal(address, localFlags(cmd), opts.reset === true);
        return;
      }
      await runLocal(cmd, 'opened', async ({ store, sealKind, dataDir }, out, flags) => {
        const stdinShares =
          sealKind === 'shamir' &&
          !flags.sharesFile &&
          !process.env['HUSH_UNSEAL_SHARES_FILE'] &&
          !process.stdin.isTTY
            ? parseShareLines((await readStream(process.stdin, 64 * 1024)).toString('utf8'))
            : undefined;
        const material = await readUnsealMaterial(sealKind, flags, {
          env: process.env,
          ...(stdinShares ? { stdinShares } : {}),
        });
        await store.unseal(material);
        if (remoteAddress(flags, process.env)) {
          const { sealed } = await store.status();
          emit(out, { address: dataDir, unsealed: !sealed, sealed, sealKind }, () =>
            sealed
              ? `the server at ${dataDir} is still sealed`
              : `the server at ${dataDir} is unsealed (${sealKind} seal)`,
          );
          return;
        }
        emit(out, { unsealed: true, sealKind, lockedDown: false }, () =>
          sealKind === 'key-file'
            ? 'unsealed; commands unseal automatically with the key file again'
            : sealKind === 'pkcs11'
              ? 'unsealed; commands unseal automatically through the HSM again (PIN from $HUSH_PKCS11_PIN or a PIN file)'
              : `unsealed; the ${sealKind} material is correct (local commands need it on each run: see docs/cli.md)`,
        );
      });
    });
}

/**
 * `hush unseal` against a server. Shamir: one share per call, kept on the node until the threshold (as Vault), read
 * without echo on a terminal, else one line from stdin, so `for i in 1 2 3; do hush unseal; done` works typed or
 * piped; `--shares-file` sends a whole set at once. Other seals send their material (or nothing) in one call.
 */
async function remoteUnseal(address: string, flags: LocalFlags, reset: boolean): Promise<void> {
  const client = remoteClient(address, process.env);
  const out = { json: flags.json === true };
  const kind = (await client.status()).kind ?? 'key-file';
  const fromFile = flags.sharesFile ?? process.env['HUSH_UNSEAL_SHARES_FILE'];
  let status: ServerSealStatus;
  if (reset) status = await client.unseal({ reset: true });
  else if (kind === 'shamir' && !fromFile) {
    const { promptHidden, readOneLine } = await import('../io/read-share.js');
    const key = process.stdin.isTTY ? await promptHidden('Unseal share (not echoed): ') : readOneLine();
    if (!key) {
      throw hushError('NO_SHARE_STDIN_TYPE_PROMPT');
    }
    status = await client.unseal({ key });
  } else status = await client.unseal(await readUnsealMaterial(kind, flags, { env: process.env }));
  emit(out, { address, unsealed: !status.sealed, ...status, sealKind: kind }, () => {
    if (!status.sealed) return `the server at ${address} is unsealed (${kind} seal)`;
    if (status.progress !== undefined && status.threshold !== undefined)
      return reset
        ? `unseal progress reset on ${address}`
        : `unseal progress ${status.progress}/${status.threshold} on ${address}; run \`hush unseal\` again with another share`;
    return `the server at ${address} is still sealed`;
  });
}
