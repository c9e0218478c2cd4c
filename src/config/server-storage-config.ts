import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { hushError } from '../core/errors/index.js';
import { parseDynamoConfig } from '../storage/dynamodb/dynamo-config.js';
import { parsePostgresConfig } from '../storage/postgres/postgres-config.js';
import type { ServerConfigInput, ServerStorageConfig } from './server-config-schema.js';

/**
 * Resolve the `storage` section: the SQLite path under dataDir, or the PostgreSQL URL (inline, HUSH_STORAGE_URL, or
 * read from `urlFile`, e.g. a mounted secret) validated once here. Messages never echo the URL: they name the
 * setting or the file, and after validation only `host:port/database`.
 */
export function resolveStorageConfig(
  input: ServerConfigInput['storage'],
  cwd: string,
  sqliteDefault: string,
): ServerStorageConfig {
  if (input.kind === 'sqlite')
    return { kind: 'sqlite', path: input.path ? resolve(cwd, input.path) : sqliteDefault };
  if (input.kind === 'dynamodb') {
    const dynamo = parseDynamoConfig(input);
    return { ...dynamo, kind: 'dynamodb' };
  }
  if ((input.url === undefined) === (input.urlFile === undefined)) {
    throw hushError('STORAGE_KIND_POSTGRES_NEEDS_EXACTLY', {
      value: input.url === undefined ? 'neither' : 'both',
    });
  }
  const url = input.url ?? readUrlFile(resolve(cwd, input.urlFile!));
  const parsed = parsePostgresConfig({
    url,
    poolSize: input.poolSize,
    connectTimeoutMs: input.connectTimeoutMs,
    statementTimeoutMs: input.statementTimeoutMs,
  });
  return {
    kind: 'postgres',
    url: parsed.url,
    target: parsed.target,
    poolSize: parsed.poolSize,
    connectTimeoutMs: parsed.connectTimeoutMs,
    statementTimeoutMs: parsed.statementTimeoutMs,
  };
}

/** The URL in `file` (first non-empty line); the file's content is never put in a message. */
function readUrlFile(file: string): string {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? 'unreadable';
    throw hushError('CANNOT_READ_STORAGE_URL_FILE', { file, code });
  }
  const line = text.split('\n').find((l) => l.trim() !== '');
  if (line === undefined) {
    throw hushError('STORAGE_URL_FILE_EMPTY', { file });
  }
  return line.trim();
}
