import { randomBytes } from 'node:crypto';

// PostgreSQL truncates identifiers at 63 bytes; staying below keeps the generated name exactly what we store.
const MAX_IDENTIFIER = 63;

/**
 * A fresh database role name `h_<engine>_<role>_<random>` of [a-z0-9_] only (never user-chosen, so it needs no
 * quoting to be safe; it is quoted anyway). 64 random bits make collisions negligible.
 */
export function generateUsername(engine: string, role: string): string {
  const clean = (s: string, n: number) => s.replace(/[^a-z0-9]/g, '_').slice(0, n);
  const random = randomBytes(8).toString('hex');
  return `h_${clean(engine, 16)}_${clean(role, 20)}_${random}`.slice(0, MAX_IDENTIFIER);
}

/** A CSPRNG password: 32 random bytes as base64url (43 characters, no quote or backslash to mishandle). */
export function generatePassword(): string {
  return randomBytes(32).toString('base64url');
}

/** Whether `text` has the shape of a {@link generatePassword} password (what a scan sends to find a leaked lease). */
export const hasLeasePasswordShape = (text: string): boolean => /^[A-Za-z0-9_-]{43}$/.test(text);
