import { isHushError } from '../../core/errors/hush-error.js';
import {
  type DocumentEntry,
  type DocumentFormat,
  formatDocument,
  isKeyWritable,
} from '../../core/secrets/document-codec.js';
import type { StoreContext } from '../context.js';
import { createGetSecret } from './get-secret.js';
import { createListSecrets } from './list-secrets.js';

/** Options of export. */
export interface ExportOptions {
  readonly format: DocumentFormat;
  /** Include secrets in sub-folders, keyed by their relative path (JSON/YAML; such keys are not valid .env names). */
  readonly recursive?: boolean;
}

/** The exported document and what was left out (and why). */
export interface ExportResult {
  /** The document: it holds secret values, so callers must treat it as a secret. */
  readonly text: string;
  readonly exported: string[];
  readonly skipped: { readonly path: string; readonly reason: string }[];
}

/** Build `export`: the latest readable version of every secret below a prefix, as .env, JSON or YAML. */
export function createExportSecrets(ctx: Pick<StoreContext, 'io' | 'backend' | 'barrier'>) {
  const list = createListSecrets(ctx);
  const get = createGetSecret(ctx);
  return async function exportSecrets(prefix: string, options: ExportOptions): Promise<ExportResult> {
    const entries: DocumentEntry[] = [];
    const skipped: { path: string; reason: string }[] = [];
    let cursor: string | undefined;
    do {
      const page = await list(prefix, {
        recursive: options.recursive ?? false,
        limit: 1000,
        ...(cursor ? { cursor } : {}),
      });
      for (const entry of page.entries) {
        if (entry.kind === 'folder') continue;
        if (!isKeyWritable(options.format, entry.name)) {
          skipped.push({
            path: entry.path,
            reason: `"${entry.name}" is not a valid ${options.format === 'env' ? 'shell variable' : '.env'} name; export as json or yaml`,
          });
          continue;
        }
        try {
          entries.push({ key: entry.name, value: (await get(entry.path)).value, source: entry.path });
        } catch (err) {
          if (!isHushError(err, 'HUSH_E_DELETED') && !isHushError(err, 'HUSH_E_DESTROYED')) throw err;
          skipped.push({
            path: entry.path,
            reason: `its latest version is ${err.code === 'HUSH_E_DELETED' ? 'deleted' : 'destroyed'}`,
          });
        }
      }
      cursor = page.cursor;
    } while (cursor);
    return { text: formatDocument(options.format, entries), exported: entries.map((e) => e.key), skipped };
  };
}
