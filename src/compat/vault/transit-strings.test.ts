import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isHushError } from '../../core/errors/index.js';
import { hushTransitString, vaultTransitString } from './transit-strings.js';

describe('vault:v<N>: <-> hush:v<N>: strings', () => {
  it('swaps the prefix and keeps version and body byte for byte', () => {
    expect(hushTransitString('vault:v1:AAEC', 'ciphertext')).toBe('hush:v1:AAEC');
    expect(hushTransitString('vault:v42:a+b/c==', 'ciphertext')).toBe('hush:v42:a+b/c==');
    expect(vaultTransitString('hush:v1:AAEC')).toBe('vault:v1:AAEC');
    expect(vaultTransitString('hush:v123456789:x')).toBe('vault:v123456789:x');
  });

  it('round-trips every version and body', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 999_999_999 }), fc.base64String(), (version, body) => {
        const vault = `vault:v${version}:${body}`;
        const hush = hushTransitString(vault, 'ciphertext');
        expect(hush).toBe(`hush:v${version}:${body}`);
        expect(vaultTransitString(hush)).toBe(vault);
      }),
    );
  });

  it.each([
    'hush:v1:AAEC',
    'vault:v0:AAEC',
    'vault:v01:AAEC',
    'vault:1:AAEC',
    'Vault:v1:AAEC',
    ' vault:v1:AAEC',
    'vault:v1234567890:AAEC',
    'plaintext',
    '',
  ])('refuses %j with a coded error that does not echo it', (text) => {
    try {
      hushTransitString(text, 'ciphertext');
      expect.unreachable();
    } catch (err) {
      expect(isHushError(err, 'HUSH_E_TRANSIT_INVALID')).toBe(true);
      if (text.length > 4) expect((err as Error).message).not.toContain(text.trim());
    }
  });

  it('treats a non-hush engine string as a programming error', () => {
    expect(() => vaultTransitString('vault:v1:AAEC')).toThrow(TypeError);
  });
});
