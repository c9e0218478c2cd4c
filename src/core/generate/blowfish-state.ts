/**
 * Blowfish's initial P-array and S-boxes are the fractional hexadecimal digits of pi (18 + 4 * 256 words). They are
 * computed here once, exactly, with Machin's formula in BigInt arithmetic, instead of a 1042-constant table.
 */
const WORDS = 18 + 4 * 256;
const BITS = WORDS * 32;
const GUARD = 64n;

/** atan(1/x) scaled by 2^n (truncated series; each term's truncation error is at most 1). */
function atanInv(x: bigint, n: bigint): bigint {
  const x2 = x * x;
  let term = (1n << n) / x;
  let sum = term;
  for (let k = 1n; term > 0n; k++) {
    term /= x2;
    const t = term / (2n * k + 1n);
    sum += k % 2n === 1n ? -t : t;
  }
  return sum;
}

let cached: Uint32Array | undefined;

/** The first 1042 32-bit words of pi's fractional part: P-array (0..17) then S-boxes (18..1041). */
export function piWords(): Uint32Array {
  if (cached) return cached;
  const n = BigInt(BITS) + GUARD;
  const pi = 16n * atanInv(5n, n) - 4n * atanInv(239n, n);
  const frac = (pi - (3n << n)) >> GUARD;
  const out = new Uint32Array(WORDS);
  for (let i = 0; i < WORDS; i++) out[i] = Number((frac >> BigInt(BITS - 32 * (i + 1))) & 0xffffffffn);
  cached = out;
  return out;
}
