import { hushError } from '../errors/index.js';
import { encodeBase62, isBase62, randomBase62 } from './base62.js';
import { crc32 } from './crc32.js';

/**
 * Hush tokens: `hush_<t>_<43 base62 random><6 base62 checksum>`, 56 characters. The prefix lets `hush scan` and
 * other scanners recognise a leaked token; the CRC-32 checksum (of everything before it) lets them and the server
 * reject typos and look-alikes offline, without a lookup.
 */
export const TOKEN_TYPES = { s: 'service', b: 'batch', r: 'recovery' } as const;

/** The one-letter token type code. */
export type TokenTypeCode = keyof typeof TOKEN_TYPES;
/** The token type name. */
export type TokenType = (typeof TOKEN_TYPES)[TokenTypeCode];

/** Every Hush token starts with this. */
export const TOKEN_PREFIX = 'hush_';
/** Base62 characters of randomness (256 bits). */
export const TOKEN_RANDOM_LENGTH = 43;
/** Base62 characters of the CRC-32 checksum. */
export const TOKEN_CHECKSUM_LENGTH = 6;
/** Total length of a token: `hush_` + type + `_` + random + checksum. */
export const TOKEN_LENGTH = TOKEN_PREFIX.length + 2 + TOKEN_RANDOM_LENGTH + TOKEN_CHECKSUM_LENGTH;

/** A regular expression that finds Hush tokens in text (for scanners); the checksum must still be checked. */
export const TOKEN_PATTERN = /\bhush_[sbr]_[0-9A-Za-z]{49}\b/g;

/** A token that passed shape and checksum validation. */
export interface ParsedToken {
  readonly type: TokenType;
  readonly typeCode: TokenTypeCode;
}

/** The result of {@link parseToken}; `reason` never contains the token itself. */
export type ParseTokenResult = { ok: true; token: ParsedToken } | { ok: false; reason: string };

/**
 * Mint a new token of the given type (256 bits of CSPRNG randomness plus checksum).
 *
 * @example
 * const t = generateToken('service'); // 'hush_s_…'
 */
export function generateToken(type: TokenType): string {
  const code = (Object.keys(TOKEN_TYPES) as TokenTypeCode[]).find((k) => TOKEN_TYPES[k] === type);
  if (!code) throw new RangeError(`unknown token type ${JSON.stringify(type)}`);
  const body = `${TOKEN_PREFIX}${code}_${randomBase62(TOKEN_RANDOM_LENGTH)}`;
  return body + tokenChecksum(body);
}

/** The 6-character base62 CRC-32 checksum of a token body (everything before the checksum). */
export function tokenChecksum(body: string): string {
  return encodeBase62(crc32(body), TOKEN_CHECKSUM_LENGTH);
}

/**
 * Validate a presented token's shape and checksum. Reasons describe the problem, never the token.
 *
 * @example
 * const r = parseToken(header); if (!r.ok) reply401(r.reason);
 */
export function parseToken(input: unknown): ParseTokenResult {
  if (typeof input !== 'string') return fail('the token is not a string');
  const s = input.trim();
  if (!s.startsWith(TOKEN_PREFIX))
    return fail(`a Hush token starts with "${TOKEN_PREFIX}"; this one does not`);
  const code = s[TOKEN_PREFIX.length] ?? '';
  if (!(code in TOKEN_TYPES) || s[TOKEN_PREFIX.length + 1] !== '_') {
    return fail(
      'a Hush token continues with a type and "_": hush_s_ (service), hush_b_ (batch) or hush_r_ (recovery)',
    );
  }
  if (s.length !== TOKEN_LENGTH) {
    return fail(
      `a Hush token is ${TOKEN_LENGTH} characters long; this one is ${s.length} (truncated or padded?)`,
    );
  }
  const tail = s.slice(TOKEN_PREFIX.length + 2);
  if (!isBase62(tail)) {
    const at = [...tail].findIndex((ch) => !isBase62(ch)) + TOKEN_PREFIX.length + 2;
    return fail(`the token has a character outside 0-9A-Za-z at position ${at + 1}`);
  }
  const body = s.slice(0, TOKEN_LENGTH - TOKEN_CHECKSUM_LENGTH);
  // A plain comparison: both sides derive from the presented text alone (no server secret takes part), so its
  // timing tells the caller nothing they did not send.
  if (tokenChecksum(body) !== s.slice(-TOKEN_CHECKSUM_LENGTH)) {
    return fail('the token checksum does not match: it was mistyped, truncated or is not a Hush token');
  }
  const typeCode = code as TokenTypeCode;
  return { ok: true, token: { type: TOKEN_TYPES[typeCode], typeCode } };
}

/** Like {@link parseToken}, but throws HUSH_E_UNAUTHENTICATED with the reason. */
export function assertToken(input: unknown): ParsedToken {
  const r = parseToken(input);
  if (!r.ok) throw hushError('TOKEN_REJECTED', { reason: r.reason });
  return r.token;
}

function fail(reason: string): ParseTokenResult {
  return { ok: false, reason };
}
