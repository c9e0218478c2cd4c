import { rename, rm } from 'node:fs/promises';
import type { Command } from 'commander';
import { emit } from '../io/output.js';
import { withLocalOptions } from '../local/local-options.js';
import { runLocal } from '../local/run-local.js';
import { remoteAddress } from '../remote/remote-address.js';
import { describeMaterial, initSeal } from './init.js';
import { registerOperatorGenerateRoot } from './operator-generate-root.js';
import { registerOperatorHsm } from './operator-hsm.js';
import { registerOperatorMigrate } from './operator-migrate.js';
import { type RotateRootFlags, rotateServerRoot } from './operator-rotate-root-remote.js';
import { registerOperatorSnapshot } from './operator-snapshot.js';

/**
 * `hush operator rotate-root`: new root key under a fresh seal of the same kind; prints the new one-time material.
 * Also registers `operator migrate` and `operator snapshot save|restore|verify` (operator-*.ts).
 */
export function registerOperator(program: Command): void {
  const operator = program.command('operator').description('operator tasks');
  withLocalOptions(operator.command('rotate-root'))
    .description('replace the root key and its unseal material (old shares/keys stop working)')
    .option('--shares <n>', 'shamir: number of new shares (default 5)')
    .option('--threshold <k>', 'shamir: shares needed (default 3)')
    .option('--public-key <file>', 'rsa: public key to seal the new root key to (required for rsa)')
    .option(
      '--pkcs11-token <label>',
      'pkcs11: token holding the key to wrap the new root key (required for pkcs11)',
    )
    .option('--pkcs11-key <label>', 'pkcs11: AES key to wrap the new root key with (required for pkcs11)')
    .action(async (opts: RotateRootFlags, cmd: Command) => {
      await runLocal(cmd, 'unsealed', async ({ store, sealKind, keyFile }, out, flags) => {
        const address = remoteAddress(flags, process.env);
        if (address !== undefined) return rotateServerRoot(address, opts, out);
        // The key-file seal never overwrites a key file: write the new key beside it and rename after the commit.
        // An unsealed store means keyFile is current, so a leftover `.next` is from a rotation that never committed.
        const next = `${keyFile}.next`;
        if (sealKind === 'key-file') await rm(next, { force: true });
        const seal = await initSeal({ seal: sealKind, ...opts }, next, flags);
        const result = await store.rotateRoot({ seal });
        if (sealKind === 'key-file') await rename(next, keyFile);
        const { RsaSeal } = await import('../../seal/index.js');
        const fingerprint = seal instanceof RsaSeal ? seal.fingerprint : undefined;
        if (result.warning) process.stderr.write(`hush: warning: ${result.warning}\n`);
        emit(out, { rotated: true, ...result, ...(fingerprint ? { fingerprint } : {}) }, () =>
          describeMaterial(
            'rotated the root key; the old unseal material no longer works',
            result,
            fingerprint,
          ),
        );
      });
    });
  registerOperatorMigrate(operator);
  registerOperatorSnapshot(operator);
  registerOperatorHsm(operator);
  registerOperatorGenerateRoot(operator);
}
