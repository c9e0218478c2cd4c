import { describe, expect, it } from 'vitest';
import { HushError } from '../core/errors/hush-error.js';
import { MAX_KEY_URL_LENGTH, originOf, parseDiscoveredKeyUrl, parseKeyUrl } from './jwt-key-url.js';

function problem(raw: string): string {
  try {
    parseKeyUrl(raw, 'jwksUrl');
  } catch (err) {
    expect(err).toBeInstanceOf(HushError);
    expect((err as HushError).code).toBe('HUSH_E_INVALID_INPUT');
    return (err as HushError).message;
  }
  throw new Error(`expected ${raw} to be refused`);
}

describe('parseKeyUrl', () => {
  it.each([
    'https://token.actions.githubusercontent.com',
    'https://gitlab.example/oauth/discovery/keys?x=1',
    'http://127.0.0.1:8080/jwks',
    'http://127.9.9.9/jwks',
    'http://localhost:1234/jwks',
    'http://[::1]:1234/jwks',
  ])('accepts %s', (raw) => {
    expect(parseKeyUrl(raw, 'jwksUrl').href).toBe(new URL(raw).href);
  });

  it.each([
    ['http://issuer.example/jwks', /jwksUrl http:\/\/issuer\.example is not allowed: use https:\/\//],
    ['http://10.0.0.1/jwks', /not allowed/],
    ['http://127.evil.example/jwks', /not allowed/],
    ['ftp://127.0.0.1/jwks', /not allowed/],
    ['https://user:pw@issuer.example/jwks', /must not carry credentials/],
    ['https://token@issuer.example/jwks', /must not carry credentials/],
    ['issuer.example/jwks', /is not an absolute URL/],
    [`https://issuer.example/${'a'.repeat(MAX_KEY_URL_LENGTH)}`, /characters; at most 2048/],
  ])('refuses %s with a one-line reason', (raw, reason) => {
    const message = problem(raw);
    expect(message).toMatch(reason);
    expect(message).not.toContain('\n');
    expect(message).not.toContain('pw@');
  });

  it('names only the origin of a URL', () => {
    expect(originOf(new URL('https://issuer.example:8443/keys?sig=abc'))).toBe('https://issuer.example:8443');
  });
});

describe('a discovered jwks_uri', () => {
  it('may be http to loopback only when the discovery document itself came over http', () => {
    const local = new URL('http://127.0.0.1:8080');
    expect(parseDiscoveredKeyUrl('http://127.0.0.1:8080/jwks', local).href).toBe(
      'http://127.0.0.1:8080/jwks',
    );
    const remote = new URL('https://issuer.example');
    expect(parseDiscoveredKeyUrl('https://issuer.example/keys', remote).href).toBe(
      'https://issuer.example/keys',
    );
    expect(() => parseDiscoveredKeyUrl('http://127.0.0.1:6379/', remote)).toThrow(
      'its jwks_uri must use https:// like the discovery URL, not http://127.0.0.1:6379',
    );
  });
});
