import { hushError } from '../errors/index.js';
import type { CryptFormat, CryptFormatName } from './crypt-format.js';
import { dotenvFormat } from './dotenv-format.js';
import { iniFormat } from './ini-format.js';
import { jsonFormat } from './json-format.js';
import { tomlFormat } from './toml-format.js';
import { yamlFormat } from './yaml-format.js';

/** Every format by name (the `--format` values). */
export const CRYPT_FORMATS: Readonly<Record<CryptFormatName, CryptFormat>> = {
  yaml: yamlFormat,
  json: jsonFormat,
  dotenv: dotenvFormat,
  ini: iniFormat,
  toml: tomlFormat,
};

/**
 * The format of a file: `--format` when given, else by its name (`.yaml`/`.yml`, `.json`, `.env`/`*.env`/`.env.*`,
 * `.ini`, `.toml`). HUSH_E_USAGE when neither says.
 */
export function cryptFormatFor(fileName: string, explicit?: string): CryptFormat {
  if (explicit !== undefined) {
    const f = CRYPT_FORMATS[explicit as CryptFormatName];
    if (!f)
      throw hushError('CRYPT_FORMAT_UNKNOWN', {
        format: explicit,
        formats: Object.keys(CRYPT_FORMATS).join(', '),
      });
    return f;
  }
  const base = fileName.split(/[\\/]/).pop() ?? fileName;
  const lower = base.toLowerCase();
  if (/\.(ya?ml)$/.test(lower)) return yamlFormat;
  if (lower.endsWith('.json')) return jsonFormat;
  if (lower.endsWith('.toml')) return tomlFormat;
  if (lower.endsWith('.ini')) return iniFormat;
  if (lower === '.env' || lower.endsWith('.env') || lower.startsWith('.env.')) return dotenvFormat;
  throw hushError('CRYPT_FORMAT_UNKNOWN_FILE', {
    file: fileName,
    formats: Object.keys(CRYPT_FORMATS).join(', '),
  });
}
