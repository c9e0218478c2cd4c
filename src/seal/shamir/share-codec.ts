import { createHash, timingSafeEqual } from 'node:crypto';
import type { HushError } from '../../core/errors/hush-error.js';
import { hushError } from '../../core/errors/index.js';

/**
 * Printable Shamir shares: `hush-share-<set>-<n>-<base64url data>-<check>`. The prefix makes a leaked share easy to
 * find with `hush scan`; `<set>` names the store the share belongs to; `<n>` is the share's number on the printout;
 * `<check>` is the first 4 bytes of SHA-256 over everything before it, so a mistyped share is caught on its own,
 * before any combining.
 */
const PREFIX = 'hush-share';
const SHAPE = /^hush-share-([0-9a-f]{8})-([1-9][0-9]{0,2})-([A-Za-z0-9_-]+)-([0-9a-f]{8})$/;

/** One decoded share. `bytes` is key material: wipe it after use. */
export interface DecodedShare {
  readonly setId: string;
  readonly index: number;
  readonly bytes: Uint8Array;
}

/** Render one share for the operator. */
export function encodeShare(setId: string, index: number, bytes: Uint8Array): string {
  const body = `${PREFIX}-${setId}-${index}-${Buffer.from(bytes).toString('base64url')}`;
  return `${body}-${checksum(body)}`;
}

/**
 * Parse a share as typed by the operator (whitespace ignored). `position` is its 1-based place in what was
 * supplied, used in messages because a damaged share's own number cannot be trusted. Never echoes the share.
 */
export function decodeShare(text: string, position: number, expectedBytes: number): DecodedShare {
  // Material can arrive from JSON over HTTP; a non-string is reported like any other bad share.
  if (typeof text !== 'string') throw malformed(position, `expected text, got ${typeof text}`);
  const compact = text.replace(/\s+/g, '');
  const match = SHAPE.exec(compact);
  if (!match) {
    throw malformed(position, `expected the form ${PREFIX}-<set>-<n>-<data>-<check>`);
  }
  const [, setId = '', index = '', data = '', check = ''] = match;
  const body = compact.slice(0, compact.length - check.length - 1);
  if (!timingSafeEqual(Buffer.from(checksum(body)), Buffer.from(check))) {
    throw malformed(position, 'checksum mismatch');
  }
  if (Number(index) > 255) throw malformed(position, `its number ${index} is outside 1-255`);
  const bytes = new Uint8Array(Buffer.from(data, 'base64url'));
  if (bytes.length !== expectedBytes) {
    bytes.fill(0);
    throw malformed(position, `it holds ${bytes.length} bytes, expected ${expectedBytes}`);
  }
  return { setId, index: Number(index), bytes };
}

function checksum(body: string): string {
  return createHash('sha256').update(body, 'utf8').digest().subarray(0, 4).toString('hex');
}

function malformed(position: number, why: string): HushError {
  return hushError('SHARE_MALFORMED_RE_ENTER_EXACTLY', { position, why }, { share: position });
}
