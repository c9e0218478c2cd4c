import type { Command } from 'commander';
import { hushError } from '../../core/errors/index.js';
import { writeSecretFileAtomic } from '../../fs/atomic-file.js';
import { mapSecretsToEnv, parseMapFlags } from '../../inject/env-names.js';
import { checkExportEnvNames } from '../../inject/export-env-names.js';
import { type MappingFlags, mappingOptionsOf, withMappingOptions } from '../../inject/mapping-flags.js';
import { type InjectStore, readPrefixed } from '../../inject/read-secrets.js';
import type { ExportResult } from '../../store/index.js';
import { documentFormat } from '../io/document-format.js';
import { emit } from '../io/output.js';
import { withLocalOptions } from '../local/local-options.js';
import { runLocal } from '../local/run-local.js';

interface ExportFlags extends MappingFlags {
  format?: string;
  name?: string;
  namespace?: string;
  out?: string;
  recursive?: boolean;
  reveal?: boolean;
}

const K8S_FORMATS = new Set(['k8s-secret', 'k8s']);

/**
 * `hush export PREFIX`: the latest values below a prefix as .env/JSON/YAML (keys as stored), or a Kubernetes Secret
 * manifest (keys mapped to env names as `hush run` does), to stdout or a 0600 file.
 */
export function registerExport(program: Command): void {
  withMappingOptions(withLocalOptions(program.command('export <prefix>')))
    .description(
      'export the latest values below a prefix as env, json, yaml or k8s-secret (the output is secret)',
    )
    .option('--format <format>', 'env, json, yaml or k8s-secret (default: from --out extension, else env)')
    .option('--name <name>', 'k8s-secret: metadata.name (default: the prefix, e.g. payments-prod)')
    .option('--namespace <ns>', 'k8s-secret: metadata.namespace')
    .option('--out <file>', 'write to this file (mode 0600) instead of stdout')
    .option('-r, --recursive', 'include sub-folders (keys are relative paths; json/yaml)')
    .option('--reveal', 'allow printing the values to a terminal')
    .action(async (prefix: string, opts: ExportFlags, cmd: Command) => {
      const k8s = opts.format !== undefined && K8S_FORMATS.has(opts.format.toLowerCase());
      const format = k8s ? 'k8s-secret' : documentFormat(opts.format, opts.out);
      checkFlagsForFormat(opts, k8s, format);
      await runLocal(cmd, 'unsealed', async ({ store }, out) => {
        if (opts.out === undefined && process.stdout.isTTY === true && opts.reveal !== true) {
          throw hushError('EXPORT_WOULD_PRINT_SECRET_VALUES');
        }
        const result =
          format === 'k8s-secret'
            ? await exportK8s(store, prefix, opts)
            : withSecretCount(
                await store.exportSecrets(prefix, { format, recursive: opts.recursive === true }),
              );
        for (const s of result.skipped) process.stderr.write(`hush: skipped ${s.path}: ${s.reason}\n`);
        if (format === 'env' || format === 'dotenv') {
          // Refused before anything is written or printed: the document is discarded.
          const map = parseMapFlags(opts.map ?? []);
          for (const c of checkExportEnvNames(result.exported, prefix, map, process.env))
            process.stderr.write(
              `hush: ${c.name} from ${c.source} is also set in this environment; loading the export replaces it (or, with dotenv's default, is ignored)\n`,
            );
        }
        if (opts.out !== undefined) {
          await writeSecretFile(opts.out, result.text);
          emit(
            out,
            { out: opts.out, format, exported: result.exported, skipped: result.skipped },
            () => `exported ${exportedSummary(result.secretCount, result.exported.length)} to ${opts.out}`,
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

/** The Secret manifest of a prefix: values read like `hush run`, names mapped by the same rules. */
async function exportK8s(store: InjectStore, prefix: string, opts: ExportFlags) {
  const { secrets, skipped } = await readPrefixed(store, [prefix], opts.recursive === true);
  const vars = mapSecretsToEnv(secrets, mappingOptionsOf(opts));
  // Loaded on use (it pulls in yaml), so other commands do not pay for it at start-up.
  const { k8sNameOf, renderK8sSecret } = await import('../../inject/k8s-secret.js');
  const text = renderK8sSecret(
    {
      name: opts.name ?? k8sNameOf(prefix),
      ...(opts.namespace !== undefined ? { namespace: opts.namespace } : {}),
    },
    vars,
  );
  return { text, exported: vars.map((v) => v.name), skipped, secretCount: secrets.length };
}

/** A .env/JSON/YAML export holds one key per secret. */
function withSecretCount(result: ExportResult): ExportResult & { secretCount: number } {
  return { ...result, secretCount: result.exported.length };
}

/** "1 secret", "2 secrets", or "2 secrets (3 keys)" when JSON secrets expanded into several keys. */
export function exportedSummary(secrets: number, keys: number): string {
  const base = `${secrets} ${secrets === 1 ? 'secret' : 'secrets'}`;
  return keys === secrets ? base : `${base} (${keys} ${keys === 1 ? 'key' : 'keys'})`;
}

/**
 * Mapping and manifest flags only mean something for k8s-secret; elsewhere keys are kept as stored, except that env
 * and dotenv exports take `--map KEY=KEY` to let a denylisted key through (see checkExportEnvNames).
 */
function checkFlagsForFormat(opts: ExportFlags, k8s: boolean, format: string): void {
  if (k8s) return;
  const envStyle = format === 'env' || format === 'dotenv';
  const given = [
    opts.map?.length && !envStyle ? '--map' : '',
    opts.include?.length ? '--include' : '',
    opts.exclude?.length ? '--exclude' : '',
    opts.envPrefix !== undefined ? '--env-prefix' : '',
    opts.name !== undefined ? '--name' : '',
    opts.namespace !== undefined ? '--namespace' : '',
  ].filter((f) => f !== '');
  if (given.length > 0) {
    throw hushError('APPLY_FORMAT_K8S_SECRET_ONLY', { given: given.join(', ') });
  }
}

/** Write exported secrets: a new 0600 file renamed into place; a symbolic link at `path` is refused, never followed. */
async function writeSecretFile(path: string, text: string): Promise<void> {
  await writeSecretFileAtomic(path, text, '--out');
}
