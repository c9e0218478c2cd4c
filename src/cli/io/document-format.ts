import { extname } from 'node:path';
import { HushError } from '../../core/errors/hush-error.js';
import type { DocumentFormat } from '../../core/secrets/document-codec.js';

const BY_NAME: Readonly<Record<string, DocumentFormat>> = {
  env: 'env',
  dotenv: 'dotenv',
  json: 'json',
  yaml: 'yaml',
  yml: 'yaml',
};

/** The document format from `--format env|dotenv|json|yaml`, else from the file's extension, else env (shell). */
export function documentFormat(flag: string | undefined, file?: string): DocumentFormat {
  if (flag !== undefined) {
    const format = BY_NAME[flag.toLowerCase()];
    if (!format)
      throw new HushError('HUSH_E_USAGE', `--format must be env, dotenv, json or yaml, found "${flag}"`);
    return format;
  }
  const ext = file ? extname(file).slice(1).toLowerCase() : '';
  return BY_NAME[ext] ?? 'env';
}
