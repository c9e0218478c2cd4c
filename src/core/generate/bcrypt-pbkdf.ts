import { createHash } from 'node:crypto';
import { piWords } from './blowfish-state.js';

/**
 * bcrypt_pbkdf as OpenBSD defines it (and OpenSSH uses for passphrase-protected `openssh-key-v1` keys): a PBKDF2-like
 * construction whose PRF is "bcrypt_hash" over an expensive-key-schedule Blowfish. Node's crypto has no Blowfish.
 */

interface State {
  p: Uint32Array;
  s: Uint32Array; // four S-boxes of 256 words each, back to back
}

function initState(): State {
  const words = piWords();
  return { p: words.slice(0, 18), s: words.slice(18) };
}

function f(s: Uint32Array, x: number): number {
  return (
    ((((s[x >>> 24]! + s[256 + ((x >>> 16) & 0xff)]!) >>> 0) ^ s[512 + ((x >>> 8) & 0xff)]!) +
      s[768 + (x & 0xff)]!) >>>
    0
  );
}

/** Encipher one 64-bit block (l, r) in place in `pair`. */
function encipher(st: State, pair: Uint32Array): void {
  const { p, s } = st;
  let l = pair[0]! ^ p[0]!;
  let r = pair[1]!;
  for (let i = 1; i <= 16; i += 2) {
    r ^= f(s, l) ^ p[i]!;
    l ^= f(s, r) ^ p[i + 1]!;
  }
  pair[0] = (r ^ p[17]!) >>> 0;
  pair[1] = l >>> 0;
}

/** Read the next big-endian word of `data`, wrapping around (Blowfish_stream2word). */
function streamWord(data: Uint8Array, pos: { j: number }): number {
  let w = 0;
  for (let i = 0; i < 4; i++) {
    w = ((w << 8) | data[pos.j]!) >>> 0;
    pos.j = (pos.j + 1) % data.length;
  }
  return w;
}

/** Blowfish_expandstate (with data) or Blowfish_expand0state (data undefined). */
function expand(st: State, key: Uint8Array, data?: Uint8Array): void {
  const kp = { j: 0 };
  for (let i = 0; i < 18; i++) st.p[i] = (st.p[i]! ^ streamWord(key, kp)) >>> 0;
  const dp = { j: 0 };
  const pair = new Uint32Array(2);
  const next = () => {
    if (data) {
      pair[0] = (pair[0]! ^ streamWord(data, dp)) >>> 0;
      pair[1] = (pair[1]! ^ streamWord(data, dp)) >>> 0;
    }
    encipher(st, pair);
  };
  for (let i = 0; i < 18; i += 2) {
    next();
    st.p[i] = pair[0]!;
    st.p[i + 1] = pair[1]!;
  }
  for (let i = 0; i < 1024; i += 2) {
    next();
    st.s[i] = pair[0]!;
    st.s[i + 1] = pair[1]!;
  }
}

const MAGIC = Buffer.from('OxychromaticBlowfishSwatDynamite', 'latin1');

function bcryptHash(sha2pass: Uint8Array, sha2salt: Uint8Array): Buffer {
  const st = initState();
  expand(st, sha2pass, sha2salt);
  for (let i = 0; i < 64; i++) {
    expand(st, sha2salt);
    expand(st, sha2pass);
  }
  const pos = { j: 0 };
  const cdata = new Uint32Array(8);
  for (let i = 0; i < 8; i++) cdata[i] = streamWord(MAGIC, pos);
  const pair = new Uint32Array(2);
  for (let i = 0; i < 64; i++) {
    for (let b = 0; b < 8; b += 2) {
      pair[0] = cdata[b]!;
      pair[1] = cdata[b + 1]!;
      encipher(st, pair);
      cdata[b] = pair[0]!;
      cdata[b + 1] = pair[1]!;
    }
  }
  const out = Buffer.alloc(32);
  for (let i = 0; i < 8; i++) out.writeUInt32LE(cdata[i]!, 4 * i);
  st.p.fill(0);
  st.s.fill(0);
  return out;
}

const sha512 = (data: Uint8Array) => createHash('sha512').update(data).digest();

/**
 * Derive `keyLength` bytes from a passphrase and salt with `rounds` rounds (OpenSSH uses 16 by default).
 *
 * @example
 * bcryptPbkdf(Buffer.from('pass'), salt16, 48, 16); // aes256-ctr key (32) + iv (16)
 */
export function bcryptPbkdf(pass: Uint8Array, salt: Uint8Array, keyLength: number, rounds: number): Buffer {
  if (rounds < 1 || keyLength < 1 || keyLength > 1024 || salt.length === 0)
    throw new RangeError('bcryptPbkdf: rounds, key length and salt must be positive');
  const key = Buffer.alloc(keyLength);
  const stride = Math.ceil(keyLength / 32);
  let amt = Math.ceil(keyLength / stride);
  const sha2pass = sha512(pass);
  let remaining = keyLength;
  for (let count = 1; remaining > 0; count++) {
    const countSalt = Buffer.concat([
      salt,
      Buffer.from([count >>> 24, (count >>> 16) & 0xff, (count >>> 8) & 0xff, count & 0xff]),
    ]);
    let tmp = bcryptHash(sha2pass, sha512(countSalt));
    const out = Buffer.from(tmp);
    for (let i = 1; i < rounds; i++) {
      tmp = bcryptHash(sha2pass, sha512(tmp));
      for (let k = 0; k < 32; k++) out[k]! ^= tmp[k]!;
    }
    amt = Math.min(amt, remaining);
    let i = 0;
    for (; i < amt; i++) {
      const dest = i * stride + (count - 1);
      if (dest >= keyLength) break;
      key[dest] = out[i]!;
    }
    remaining -= i;
    out.fill(0);
  }
  sha2pass.fill(0);
  return key;
}
