import type { Command } from 'commander';
import { emit } from '../io/output.js';
import { withLocalOptions } from '../local/local-options.js';
import { runLocal } from '../local/run-local.js';
import { registerKeyProtection } from './keys-protect.js';

/**
 * `hush keys rotate PROJECT/ENV`: add a KEK version, then rewrap every data key to it (unless --no-rewrap); plus the
 * key-protection commands (status, BYOK import, revoke-imported, use-root, use-hsm).
 */
export function registerKeys(program: Command): void {
  const keys = program
    .command('keys')
    .description('key-encryption keys (one keyring per project/environment)');
  withLocalOptions(keys.command('rotate <scope>'))
    .description('add a new KEK version for project/environment and rewrap existing data keys to it')
    .option('--no-rewrap', 'only add the version; old data keys stay on older KEK versions')
    .option('--prune', 'after a complete rewrap, drop KEK versions nothing uses any more')
    .action(async (scope: string, opts: { rewrap: boolean; prune?: boolean }, cmd: Command) => {
      await runLocal(cmd, 'unsealed', async ({ store }, out) => {
        const keyring = await store.rotateKek(scope);
        const rewrap = opts.rewrap ? await store.rewrap(scope, { prune: opts.prune === true }) : undefined;
        emit(out, { keyring: rewrap?.keyring ?? keyring, ...(rewrap ? { rewrap } : {}) }, () => {
          const lines = [`${keyring.scope}: new KEK version ${keyring.current}`];
          if (rewrap) {
            lines.push(
              `rewrapped ${rewrap.rewrapped} data key(s) in ${rewrap.secrets} secret(s); ${rewrap.alreadyCurrent} already current; ${rewrap.metadataRewrapped} metadata row(s) rewrapped`,
            );
            if (rewrap.prunedVersions.length > 0)
              lines.push(`pruned KEK version(s) ${rewrap.prunedVersions.join(', ')}`);
          } else
            lines.push(
              'rewrap skipped (--no-rewrap): old data keys stay on their KEK versions and still open',
            );
          return lines.join('\n');
        });
      });
    });
  registerKeyProtection(keys);
}
