import { describe, expect, it } from 'vitest';
import { type DocumentFormat, formatDocument } from '../src/core/secrets/document-codec.js';
import { loneSurrogateAt } from '../src/core/secrets/lone-surrogate.js';
import { assertSecretValue } from '../src/core/secrets/value-codec.js';
import { mapSecretsToEnv } from '../src/inject/env-names.js';
import { unsealedStores } from './support/test-store.js';

// Half a surrogate pair cannot be written as UTF-8: every file, variable and stored value would carry U+FFFD instead.
const HIGH = 'pass\ud800word';
const LOW = '\udc00';
const unsealed = unsealedStores();

describe('lone UTF-16 surrogates', () => {
  it('finds them in strings, fields, arrays and keys, and not in pairs', () => {
    expect(loneSurrogateAt(HIGH)).toBe('');
    expect(loneSurrogateAt({ db: { password: LOW } })).toBe('db.password');
    expect(loneSurrogateAt({ hosts: ['a', `b${LOW}`] })).toBe('hosts[1]');
    expect(loneSurrogateAt({ [`k${LOW}`]: 'v' })).toBe('k\\udc00');
    expect(loneSurrogateAt('emoji \ud83d\ude00 is a pair')).toBeUndefined();
    expect(loneSurrogateAt({ a: '\ufffd is fine' })).toBeUndefined();
  });

  it.each<DocumentFormat>(['env', 'dotenv', 'json', 'yaml'])(
    'a %s export refuses them naming the secret, never writing U+FFFD',
    (format) => {
      for (const value of [HIGH, { user: 'u', password: LOW }]) {
        expect(() => formatDocument(format, [{ key: 'DB', value, source: 'app/prod/DB' }])).toThrow(
          expect.objectContaining({
            code: 'HUSH_E_INVALID_INPUT',
            message: expect.stringMatching(
              /^app\/prod\/DB( \(field password\))? holds half of a UTF-16 surrogate pair/,
            ),
          }),
        );
      }
    },
  );

  it('hush run and k8s-secret (env mapping) refuse them naming the secret', () => {
    expect(() => mapSecretsToEnv([{ path: 'app/prod/db', prefix: 'app/prod', value: HIGH }])).toThrow(
      /app\/prod\/db holds half of a UTF-16 surrogate pair .*environment variable/,
    );
    expect(() =>
      mapSecretsToEnv([{ path: 'app/prod/db', prefix: 'app/prod', value: { password: LOW } }]),
    ).toThrow(/app\/prod\/db#password holds half of a UTF-16 surrogate pair/);
  });

  it('writes refuse them (they would be stored as U+FFFD)', async () => {
    expect(() => assertSecretValue({ a: LOW }, 'DB')).toThrow(/DB \(field a\) holds half/);
    const t = await unsealed();
    await expect(t.store.put('app/prod/db', HIGH, { actor: 'user:a' })).rejects.toMatchObject({
      code: 'HUSH_E_INVALID_INPUT',
    });
    const result = await t.store.importSecrets('app/prod', {
      format: 'yaml',
      text: 'A: ok\nB: "x\\uD800"\nC: {p: "\\uDC00"}\n',
      actor: 'user:a',
    });
    expect(result.outcomes.map((o) => [o.key, o.status])).toEqual([
      ['A', 'created'],
      ['B', 'failed'],
      ['C', 'failed'],
    ]);
    await expect(t.store.get('app/prod/B')).rejects.toMatchObject({ code: 'HUSH_E_NOT_FOUND' });
  });
});
