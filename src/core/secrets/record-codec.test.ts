import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  decodeSealedMetadata,
  decodeSealedValue,
  encodeSealedMetadata,
  encodeSealedValue,
} from './record-codec.js';
import { decodeMetadata, encodeMetadata, type SecretMetadata } from './secret-metadata.js';

describe('record codec', () => {
  it('round-trips sealed values and metadata envelopes (property)', () => {
    fc.assert(
      fc.property(fc.nat(), fc.uint8Array(), fc.uint8Array(), (kekVersion, k, c) => {
        const sealed = { kekVersion, wrappedKey: Buffer.from(k), ciphertext: Buffer.from(c) };
        expect(decodeSealedValue(encodeSealedValue(sealed), 'x')).toEqual(sealed);
        expect(decodeSealedMetadata(encodeSealedMetadata({ kekVersion, box: Buffer.from(c) }), 'x')).toEqual({
          kekVersion,
          box: Buffer.from(c),
        });
      }),
    );
  });

  it('rejects malformed rows as integrity failures', () => {
    expect(() => decodeSealedValue(Buffer.of(2, 0, 0), 'data of p/e/x')).toThrow(
      /data of p\/e\/x is malformed/,
    );
    expect(() => decodeSealedValue(Buffer.of(1, 0, 0, 0, 1, 0, 0, 0, 50, 1), 'd')).toThrow(/malformed/);
    expect(() => decodeSealedMetadata(Buffer.of(1), 'm')).toThrow(/malformed/);
  });

  it('round-trips metadata and rejects a wrong shape', () => {
    const meta: SecretMetadata = {
      current: 1,
      createdAt: 't',
      createdBy: 'a',
      updatedAt: 't',
      updatedBy: 'a',
      tags: { team: 'x' },
      versions: [{ version: 1, state: 'active', createdAt: 't', createdBy: 'a' }],
    };
    expect(decodeMetadata(encodeMetadata(meta), 'p/e/x')).toEqual(meta);
    expect(() => decodeMetadata(Buffer.from('{"current":1}'), 'p/e/x')).toThrow(/unexpected shape/);
  });
});
