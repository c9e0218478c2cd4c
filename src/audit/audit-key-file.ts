import { randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { hushError } from '../core/errors/index.js';

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
    throw hushError('CANNOT_CREATE_AUDIT_KEY_FILE', { path, code });
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
    throw hushError('CANNOT_READ_AUDIT_KEY_FILE', { path, value: code ?? 'unreadable' });
  }
  const key = Buffer.from(text, 'base64');
  if (key.length !== KEY_BYTES) {
    throw hushError('AUDIT_KEY_FILE_HOLDS_BYTES', { path, length: key.length, keyBytes: KEY_BYTES });
  }
  return key;
}
