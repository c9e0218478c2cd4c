import type { Command } from 'commander';
import { registerVersionChange } from './version-change.js';

/** `hush undelete ADDRESS`: restore soft-deleted versions. */
export function registerUndelete(program: Command): void {
  registerVersionChange(
    program,
    'undelete',
    'restore soft-deleted versions (default the latest)',
    'restored',
  );
}
