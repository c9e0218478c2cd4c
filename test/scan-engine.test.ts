import { describe, expect, it } from 'vitest';
import { compileRules } from '../src/scan/engine/prefilter.js';
import { scanText } from '../src/scan/engine/scan-text.js';
import { scanWindows } from '../src/scan/engine/scan-windows.js';
import { ALL_RULES, githubTokenFor } from '../src/scan/rules/index.js';
import type { Rule } from '../src/scan/rules/rule.js';

const GH = githubTokenFor('R8fQz2LpX7vKc3NwT9mYb5HsD1gJa4');
const AWS = 'AKIAZ4XQ7RZ2LMNBVC3D';
const ids = (text: string, path = 'f.txt') => scanText(text, { path }).map((f) => f.ruleId);

describe('starter rules', () => {
  for (const rule of ALL_RULES) {
    it(`${rule.id}: examples match, look-alikes do not`, () => {
      for (const ex of rule.examples) expect(ids(ex, rule.examplePath)).toContain(rule.id);
      for (const fp of rule.falsePositives) expect(ids(fp, rule.examplePath)).not.toContain(rule.id);
    });
  }
});

describe('prefilter', () => {
  const rule = (id: string, keywords: string[]): Rule => ({
    id,
    title: id,
    severity: 'low',
    keywords,
    pattern: /x/,
    examples: [],
    falsePositives: [],
  });
  const rules = [
    rule('a', ['akia']),
    rule('b', ['ghp_', 'gho_']),
    rule('c', ['pass', 'password']),
    rule('d', ['ass']),
  ];

  it('selects rules by keyword, case-insensitively, overlapping keywords included', () => {
    const set = compileRules(rules);
    const names = (t: string | Uint8Array) => set.select(t).map((i) => rules[i]!.id);
    expect(names('nothing here')).toEqual([]);
    expect(names('x AkIa y')).toEqual(['a']);
    expect(names('GHO_ and db_PassWord')).toEqual(['b', 'c', 'd']);
    expect(names(Buffer.from('é ghp_ é'))).toEqual(['b']);
    expect(set.locate('xx PASSword akia').map((h) => [rules[h.rule]!.id, h.positions])).toEqual([
      ['a', [15]],
      ['c', [6, 10]],
      ['d', [6]],
    ]);
  });
});

describe('scanText', () => {
  it('reports 1-based line/column, end position and a fingerprint', () => {
    const [f] = scanText(`a\n  key=${AWS}\n`, { path: 'x.env' });
    expect(f).toMatchObject({ ruleId: 'aws-access-key-id', line: 2, column: 7, endLine: 2, endColumn: 27 });
    expect(f?.fingerprint).toMatch(/^[0-9a-f]{64}$/);
    expect(f?.secret).toBe(AWS);
  });

  it('honours firstLine for chunks', () => {
    expect(scanText(`k=${AWS}`, { path: 'x', firstLine: 41 })[0]?.line).toBe(41);
  });

  it('drops documented examples and placeholders', () => {
    const text = [
      'aws_key = AKIAIOSFODNN7EXAMPLE',
      'aws_secret = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
      'password = changeme',
      'password: <YOUR_TOKEN>',
      'password: xxxxxxxxxxxx',
      // biome-ignore lint/suspicious/noTemplateCurlyInString: the literal placeholder is the input
      'password: ${DB_PASSWORD}',
      'password: "{{ .Values.dbPassword }}"',
      'password = process.env.DB_PASSWORD',
      'password: ***',
    ].join('\n');
    expect(ids(text)).toEqual([]);
  });

  it('turns generic rules off in lockfiles, SRI hashes, hex digests and uuids, and windows them on minified lines', () => {
    const pw = 'password=Zq8!vR2xLm9#Tp4w';
    expect(ids(pw, 'src/app.ts')).toEqual(['generic-password-assignment']);
    for (const lock of [
      'package-lock.json',
      'a/yarn.lock',
      'pnpm-lock.yaml',
      'go.sum',
      'Cargo.lock',
      'composer.lock',
    ]) {
      expect(ids(pw, lock)).toEqual([]);
    }
    expect(ids('"integrity": "sha512-Zq8vR2xLm9Tp4wZq8vR2xLm9Tp4w==", password=Zq8vR2xLm9Tp4w')).toEqual([]);
    expect(ids('password_sha1=9e107d9d372bb6826bd81d3542a419d6a01b2c3d')).toEqual([]);
    expect(ids('password_uuid=123e4567-e89b-12d3-a456-426614174000')).toEqual([]);
    // a hex value without digest context may well be a key: still reported
    expect(ids('password=9e107d9d372bb6826bd81d3542a419d6')).toEqual(['generic-password-assignment']);
    // A minified-length line hides nothing: generic rules search windows around their keywords there.
    expect(ids(`${'x'.repeat(5000)} ${pw}`)).toEqual(['generic-password-assignment']);
    expect(ids(`${'x'.repeat(5000)} password = "hunter2longvalue" ${'y'.repeat(5000)}`)).toEqual([
      'generic-password-assignment',
    ]);
    // ... each value once per minified line, however often the line repeats it.
    const repeated = `${'password = "Zq8vR2xLm9Tp4w" '.repeat(400)}password = "Other9vR2xLm9Tp4w"`;
    expect(scanText(repeated, { path: 'a.js' }).map((f) => [f.ruleId, f.column])).toEqual([
      ['generic-password-assignment', 13],
      ['generic-password-assignment', 11213],
    ]);
    // ... but specific rules still fire on a minified line
    expect(ids(`${'x'.repeat(5000)} ${AWS}`)).toEqual(['aws-access-key-id']);
  });

  it('honours hush:allow on the line or the line above, optionally per rule id', () => {
    expect(ids(`k=${AWS} # hush:allow`)).toEqual([]);
    expect(ids(`// hush:allow aws-access-key-id\nk=${AWS}`)).toEqual([]);
    expect(ids(`// hush:allow slack-bot-token\nk=${AWS}`)).toEqual(['aws-access-key-id']);
    expect(ids(`// hush:allow\n\nk=${AWS}`)).toEqual(['aws-access-key-id']);
  });

  it('finds secrets in base64 layers and reports them at the encoded location', () => {
    const b64 = Buffer.from(`token=${GH}`).toString('base64');
    const k8s = `apiVersion: v1\nkind: Secret\nmetadata:\n  name: x\ndata:\n  token: ${b64}\n`;
    const [f] = scanText(k8s, { path: 'secret.yaml' });
    expect(f).toMatchObject({
      ruleId: 'github-pat-classic',
      line: 6,
      column: 10,
      layer: 'base64',
      secret: GH,
    });
    expect(f?.endColumn).toBe(10 + b64.length);

    const auth = Buffer.from(`me:${GH}`).toString('base64');
    const docker = `{\n  "auths": {\n    "ghcr.io": {\n      "auth": "${auth}"\n    }\n  }\n}\n`;
    expect(scanText(docker, { path: 'config.json' }).find((f) => f.layer === 'base64')).toMatchObject({
      line: 4,
      ruleId: 'github-pat-classic',
    });

    const basic = Buffer.from('admin:Zq8!vR2xLm9#Tp4w').toString('base64');
    expect(ids(`curl -H "Authorization: Basic ${basic}" https://x`)).toContain('generic-password-assignment');
    // without the context, base64 is not decoded
    expect(ids(`blob: ${b64}`)).toEqual([]);
  });

  it('finds an unencrypted PEM private key across lines', () => {
    const ex = ALL_RULES.find((r) => r.id === 'pem-private-key')!.examples[0]!;
    const [f] = scanText(`x\n${ex}`, { path: 'id_rsa' });
    expect(f).toMatchObject({ ruleId: 'pem-private-key', line: 2 });
    expect(f!.endLine).toBeGreaterThan(2);
  });
});

describe('scanWindows', () => {
  it('finds secrets at every position of a large stream, once each, with correct lines', async () => {
    const lines: string[] = [];
    for (let i = 0; i < 20000; i++)
      lines.push(i % 997 === 5 ? `line ${i} key=${AWS}` : `line ${i} filler text`);
    const text = `${lines.join('\n')}\n`;
    const chunks: string[] = [];
    for (let i = 0; i < text.length; i += 7919) chunks.push(text.slice(i, i + 7919));
    const found: number[] = [];
    for await (const f of scanWindows(chunks, { path: 'big', windowSize: 32 << 10, overlap: 2 << 10 })) {
      found.push(f.line);
    }
    const expected = lines.map((l, i) => (l.includes('AKIA') ? i + 1 : 0)).filter((n) => n > 0);
    expect(found).toEqual(expected);
  });

  it('terminates on one huge line without newlines', async () => {
    const big = `${'a'.repeat(300_000)} ${AWS} ${'b'.repeat(300_000)}`;
    const out = [];
    for await (const f of scanWindows([big], { path: 'min.js', windowSize: 64 << 10 })) out.push(f);
    expect(out.map((f) => f.ruleId)).toEqual(['aws-access-key-id']);
  });
});

describe('generic rules', () => {
  it('a rule marked generic gets the lockfile filter whatever its id', () => {
    const rule: Rule = {
      id: 'netrc-password',
      title: 'netrc password',
      severity: 'medium',
      keywords: ['machine'],
      pattern: /machine \S+ login \S+ password (?<secret>\S{8,})/,
      examples: [],
      falsePositives: [],
    };
    const text = 'machine example.com login me password Zq8vR2xLm9Tp4w';
    expect(scanText(text, { path: 'yarn.lock', rules: [rule] })).toHaveLength(1);
    expect(scanText(text, { path: 'yarn.lock', rules: [{ ...rule, generic: true }] })).toHaveLength(0);
  });
});
