import type { Command } from 'commander';
import { emit } from '../io/output.js';
import { readStream } from '../io/read-stream.js';
import { withLocalOptions } from '../local/local-options.js';
import { runLocal } from '../local/run-local.js';
import { parseShareLines, readUnsealMaterial } from '../local/unseal-material.js';
import { remoteAddress } from '../remote/remote-mode.js';

/**
 * `hush unseal`: verify the unseal material and clear the lockdown set by `hush seal`. With HUSH_ADDR the material
 * (shares, or the PEM private key read here) is posted to the server, which unseals itself for every client.
 */
export function registerUnseal(program: Command): void {
  withLocalOptions(program.command('unseal'))
    .description(
      'check the unseal material (shares on stdin or --shares-file, or --private-key) and lift the lockdown',
    )
    .action(async (_opts: unknown, cmd: Command) => {
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
