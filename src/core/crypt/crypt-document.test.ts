import { randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml, stringify as stringifyYaml } from 'yaml';
import { isHushError } from '../errors/index.js';
import { decryptDocument, encryptDocument } from './crypt-document.js';
import { checkText } from './crypt-format.js';
import { CRYPT_FORMATS, cryptFormatFor } from './crypt-formats.js';
import type { CryptRules } from './crypt-rules.js';

const SAMPLES = {
  yaml: '# top comment\ndb:\n  user: admin # inline comment\n  password: s3cret\n  port: 5432\n  ratio: 1.5\n  tls: true\nhosts:\n  - a\n  - b\nnote_unencrypted: visible\nmulti: |\n  line1\n  line2\n',
  json: '{\n    "db": {\n        "user": "admin",\n        "port": 5432,\n        "ratio": 1.5,\n        "tls": false,\n        "none": null\n    },\n    "hosts": [\n        "x",\n        2\n    ]\n}\n',
  dotenv: '# comment\nAPI_KEY=abc123\nEMPTY=\nURL=https://x?a=b\n',
  ini: '; comment\n[db]\nuser = admin\npassword=s3cret\n\n[app]\nname = x\n',
  toml: '# comment\ntitle = "T" # trailing\n[db]\nport = 5432\nratio = 1.5\nwhen = 1979-05-27\nhosts = ["a", "b"]\ninline = { a = 1, "b c" = "x" }\n[[srv]]\nname = "one"\n',
} as const;

/** The call throws a HushError with this code whose message matches `message`. */
function expectHushError(fn: () => unknown, code: string, message: RegExp): void {
  let caught: unknown;
  try {
    fn();
  } catch (err) {
    caught = err;
  }
  expect(isHushError(caught) && caught.code).toBe(code);
  expect((caught as Error).message).toMatch(message);
}

const KEYS = {
  age: [],
  hush_transit: [{ key: 'app', enc: 'hush:v1:abc', created_at: '2024-01-01T00:00:00Z' }],
};

function encrypt(
  format: keyof typeof SAMPLES,
  text: string = SAMPLES[format],
  rules: CryptRules = {},
  key = randomBytes(32),
) {
  const file = `f.${format}`;
  const enc = encryptDocument({
    file,
    format: CRYPT_FORMATS[format],
    text,
    key,
    rules,
    keys: KEYS,
    now: new Date(),
  });
  return {
    file,
    enc,
    key,
    open: (t: string) => decryptDocument({ file, format: CRYPT_FORMATS[format], text: t, key }),
  };
}

describe('hush crypt documents', () => {
  for (const format of Object.keys(SAMPLES) as (keyof typeof SAMPLES)[]) {
    it(`${format}: round trip keeps comments and layout; no plaintext value is left`, () => {
      const { enc, open } = encrypt(format);
      expect(enc).not.toContain('s3cret');
      expect(enc).not.toContain('abc123');
      expect(enc).toContain('ENC[AES256_GCM,data:');
      expect(open(enc).text).toBe(SAMPLES[format]);
    });

    it(`${format}: re-encrypting with the previous file keeps every unchanged ciphertext`, () => {
      const { enc, key, file } = encrypt(format);
      const again = encryptDocument({
        file,
        format: CRYPT_FORMATS[format],
        text: SAMPLES[format],
        key,
        rules: {},
        keys: KEYS,
        now: new Date(),
        previous: enc,
      });
      const values = (t: string) => t.split('\n').filter((l) => l.includes('ENC[') && !/mac/.test(l));
      expect(values(again)).toEqual(values(enc));
    });
  }

  it('comments survive in every line format', () => {
    expect(encrypt('yaml').enc).toContain('# inline comment');
    expect(encrypt('dotenv').enc).toContain('# comment');
    expect(encrypt('ini').enc).toContain('; comment');
    expect(encrypt('toml').enc).toContain('# trailing');
  });

  it('a tampered value is HUSH_E_INTEGRITY naming file and key path', () => {
    const { enc, open } = encrypt('yaml');
    const tampered = enc.replace(
      /(password: ENC\[AES256_GCM,data:)(.)/,
      (_m, a: string, c: string) => a + (c === 'A' ? 'B' : 'A'),
    );
    expectHushError(() => open(tampered), 'HUSH_E_INTEGRITY', /f\.yaml: the value at db\.password failed/);
  });

  it('a value moved to another key fails (bound to its path)', () => {
    const { enc, open } = encrypt('dotenv', 'A=one\nB=two\n');
    const a = /^A=(.*)$/m.exec(enc)?.[1] as string;
    const b = /^B=(.*)$/m.exec(enc)?.[1] as string;
    const swapped = enc.replace(`A=${a}`, `A=${b}`).replace(`B=${b}`, `B=${a}`);
    expectHushError(() => open(swapped), 'HUSH_E_INTEGRITY', /value at A failed/);
  });

  it('a removed or reordered value fails the MAC', () => {
    const { enc, open } = encrypt('dotenv', 'A=one\nB=two\nC=three\n');
    const removed = enc.replace(/^B=.*\n/m, '');
    expectHushError(() => open(removed), 'HUSH_E_INTEGRITY', /MAC over the values does not match/);
    const lineA = /^A=.*$/m.exec(enc)?.[0] as string;
    const lineB = /^B=.*$/m.exec(enc)?.[0] as string;
    expectHushError(
      () => open(enc.replace(lineA, 'X').replace(lineB, lineA).replace('X', lineB)),
      'HUSH_E_INTEGRITY',
      /MAC/,
    );
  });

  it('a tampered MAC or lastmodified fails', () => {
    const { enc, open } = encrypt('yaml');
    expectHushError(
      () => open(enc.replace(/lastmodified: "(\d{4})/, 'lastmodified: "1999')),
      'HUSH_E_INTEGRITY',
      /sops\.mac/,
    );
  });

  it('a value replaced by plaintext is refused, not accepted by the MAC', () => {
    const { enc, open } = encrypt('dotenv', 'A=one\n');
    expectHushError(
      () => open(enc.replace(/^A=.*$/m, 'A=one')),
      'HUSH_E_INTEGRITY',
      /value at A is plaintext/,
    );
  });

  it('a hand-broken file names the line', () => {
    const { enc, open } = encrypt('dotenv', 'A=one\n');
    expectHushError(
      () => open(`${enc}this is not a pair\n`),
      'HUSH_E_INVALID_INPUT',
      /f\.dotenv: line \d+ is not KEY=value/,
    );
    expectHushError(
      () => open(enc.replace(/sops_mac=.*/, 'sops_mac=ENC[garbage]')),
      'HUSH_E_INVALID_INPUT',
      /sops\.mac is not a well-formed/,
    );
  });

  it('--encrypted-regex encrypts only matching keys; the suffix rule leaves *_unencrypted clear', () => {
    const { enc, open } = encrypt('yaml', 'data:\n  a: 1\nname: visible\n', { encrypted_regex: '^data$' });
    expect(enc).toContain('name: visible');
    expect(enc).toContain('encrypted_regex: ^data$');
    expect(open(enc).text).toBe('data:\n  a: 1\nname: visible\n');
    expect(encrypt('yaml').enc).toContain('note_unencrypted: visible');
    expectHushError(
      () => encrypt('yaml', 'a: 1\n', { encrypted_regex: '(' }),
      'HUSH_E_USAGE',
      /not a valid regular expression/,
    );
    expectHushError(
      () => encrypt('yaml', 'a: 1\n', { encrypted_regex: 'a', unencrypted_suffix: '_x' }),
      'HUSH_E_USAGE',
      /more than one/,
    );
  });

  it('an encrypted file is not encrypted twice; another key cannot open it', () => {
    const { enc, file } = encrypt('yaml');
    expectHushError(
      () =>
        encryptDocument({
          file,
          format: CRYPT_FORMATS.yaml,
          text: enc,
          key: randomBytes(32),
          rules: {},
          keys: KEYS,
          now: new Date(),
        }),
      'HUSH_E_INVALID_INPUT',
      /already encrypted/,
    );
    expectHushError(
      () => decryptDocument({ file, format: CRYPT_FORMATS.yaml, text: enc, key: randomBytes(32) }),
      'HUSH_E_INTEGRITY',
      /f\.yaml/,
    );
  });

  it('binary files and merge conflict markers are refused naming the file', () => {
    expectHushError(
      () => checkText(Buffer.from([1, 0, 2]), 'x.yaml'),
      'HUSH_E_INVALID_INPUT',
      /x\.yaml is binary/,
    );
    expectHushError(
      () => checkText(Buffer.from([0xff, 0xfe, 0x41]), 'x.yaml'),
      'HUSH_E_INVALID_INPUT',
      /binary/,
    );
    const conflict = 'a: 1\n<<<<<<< HEAD\nb: 2\n=======\nb: 3\n>>>>>>> other\n';
    expectHushError(
      () => checkText(Buffer.from(conflict), 'x.yaml'),
      'HUSH_E_INVALID_INPUT',
      /conflict markers at line 2/,
    );
  });

  it('formats come from file names, or --format', () => {
    expect(cryptFormatFor('a/b/secrets.yml').name).toBe('yaml');
    expect(cryptFormatFor('.env').name).toBe('dotenv');
    expect(cryptFormatFor('.env.production').name).toBe('dotenv');
    expect(cryptFormatFor('prod.env').name).toBe('dotenv');
    expect(cryptFormatFor('x.toml').name).toBe('toml');
    expect(cryptFormatFor('x.txt', 'ini').name).toBe('ini');
    expectHushError(() => cryptFormatFor('x.txt'), 'HUSH_E_USAGE', /--format/);
  });
});

describe('hush crypt round trips (property)', () => {
  const key = fc.stringMatching(/^[A-Za-z_][A-Za-z0-9_]{0,11}$/).filter((k) => !k.startsWith('sops'));
  const value = fc
    .string({ maxLength: 40 })
    .filter((v) => !v.includes('\n') && !v.includes('\\') && !v.includes('\r'));
  it('.env files of any keys and values decrypt to the same text', () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.tuple(key, value), { selector: ([k]) => k, maxLength: 8 }), (pairs) => {
        const text = pairs.map(([k, v]) => `${k}=${v}\n`).join('');
        const { enc, open } = encrypt('dotenv', text);
        expect(open(enc).text).toBe(text);
      }),
      { numRuns: 60 },
    );
  });
  it('YAML mappings of any keys and values decrypt to the same data', () => {
    fc.assert(
      fc.property(fc.dictionary(key, fc.oneof(value, fc.integer(), fc.boolean()), { maxKeys: 8 }), (obj) => {
        const text = stringifyYaml(obj);
        const { enc, open } = encrypt('yaml', text);
        expect(parseYaml(open(enc).text) ?? {}).toEqual(obj);
      }),
      { numRuns: 60 },
    );
  });
});
