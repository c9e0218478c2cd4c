import { isHushError } from '../../core/errors/hush-error.js';
import { hushError } from '../../core/errors/index.js';
import { formatPrefix, parseAddress, parsePrefix } from '../../core/secrets/address.js';
import { type DocumentError, type DocumentFormat, parseDocument } from '../../core/secrets/document-codec.js';
import { assertSecretValue, encodeValue } from '../../core/secrets/value-codec.js';
import type { StoreContext } from '../context.js';
import { createVersionWriter } from './put-secret.js';

/** Options of import. */
export interface ImportOptions {
  readonly format: DocumentFormat;
  /** The document text (.env, JSON or YAML). */
  readonly text: string;
  readonly actor: string;
  /** Write a new version over existing secrets whose value differs (default: skip existing secrets). */
  readonly overwrite?: boolean;
}

/** The outcome for one key of the document. */
export interface ImportOutcome {
  readonly key: string;
  readonly path?: string;
  readonly status: 'created' | 'updated' | 'unchanged' | 'skipped' | 'failed';
  readonly version?: number;
  /** Why it was skipped or failed (never contains the value). */
  readonly message?: string;
}

/** Per-key outcomes plus document-level (per-line) parse errors; partial success is normal. */
export interface ImportReport {
  readonly outcomes: ImportOutcome[];
  readonly errors: DocumentError[];
  readonly counts: Readonly<Record<ImportOutcome['status'], number>>;
}

/** Build `import`: one top-level key = one secret at `<prefix>/<key>`; prefix is at least project/environment. */
export function createImportSecrets(
  ctx: Pick<StoreContext, 'io' | 'backend' | 'barrier' | 'clock' | 'limits'>,
) {
  const writeVersion = createVersionWriter(ctx);
  return async function importSecrets(prefix: string, options: ImportOptions): Promise<ImportReport> {
    ctx.barrier.assertUnsealed();
    const parsedPrefix = parsePrefix(prefix);
    if (parsedPrefix.environment === undefined) {
      throw hushError('IMPORT_NEEDS_PROJECT_ENVIRONMENT_PREFIX', {
        parsedPrefix: formatPrefix(parsedPrefix),
        project: parsedPrefix.project,
      });
    }
    const base = formatPrefix(parsedPrefix);
    const { entries, errors } = parseDocument(options.format, options.text);
    const lastIndex = new Map(entries.map((e, i) => [e.key, i]));
    const outcomes: ImportOutcome[] = [];
    for (const [i, entry] of entries.entries()) {
      const { key } = entry;
      if (lastIndex.get(key) !== i) {
        outcomes.push({
          key,
          status: 'skipped',
          message: `${key} appears again later in the document; the last one wins`,
        });
        continue;
      }
      try {
        const address = parseAddress(`${base}/${key}`);
        const path = `${base}/${key}`;
        assertSecretValue(entry.value, key);
        const encoded = encodeValue(entry.value, ctx.limits.maxValueBytes);
        const found = await ctx.io.find(address);
        if (found.meta) {
          if (!options.overwrite) {
            outcomes.push({
              key,
              path,
              status: 'skipped',
              message: `${path} exists; pass overwrite to replace it`,
            });
            continue;
          }
          const latest = found.meta.versions.find((v) => v.version === found.meta.current);
          if (latest?.state === 'active') {
            const current = await ctx.io.readValue(address, found.ring, latest.version);
            const same = current.equals(encoded);
            current.fill(0);
            if (same) {
              outcomes.push({ key, path, status: 'unchanged', version: latest.version });
              continue;
            }
          }
        }
        const cas = found.meta?.current ?? 0;
        const { version } = await writeVersion(address, encoded, { actor: options.actor, cas });
        outcomes.push({ key, path, status: found.meta ? 'updated' : 'created', version });
      } catch (err) {
        // A sealed store or a broken backend fails the whole import; per-key problems are reported and skipped.
        if (!isHushError(err) || err.code === 'HUSH_E_SEALED' || err.code === 'HUSH_E_STORAGE') throw err;
        outcomes.push({ key, status: 'failed', message: `${err.message} [${err.code}]` });
      }
    }
    return { outcomes, errors, counts: countOutcomes(outcomes) };
  };
}

function countOutcomes(outcomes: readonly ImportOutcome[]): Record<ImportOutcome['status'], number> {
  const counts = { created: 0, updated: 0, unchanged: 0, skipped: 0, failed: 0 };
  for (const o of outcomes) counts[o.status] += 1;
  return counts;
}
