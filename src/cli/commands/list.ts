import type { Command } from 'commander';
import type { ListEntry } from '../../store/index.js';
import { emit } from '../io/output.js';
import { parseLimit } from '../io/parse-options.js';
import { withLocalOptions } from '../local/local-options.js';
import { runLocal } from '../local/run-local.js';

interface ListFlags {
  recursive?: boolean;
  limit?: string;
  cursor?: string;
}

/** `hush list [PREFIX]`: names below a prefix; every page unless --limit is given (then one page and its cursor). */
export function registerList(program: Command): void {
  withLocalOptions(program.command('list [prefix]'))
    .description('list secrets below a prefix (folders end with /)')
    .option('-r, --recursive', 'list every secret below the prefix')
    .option('--limit <n>', 'one page of at most n entries (prints the cursor of the next page)')
    .option('--cursor <cursor>', 'continue from a previous page')
    .action(async (prefix: string | undefined, opts: ListFlags, cmd: Command) => {
      await runLocal(cmd, 'unsealed', async ({ store }, out) => {
        const base = { recursive: opts.recursive === true };
        const entries: ListEntry[] = [];
        let cursor = opts.cursor;
        do {
          const page = await store.list(prefix ?? '', {
            ...base,
            ...(cursor !== undefined ? { cursor } : {}),
            ...(opts.limit !== undefined ? { limit: parseLimit(opts.limit) } : {}),
          });
          entries.push(...page.entries);
          cursor = page.cursor;
        } while (cursor !== undefined && opts.limit === undefined);
        if (cursor !== undefined && !out.json)
          process.stderr.write(`hush: more entries: --cursor ${cursor}\n`);
        emit(out, { entries, ...(cursor !== undefined ? { cursor } : {}) }, () =>
          entries.map((e) => e.path).join('\n'),
        );
      });
    });
}
