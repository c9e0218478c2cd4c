import { chmod, writeFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { HushError } from '../../core/errors/hush-error.js';
import { documentFormat } from '../io/document-format.js';
import { emit } from '../io/output.js';
import { withLocalOptions } from '../local/local-options.js';
import { runLocal } from '../local/run-local.js';

interface ExportFlags {
  format?: string;
  out?: string;
  recursive?: boolean;
  reveal?: boolean;
}

/** `hush export PREFIX`: the latest values below a prefix as .env/JSON/YAML, to stdout or a 0600 file. */
export function registerExport(program: Command): void {
  withLocalOptions(program.command('export <prefix>'))
    .description('export the latest values below a prefix as env, json or yaml (the output is secret)')
    .option('--format <format>', 'env, json or yaml (default: from --out extension, else env)')
    .option('--out <file>', 'write to this file (mode 0600) instead of stdout')
    .option('-r, --recursive', 'include sub-folders (keys are relative paths; json/yaml)')
    .option('--reveal', 'allow printing the values to a terminal')
    .action(async (prefix: string, opts: ExportFlags, cmd: Command) => {
      const format = documentFormat(opts.format, opts.out);
      await runLocal(cmd, 'unsealed', async ({ store }, out) => {
        if (opts.out === undefined && process.stdout.isTTY === true && opts.reveal !== true) {
          throw new HushError(
            'HUSH_E_USAGE',
            'export would print secret values to the terminal; use --out FILE, redirect stdout, or pass --reveal',
          );
        }
        const result = await store.exportSecrets(prefix, { format, recursive: opts.recursive === true });
        for (const s of result.skipped) process.stderr.write(`hush: skipped ${s.path}: ${s.reason}\n`);
        if (opts.out !== undefined) {
          await writeSecretFile(opts.out, result.text);
          emit(
            out,
            { out: opts.out, format, exported: result.exported, skipped: result.skipped },
            () => `exported ${result.exported.length} secret(s) to ${opts.out}`,
          );
          return;
        }
        emit(
          out,
          { format, exported: result.exported, skipped: result.skipped, text: result.text },
          () => result.text,
        );
      });
    });
}

/** Write exported secrets: created 0600, and an existing file is narrowed to 0600 before it is filled. */
async function writeSecretFile(path: string, text: string): Promise<void> {
  try {
    await writeFile(path, '', { mode: 0o600, flag: 'a' });
    await chmod(path, 0o600);
    await writeFile(path, text, { mode: 0o600 });
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? 'error';
    throw new HushError(
      'HUSH_E_INVALID_INPUT',
      `cannot write ${path} (${code}); choose a writable path for --out`,
    );
  }
}
