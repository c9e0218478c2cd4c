import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { hushError } from '../../core/errors/index.js';
import { documentFormat } from '../io/document-format.js';
import { emit, table } from '../io/output.js';
import { readStream } from '../io/read-stream.js';
import { localActor, withLocalOptions } from '../local/local-options.js';
import { runLocal } from '../local/run-local.js';

const MAX_DOCUMENT_BYTES = 16 * 1024 * 1024;

/** `hush import PREFIX [FILE]`: one secret per top-level key; per-key report; exit 2 if any key failed. */
export function registerImport(program: Command): void {
  withLocalOptions(program.command('import <prefix> [file]'))
    .description('import a .env, JSON or YAML document (file or stdin) below project/environment[/path]')
    .option('--format <format>', 'env, json or yaml (default: from the file extension, else env)')
    .option('--overwrite', 'write a new version over existing secrets whose value differs')
    .action(
      async (
        prefix: string,
        file: string | undefined,
        opts: { format?: string; overwrite?: boolean },
        cmd: Command,
      ) => {
        const format = documentFormat(opts.format, file);
        const text = file === undefined ? await readStdinDocument() : await readDocument(file);
        await runLocal(cmd, 'unsealed', async ({ store }, out) => {
          const report = await store.importSecrets(prefix, {
            format,
            text,
            actor: localActor(),
            overwrite: opts.overwrite === true,
          });
          emit(out, report, () => {
            const rows = report.outcomes.map((o) => [
              o.key,
              o.status,
              o.version ? String(o.version) : '',
              o.message ?? '',
            ]);
            const errors = report.errors.map(
              (e) => `error${e.line ? ` (line ${e.line})` : ''}${e.key ? ` ${e.key}` : ''}: ${e.message}`,
            );
            const counts = Object.entries(report.counts)
              .map(([k, v]) => `${v} ${k}`)
              .join(', ');
            return [table(['KEY', 'STATUS', 'VERSION', 'NOTE'], rows), ...errors, counts].join('\n');
          });
          if (report.counts.failed > 0 || report.errors.length > 0) {
            process.stderr.write(
              `hush: import finished with ${report.counts.failed} failed key(s) and ${report.errors.length} document error(s) [HUSH_E_INVALID_INPUT]\n`,
            );
            process.exitCode = 2;
          }
        });
      },
    );
}

async function readStdinDocument(): Promise<string> {
  if (process.stdin.isTTY) throw hushError('NO_DOCUMENT_GIVEN');
  return (await readStream(process.stdin, MAX_DOCUMENT_BYTES)).toString('utf8');
}

async function readDocument(file: string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? 'error';
    throw hushError('CANNOT_READ_FILE_CODE', { file, code });
  }
}
