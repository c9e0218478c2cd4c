import { timingSafeEqual } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { dirname, relative, resolve } from 'node:path';
import { parse } from 'yaml';
import { z } from 'zod';
import { hushError } from '../core/errors/index.js';
import { findConfig } from './crypt-config.js';

/**
 * The Hush store, as revocation needs it: read a secret's current value and rotate it through its rotation policy.
 * The CLI backs this with the SDK (HUSH_ADDR); without a server there is none and every value is rotated by hand.
 */
export interface StoreRotation {
  current(secret: string): Promise<string | undefined>;
  /** Rotate now; the new value and version, or why not (no policy, hook failed...). */
  rotate(secret: string): Promise<{ value: string; version: number } | { reason: string }>;
}

/** One value of one encrypted file that a store secret manages (`store_values` in the crypt config). */
export interface StoreValue {
  /** The file, resolved against the config's folder. */
  readonly file: string;
  /** The key path in the file, dot-joined as `hush crypt` prints it. */
  readonly path: string;
  /** The store secret's address. */
  readonly secret: string;
}

const schema = z
  .object({
    store_values: z
      .array(z.strictObject({ file: z.string().min(1), path: z.string().min(1), secret: z.string().min(1) }))
      .default([]),
  })
  .passthrough();

/**
 * The `store_values` mapping of the nearest `.sops.yaml`/`.hush-crypt.yaml` (files relative to its folder). A mapping
 * only names a candidate: revocation rotates a value only while the file still holds the store's current value.
 */
export async function storeValuesFor(cwd: string): Promise<StoreValue[]> {
  const source = findConfig(cwd);
  if (!source) return [];
  let parsed: z.infer<typeof schema>;
  try {
    parsed = schema.parse(parse(await readFile(source, 'utf8')) ?? {});
  } catch {
    throw hushError('CRYPT_CONFIG_INVALID', { file: source });
  }
  return parsed.store_values.map((v) => ({ ...v, file: resolve(dirname(source), v.file) }));
}

/** The mapping entry for `path` of `file` (given relative to `cwd`), if any. */
export function storeValueAt(
  values: readonly StoreValue[],
  cwd: string,
  file: string,
  path: string,
): StoreValue | undefined {
  const abs = resolve(cwd, file);
  return values.find((v) => v.path === path && relative(v.file, abs) === '');
}

/** Constant-time: does the file's value equal the store's? (A mismatch means the file is not store-managed.) */
export function sameValue(a: string, b: string): boolean {
  const x = Buffer.from(a, 'utf8');
  const y = Buffer.from(b, 'utf8');
  return x.length === y.length && timingSafeEqual(x, y);
}
