import { describe, expect, it } from 'vitest';
import { pae, parseDsseEnvelope } from './dsse.js';

describe('DSSE', () => {
  it('PAE matches the protocol example (byte lengths, single spaces)', () => {
    expect(pae('http://example.com/HelloWorld', Buffer.from('hello world')).toString()).toBe(
      'DSSEv1 29 http://example.com/HelloWorld 11 hello world',
    );
    // Lengths count bytes, not characters.
    expect(pae('t/é', Buffer.from('ü')).toString()).toBe('DSSEv1 4 t/é 2 ü');
  });

  it('parses URL-safe or standard base64 and refuses what is not an envelope, without echoing the payload', () => {
    const ok = parseDsseEnvelope(
      JSON.stringify({ payloadType: 't', payload: 'aGk', signatures: [{ sig: 'AQ-_' }] }),
      'e.json',
    );
    expect(ok.payload.toString()).toBe('hi');
    expect(ok.signatures[0]?.sig).toEqual(Buffer.from([1, 15, 191]));
    expect(() => parseDsseEnvelope('nope', 'e.json')).toThrow(/not JSON/);
    expect(() => parseDsseEnvelope('{"payload":"aGk","signatures":[{"sig":"AQ"}]}', 'e.json')).toThrow(
      /payloadType/,
    );
    expect(() => parseDsseEnvelope('{"payloadType":"t","payload":"a%b","signatures":[]}', 'e.json')).toThrow(
      /not base64/,
    );
    expect(() => parseDsseEnvelope('{"payloadType":"t","payload":"aGk","signatures":[]}', 'e.json')).toThrow(
      /no signatures/,
    );
  });
});
