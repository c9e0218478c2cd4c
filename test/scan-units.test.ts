import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseScanConfig } from '../src/scan/config/scan-config.js';
import { allowsRule } from '../src/scan/engine/allow-comments.js';
import { baselineOf, parseBaseline } from '../src/scan/engine/baseline.js';
import { decodePrintable } from '../src/scan/engine/decode-layers.js';
import { scanBytes, scanText } from '../src/scan/engine/scan-text.js';
import { scanWindows } from '../src/scan/engine/scan-windows.js';
import { redactText } from '../src/scan/redact.js';
import { maskSecret } from '../src/scan/report/mask.js';
import { createProgress } from '../src/scan/report/progress.js';
import { githubChecksumOk, githubTokenFor } from '../src/scan/rules/index.js';
import { tarEntries } from '../src/scan/sources/archive-stream.js';
import { ByteReader } from '../src/scan/sources/byte-reader.js';
import { tarOf } from './scan-support/tar-writer.js';

const AWS = 'AKIAZ4XQ7RZ2LMNBVC3D';

describe('scanWindows equals scanText whatever the chunking (property)', () => {
  it('same findings for any split of the input into chunks and any small window', async () => {
    const line = fc.oneof(
      fc.constant(`key=${AWS}`),
      fc.constant(
        '-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEAu1SU1LfVLPHCozMxH2Mo4lgOEePzNm0tRgeLezV6ffAt0gun\n-----END RSA PRIVATE KEY-----',
      ),
      fc.string({ maxLength: 60 }).map((s) => s.replace(/\n/g, ' ')),
    );
    await fc.assert(
      fc.asyncProperty(
        fc.array(line, { maxLength: 80 }),
        fc.array(fc.integer({ min: 1, max: 500 }), { minLength: 1 }),
        async (lines, cuts) => {
          const text = `${lines.join('\n')}\n`;
          const chunks: string[] = [];
          for (let i = 0, k = 0; i < text.length; k++) {
            const n = cuts[k % cuts.length]!;
            chunks.push(text.slice(i, i + n));
            i += n;
          }
          const whole = scanText(text, { path: 'p' }).map((f) => `${f.line}:${f.column}:${f.ruleId}`);
          const windowed: string[] = [];
          for await (const f of scanWindows(chunks, { path: 'p', windowSize: 2048, overlap: 256 })) {
            windowed.push(`${f.line}:${f.column}:${f.ruleId}`);
          }
          expect(windowed.sort()).toEqual(whole.sort());
        },
      ),
      { numRuns: 60 },
    );
  });
});

describe('keyword regions equal whole-text matching (property)', () => {
  it('same findings on large texts whether patterns run on keyword regions or on everything', () => {
    const pem =
      '-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEAu1SU1LfVLPHCozMxH2Mo4lgOEePzNm0tRgeLezV6ffAt0gun\n' +
      `${'VTLw7onLRnrq0/IzW7yWR7QkrmBL7jTKEn5u+qKhbwKfBstIs+bMY2Zkp18gnTxK\n'.repeat(40)}-----END RSA PRIVATE KEY-----`;
    const line = fc.oneof(
      fc.constant(`key=${AWS}`),
      fc.constant(pem),
      fc.constant('password =\n  "Zq8!vR2xLm9#Tp4w"'),
      fc.constant('DB_PASSWORD=Zq8!vR2xLm9#Tp4w # keyword and secret on one line'),
      fc.string({ minLength: 50, maxLength: 400 }).map((s) => s.replace(/\n/g, ' ')),
    );
    fc.assert(
      fc.property(fc.array(line, { minLength: 40, maxLength: 120 }), (lines) => {
        const text = lines.join('\n');
        const key = (f: { line: number; column: number; ruleId: string }) =>
          `${f.line}:${f.column}:${f.ruleId}`;
        const regions = scanText(text, { path: 'p' }).map(key);
        const whole = scanText(text, { path: 'p', wholeText: true }).map(key);
        expect(regions).toEqual(whole);
      }),
      { numRuns: 40 },
    );
  });
});

describe('scanBytes equals scanText (property)', () => {
  it('same findings from bytes (ASCII fast path or UTF-8) as from the decoded string', () => {
    const line = fc.oneof(
      fc.constant(`key=${AWS}`),
      fc.constant(`clé=${AWS} ünïcode`),
      fc.constant('DB_PASSWORD=Zq8!vR2xLm9#Tp4w'),
      fc.string({ maxLength: 80 }),
    );
    fc.assert(
      fc.property(fc.array(line, { maxLength: 200 }), (lines) => {
        const text = lines.join('\n');
        const key = (f: { line: number; column: number; ruleId: string }) =>
          `${f.line}:${f.column}:${f.ruleId}`;
        expect(scanBytes(Buffer.from(text), { path: 'p' }).map(key)).toEqual(
          scanText(text, { path: 'p' }).map(key),
        );
      }),
      { numRuns: 60 },
    );
  });
});

describe('tar reader', () => {
  it('round-trips entries written by a ustar writer (property)', async () => {
    const entry = fc.record({
      name: fc.stringMatching(/^[a-z][a-z0-9_/.-]{0,60}$/),
      data: fc.uint8Array({ maxLength: 2000 }),
    });
    await fc.assert(
      fc.asyncProperty(fc.array(entry, { maxLength: 8 }), async (entries) => {
        const r = new ByteReader([tarOf(entries)]);
        const back: { name: string; data: Uint8Array }[] = [];
        for await (const e of tarEntries(r))
          back.push({ name: e.name, data: new Uint8Array(await r.read(e.size)) });
        expect(back).toEqual(entries.map((e) => ({ name: e.name.replace(/^\.\//, ''), data: e.data })));
      }),
    );
  });
});

describe('small pieces', () => {
  it('masks without revealing the middle of a secret', () => {
    expect(maskSecret('ghp_abcdefghijklmnopqrstuvwxyz0123456789')).toBe('ghp_****…6789');
    expect(maskSecret('short-pass')).toBe('****');
  });

  it('validates GitHub token checksums', () => {
    const t = githubTokenFor('abcdefghijklmnopqrstuvwxyz0123');
    expect(githubChecksumOk(t)).toBe(true);
    expect(githubChecksumOk(`${t.slice(0, -1)}${t.endsWith('A') ? 'B' : 'A'}`)).toBe(false);
  });

  it('parses allow comments strictly', () => {
    expect(allowsRule('x # hush:allow', 'a')).toBe(true);
    expect(allowsRule('x # hush:allow a, b', 'b')).toBe(true);
    expect(allowsRule('x # hush:allow a', 'b')).toBe(false);
    expect(allowsRule('x # hush:allowed', 'a')).toBe(false);
    expect(allowsRule('x # hush', 'a')).toBe(false);
  });

  it('decodes base64 only to printable text', () => {
    expect(decodePrintable(Buffer.from('user:pw').toString('base64'))).toBe('user:pw');
    expect(decodePrintable(Buffer.from([0, 1, 2, 255]).toString('base64'))).toBeUndefined();
  });

  it('finds secrets in a JSON-form Kubernetes Secret', () => {
    const b64 = Buffer.from(`aws=${AWS}`).toString('base64');
    const doc = `{"apiVersion": "v1", "kind": "Secret",\n "data": {"creds": "${b64}"}}`;
    expect(scanText(doc, { path: 's.json' }).map((f) => [f.line, f.layer])).toEqual([[2, 'base64']]);
  });

  it('baseline: stable, deduplicated, holds no secret, rejects bad files with a coded error', () => {
    const fs = scanText(`a=${AWS}\nb=${AWS}\n`, { path: 'x' });
    const b = baselineOf(fs);
    expect(b.findings).toHaveLength(1);
    expect(JSON.stringify(b)).not.toContain(AWS);
    expect(parseBaseline(JSON.stringify(b), 'b.json')).toEqual(b);
    expect(() => parseBaseline('nope', 'b.json')).toThrow(/baseline b.json is not JSON/);
  });

  it('config: strict keys, duplicate ids and bad regexes are coded errors naming the rule', () => {
    const ok = parseScanConfig(
      '{"rules":[{"id":"x-key","title":"X","regex":"x_[0-9]{8}","keywords":["X_"]}]}',
      'c.json',
    );
    expect(ok.rules[0]).toMatchObject({ id: 'x-key', keywords: ['x_'], severity: 'high' });
    expect(() => parseScanConfig('rules: []\nextra: 1\n', 'c.yaml')).toThrow(/c.yaml: .*extra/);
    expect(() =>
      parseScanConfig('rules:\n  - {id: a, title: A, regex: a}\n  - {id: a, title: B, regex: b}\n', 'c.yaml'),
    ).toThrow(/rule id "a" appears twice/);
    expect(() => parseScanConfig('rules:\n  - {id: bad, title: B, regex: "("}\n', 'c.yaml')).toThrow(
      /rule "bad" has a bad regex/,
    );
  });

  it('redacts in place and keeps other bytes', () => {
    expect(redactText(`a ${AWS} b\nc\n`)).toBe('a [REDACTED:aws-access-key-id] b\nc\n');
    expect(redactText('nothing\n')).toBe('nothing\n');
  });

  it('progress redraws at most every 100 ms and shows MB/s', () => {
    const out: string[] = [];
    let t = 0;
    const p = createProgress(
      (s) => out.push(s),
      () => t,
    );
    t = 50;
    p.update(1e6, 1);
    t = 1000;
    p.update(2e6, 2);
    t = 1050;
    p.update(3e6, 3);
    expect(out).toHaveLength(1);
    expect(out[0]).toContain('2 item(s), 2.0 MB, 2.0 MB/s');
  });
});
