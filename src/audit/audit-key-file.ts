import { randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { HushError } from '../core/errors/hush-error.js';

const KEY_BYTES = 32;

/** Name of the audit HMAC key file in the data directory. */
export const AUDIT_KEY_FILE = 'audit-hmac.key';

/**
 * The audit HMAC key: random, created on first start, kept in a 0600 file beside the data. It lives outside the
 * barrier because the audit trail must record requests while the store is sealed too (unseal attempts, denials).
 * The fields it protects are high-entropy (tokens, ids), so the key guards against dictionary matching only; an
 * investigator with the data directory can match a value with `hush audit hash`.
 */
export async function loadOrCreateAuditKey(path: string): Promise<Buffer> {
  const existing = await readAuditKey(path);
  if (existing) return existing;
  const key = randomBytes(KEY_BYTES);
  try {
    await mkdir(dirname(path), { recursive: true, mode: 0o700 });
    await writeFile(path, `${key.toString('base64')}\n`, { mode: 0o600, flag: 'wx' });
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? 'error';
    if (code === 'EEXIST') return loadOrCreateAuditKey(path);
    throw new HushError(
      'HUSH_E_CONFIG',
      `cannot create audit key file ${path} (${code}); check that the data directory is writable`,
    );
  }
  return key;
}

/** Read the audit HMAC key file; undefined when it does not exist (never creates one: `hush audit hash` reads only). */
export async function readAuditKey(path: string): Promise<Buffer | undefined> {
  let text: string;
  try {
    text = (await readFile(path, 'utf8')).trim();
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return undefined;
    throw new HushError(
      'HUSH_E_CONFIG',
      `cannot read audit key file ${path} (${code ?? 'unreadable'}); check its permissions`,
    );
  }
  const key = Buffer.from(text, 'base64');
  if (key.length !== KEY_BYTES) {
    throw new HushError(
      'HUSH_E_CONFIG',
      `audit key file ${path} holds ${key.length} bytes, expected ${KEY_BYTES}; restore it from a backup (records already written can only be matched with the original key)`,
    );
  }
  return key;
}
