// Where the codemod works: this repository, or the tree given with --root (its own test runs it on a fixture).
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const rootAt = process.argv.indexOf('--root');
export const ROOT =
  rootAt >= 0 ? process.argv[rootAt + 1] : join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const SRC = join(ROOT, 'src');
export const ERRORS_DIR = join(SRC, 'core', 'errors');
export const MESSAGES_DIR = join(ERRORS_DIR, 'messages');
export const AGGREGATE = join(ERRORS_DIR, 'message-catalogue.ts');
export const CHECK = process.argv.includes('--check');
