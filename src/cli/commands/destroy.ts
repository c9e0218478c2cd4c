import type { Command } from 'commander';
import { registerVersionChange } from './version-change.js';

/** `hush destroy ADDRESS`: crypto-shred versions for good. */
export function registerDestroy(program: Command): void {
  registerVersionChange(
    program,
    'destroy',
    'destroy versions for good (crypto-shredding; cannot be undone)',
    'destroyed',
  );
}
