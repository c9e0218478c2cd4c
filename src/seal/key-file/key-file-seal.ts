import { createHash, timingSafeEqual } from 'node:crypto';
import { mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { z } from 'zod';
import { openAead, sealAead } from '../../core/crypto/aead.js';
import { generateKey, KEY_BYTES, wipe } from '../../core/crypto/random.js';
import { hushError } from '../../core/errors/index.js';
import type { Seal, SealInitResult, SealRecord, UnsealMaterial } from '../seal.js';
import type { KeyFileSealConfig } from './key-file-config.js';

const FILE_PREFIX = 'hush-key-file-v1:';
/** The environment variable that accepts a key file others may read (see KeyFileSealConfig.allowLooseMode). */
export const LOOSE_KEY_FILE_ENV = 'HUSH_ALLOW_LOOSE_KEY_FILE';

/** Whether the environment accepts a key file others may read (`1`/`true`/`yes`/`on`, as server booleans read). */
export function looseKeyFileAllowed(env: NodeJS.ProcessEnv): boolean {
  return ['1', 'true', 'yes', 'on'].includes((env[LOOSE_KEY_FILE_ENV] ?? '').trim().toLowerCase());
}
const FILE_PATTERN = /^hush-key-file-v1:([A-Za-z0-9+/]{43}=)\n?$/;
const ROOT_AAD = { purpose: 'root-key', seal: 'key-file' } as const;

const recordSchema = z.object({
  kind: z.literal('key-file'),
  format: z.literal(1),
  fingerprint: z.string().regex(/^[0-9a-f]{64}$/),
  sealedRoot: z.string().min(1),
});

/**
 * Protects the root key with a random 256-bit key kept in a file (mode 0600). The file sits beside the data, so
 * anyone who can read both can read every secret: this seal is for development and embedded use only.
 *
 * @example
 * const seal = new KeyFileSeal({ path: '/var/lib/hush/root.key' });
 */
export class KeyFileSeal implements Seal {
  readonly kind = 'key-file' as const;
  /** Shown by the CLI whenever this seal is in use. */
  readonly warning =
    'the key-file seal keeps the key that protects the root key in a file beside the data: anyone who can read both can read every secret. Use it for development and embedded use only; use the shamir or rsa seal in production';

  constructor(private readonly config: KeyFileSealConfig) {}

  /** Write a fresh key file (refusing to overwrite one) and return the root key sealed under it. */
  async init(rootKey: Uint8Array): Promise<SealInitResult> {
    const key = generateKey();
    try {
      await mkdir(dirname(this.config.path), { recursive: true, mode: 0o700 });
      try {
        await writeFile(this.config.path, `${FILE_PREFIX}${key.toString('base64')}\n`, {
          mode: 0o600,
          flag: 'wx',
        });
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'EEXIST') {
          throw hushError('KEY_FILE_ALREADY_EXISTS_WILL', { path: this.config.path });
        }
        throw err;
      }
      const record: SealRecord = {
        kind: 'key-file',
        format: 1,
        fingerprint: fingerprint(key),
        sealedRoot: sealAead(key, rootKey, ROOT_AAD).toString('base64'),
      };
      return { record };
    } finally {
      wipe(key);
    }
  }

  /** Read the key file and recover the root key (no operator material needed); failures are HUSH_E_UNSEAL_FAILED. */
  async unseal(record: SealRecord, _material?: UnsealMaterial): Promise<Buffer> {
    const parsed = recordSchema.safeParse(record);
    if (!parsed.success) {
      throw hushError('STORED_SEAL_RECORD_NOT_KEY', { kind: String(record.kind) });
    }
    const key = await this.readKey();
    try {
      const expected = Buffer.from(parsed.data.fingerprint, 'hex');
      if (!timingSafeEqual(Buffer.from(fingerprint(key), 'hex'), expected)) {
        throw hushError('KEY_FILE_NOT_KEY_STORE', { path: this.config.path });
      }
      try {
        return openAead(key, Buffer.from(parsed.data.sealedRoot, 'base64'), ROOT_AAD, 'sealed root key');
      } catch {
        throw hushError('SEAL_SEALED_ROOT_KEY_NOT_OPEN');
      }
    } finally {
      wipe(key);
    }
  }

  private async readKey(): Promise<Buffer> {
    let text: string;
    try {
      text = await readFile(this.config.path, 'utf8');
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'ENOENT') {
        throw hushError('KEY_FILE_NOT_EXIST', { path: this.config.path });
      }
      throw hushError('KEY_FILE_CANNOT_READ', { path: this.config.path, code: code ?? 'error' });
    }
    const match = FILE_PATTERN.exec(text);
    const key = match ? Buffer.from(match[1] as string, 'base64') : undefined;
    if (!key || key.length !== KEY_BYTES) {
      throw hushError('KEY_FILE_CORRUPTED_BYTES_EXPECTED', {
        path: this.config.path,
        byteLength: Buffer.byteLength(text),
        filePrefix: FILE_PREFIX,
      });
    }
    // A key other users could read unlocks every secret: refuse it (and say how to fix it) rather than use it. A mount
    // whose mode cannot be changed (Kubernetes Secret volumes) may be accepted explicitly, but never a writable one.
    const mode = (await stat(this.config.path)).mode & 0o777;
    const loose = this.config.allowLooseMode === true ? mode & 0o022 : mode & 0o077;
    if (loose !== 0) {
      wipe(key);
      const facts = { path: this.config.path, mode: mode.toString(8) };
      throw (mode & 0o022) !== 0
        ? hushError('KEY_FILE_WRITABLE_BY_OTHERS', facts)
        : hushError('KEY_FILE_MODE_SO_OTHER', { ...facts, env: LOOSE_KEY_FILE_ENV });
    }
    return key;
  }
}

function fingerprint(key: Uint8Array): string {
  return createHash('sha256').update('hush-key-file-fingerprint\0').update(key).digest('hex');
}
