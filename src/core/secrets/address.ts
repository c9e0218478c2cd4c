import type { HushError } from '../errors/hush-error.js';
import { hushError } from '../errors/index.js';

/**
 * Secret addresses: `project/environment/path...`. Paths are visible to storage (they are its keys), so they must
 * stay free of secret material; the rules below keep them printable, unambiguous and bounded.
 */
export const ADDRESS_LIMITS = { segmentChars: 128, totalChars: 512, depth: 32 } as const;

const SEGMENT = /^[A-Za-z0-9._-]+$/;
const BAD_CHAR = /[^A-Za-z0-9._-]/;

/** A parsed secret address. `path` has at least one segment, joined with `/`. */
export interface SecretAddress {
  readonly project: string;
  readonly environment: string;
  readonly path: string;
}

/** A parsed prefix for list/move/export: `project`, `project/env` or `project/env/dir...`. */
export interface AddressPrefix {
  readonly project: string;
  readonly environment?: string;
  readonly path?: string;
}

/**
 * Parse a full secret address (at least 3 segments).
 *
 * @example
 * parseAddress('payments/prod/db/password'); // { project: 'payments', environment: 'prod', path: 'db/password' }
 */
export function parseAddress(text: string): SecretAddress {
  const known = parsedAddresses.get(text);
  if (known !== undefined) return known;
  const segments = splitChecked(text, 'address');
  if (segments.length < 3) {
    throw invalid(
      text,
      `expected project/environment/path (at least 3 segments), found ${segments.length}; e.g. payments/prod/db-password`,
    );
  }
  const [project, environment, ...rest] = segments as [string, string, ...string[]];
  const address = Object.freeze({ project, environment, path: rest.join('/') });
  if (parsedAddresses.size >= PARSED_ADDRESSES_MAX) {
    parsedAddresses.delete(parsedAddresses.keys().next().value as string);
  }
  parsedAddresses.set(text, address);
  return address;
}

// Reads parse the same addresses over and over (it showed in read profiles). Parsing is pure and addresses are not
// secret, so the latest valid parses are remembered (frozen, as callers share them); invalid text is never cached.
const PARSED_ADDRESSES_MAX = 1024;
const parsedAddresses = new Map<string, SecretAddress>();

/** Parse a prefix of 1 or more segments; a single trailing `/` is accepted (`payments/prod/`). */
export function parsePrefix(text: string): AddressPrefix {
  const trimmed = text.endsWith('/') && text.length > 1 ? text.slice(0, -1) : text;
  const segments = splitChecked(trimmed, 'prefix');
  const [project, environment, ...rest] = segments as [string, ...string[]];
  if (environment === undefined) return { project };
  return rest.length === 0 ? { project, environment } : { project, environment, path: rest.join('/') };
}

/** The canonical text of an address. */
export function formatAddress(address: SecretAddress): string {
  return `${address.project}/${address.environment}/${address.path}`;
}

/** The canonical text of a prefix (no trailing slash). */
export function formatPrefix(prefix: AddressPrefix): string {
  return [prefix.project, prefix.environment, prefix.path].filter((s) => s !== undefined).join('/');
}

/** True when `address` lies at or below `prefix` (segment-wise, so `a/b/db` is not under `a/b/d`). */
export function isUnderPrefix(address: SecretAddress, prefix: AddressPrefix): boolean {
  const full = formatAddress(address);
  const p = formatPrefix(prefix);
  return full === p || full.startsWith(`${p}/`);
}

function splitChecked(text: string, what: 'address' | 'prefix'): string[] {
  if (text.length === 0) throw invalid(text, `the ${what} is empty; e.g. payments/prod/db-password`);
  if (text.length > ADDRESS_LIMITS.totalChars) {
    throw invalid(
      text,
      `it is ${text.length} characters; the limit is ${ADDRESS_LIMITS.totalChars} (use shorter names)`,
    );
  }
  const segments = text.split('/');
  if (segments.length > ADDRESS_LIMITS.depth) {
    throw invalid(
      text,
      `it has ${segments.length} segments; the limit is ${ADDRESS_LIMITS.depth} (flatten the path)`,
    );
  }
  segments.forEach((segment, i) => {
    checkSegment(text, segment, i + 1);
  });
  return segments;
}

function checkSegment(text: string, segment: string, position: number): void {
  const label = `segment ${position}`;
  if (segment.length === 0) {
    throw invalid(text, `${label} is empty (a leading, doubled or trailing '/'); remove the extra '/'`);
  }
  if (segment === '.' || segment === '..') {
    throw invalid(text, `${label} is "${segment}", which is reserved; use a real name`);
  }
  if (segment.length > ADDRESS_LIMITS.segmentChars) {
    throw invalid(
      text,
      `${label} is ${segment.length} characters; the limit is ${ADDRESS_LIMITS.segmentChars}`,
    );
  }
  if (!SEGMENT.test(segment)) {
    const bad = BAD_CHAR.exec(segment);
    const at = bad ? bad.index + 1 : 0;
    throw invalid(
      text,
      `${label} ("${printable(segment)}") has ${JSON.stringify(bad?.[0] ?? '?')} at character ${at}; use only letters, digits, '.', '_' and '-'`,
    );
  }
}

/** Addresses are echoed in errors; keep control characters from reaching a terminal. */
function printable(text: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: we are stripping exactly these
  const clean = text.replace(/[\u0000-\u001f\u007f]/g, '?');
  return clean.length > 64 ? `${clean.slice(0, 61)}...` : clean;
}

function invalid(text: string, why: string): HushError {
  return hushError('INVALID_ADDRESS', { text: printable(text), why });
}
