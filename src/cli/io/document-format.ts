import { extname } from 'node:path';
import { hushError } from '../../core/errors/index.js';
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
    if (!format) throw hushError('FORMAT_MUST_ENV_DOTENV_JSON', { flag });
    return format;
  }
  const ext = file ? extname(file).slice(1).toLowerCase() : '';
  return BY_NAME[ext] ?? 'env';
}
