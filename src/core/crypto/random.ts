import { randomBytes } from 'node:crypto';

/** Length in bytes of every symmetric key Hush uses (AES-256). */
export const KEY_BYTES = 32;

/** A fresh 256-bit key from the CSPRNG. */
export function generateKey(): Buffer {
  return randomBytes(KEY_BYTES);
}

/** Overwrite key material in place so it does not linger in memory after use. */
export function wipe(buf: Uint8Array | undefined): void {
  buf?.fill(0);
}
