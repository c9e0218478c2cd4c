import type { Command } from 'commander';
import { registerVersionChange } from './version-change.js';

/** `hush delete ADDRESS`: soft-delete versions (reversible with undelete). */
export function registerDelete(program: Command): void {
  registerVersionChange(
    program,
    'delete',
    'soft-delete versions (default the latest); `hush undelete` restores them',
    'deleted',
  );
}
