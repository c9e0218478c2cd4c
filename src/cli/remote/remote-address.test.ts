import { describe, expect, it } from 'vitest';
import { HushError } from '../../core/errors/hush-error.js';
import { parseHushAddr, remoteAddress } from './remote-address.js';

function failure(raw: string): HushError {
  try {
    parseHushAddr(raw);
  } catch (err) {
    if (err instanceof HushError) return err;
    throw err;
  }
  throw new Error(`expected ${raw} to be refused`);
}

describe('HUSH_ADDR', () => {
  it('keeps scheme, host, port and a proxy path prefix, without trailing slashes', () => {
    expect(parseHushAddr('http://127.0.0.1:8200')).toBe('http://127.0.0.1:8200');
    expect(parseHushAddr('https://hush.example/')).toBe('https://hush.example');
    expect(parseHushAddr('https://proxy.example/hush//')).toBe('https://proxy.example/hush');
  });

  it('refuses what is not an http(s) URL, or holds credentials, without echoing the value', () => {
    const notUrl = failure('hush.example:8200 s3cret-typo');
    expect(notUrl.code).toBe('HUSH_E_CONFIG');
    expect(notUrl.message).not.toContain('s3cret-typo');
    expect(failure('ftp://hush.example').message).toBe(
      'HUSH_ADDR must start with https:// or http://, got ftp:',
    );
    const withPassword = failure('https://amy:hunter2-pass@hush.example'); // hush:allow url-credentials
    expect(withPassword.code).toBe('HUSH_E_CONFIG');
    expect(withPassword.message).toMatch(/must not hold a user or password/);
    expect(withPassword.message).not.toContain('hunter2-pass');
  });

  it('is remote only when HUSH_ADDR is set and no --data-dir is given', () => {
    const env = { HUSH_ADDR: 'http://127.0.0.1:8200/' };
    expect(remoteAddress({}, env)).toBe('http://127.0.0.1:8200');
    expect(remoteAddress({ dataDir: './data' }, env)).toBeUndefined();
    expect(remoteAddress({}, {})).toBeUndefined();
  });
});
