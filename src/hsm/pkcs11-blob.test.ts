import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeHsmBlob, encodeHsmBlob } from './pkcs11-blob.js';

describe('HSM blob codec', () => {
  it('round-trips any GCM or key-wrap blob', () => {
    fc.assert(
      fc.property(
        fc.boolean(),
        fc.uint8Array({ minLength: 12, maxLength: 12 }),
        fc.uint8Array({ minLength: 16, maxLength: 200 }),
        (gcm, iv, body) => {
          const blob = {
            mechanism: gcm ? ('aes-gcm' as const) : ('aes-key-wrap-pad' as const),
            iv: gcm ? Buffer.from(iv) : Buffer.alloc(0),
            body: Buffer.from(body),
          };
          expect(decodeHsmBlob(encodeHsmBlob(blob))).toEqual({ version: 1, ...blob });
        },
      ),
    );
  });

  it('rejects damaged headers with HUSH_E_INTEGRITY, naming what is wrong', () => {
    const good = encodeHsmBlob({ mechanism: 'aes-gcm', iv: Buffer.alloc(12), body: Buffer.alloc(48) });
    const cases: [Buffer, RegExp][] = [
      [Buffer.from('nope'), /does not start with the HSM blob header \(4 bytes\)/],
      [
        Buffer.concat([good.subarray(0, 3), Buffer.from([2]), good.subarray(4)]),
        /version 2 is not supported/,
      ],
      [Buffer.concat([good.subarray(0, 4), Buffer.from([7]), good.subarray(5)]), /mechanism id 7 is unknown/],
      [
        Buffer.concat([good.subarray(0, 5), Buffer.from([8]), good.subarray(6)]),
        /needs a 12-byte iv, found 8/,
      ],
      [good.subarray(0, 30), /ciphertext is 12 bytes, at least 16 expected/],
    ];
    for (const [bytes, message] of cases) {
      expect(() => decodeHsmBlob(bytes)).toThrow(
        expect.objectContaining({ code: 'HUSH_E_INTEGRITY', message: expect.stringMatching(message) }),
      );
    }
  });
});
