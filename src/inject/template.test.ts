import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { HushError } from '../core/errors/hush-error.js';
import type { SecretValue } from '../core/secrets/value-codec.js';
import { checkK8sName, k8sNameOf, renderK8sSecret } from './k8s-secret.js';
import { parseTemplate } from './template-parse.js';
import { renderTemplate } from './template-render.js';

const SECRETS: Record<string, SecretValue> = {
  'p/e/db': { user: 'app', password: 'pw"1' },
  'p/e/token': 'tok',
};
const deps = {
  readSecret: async (address: string) => {
    const v = SECRETS[address];
    if (v === undefined) throw new HushError('HUSH_E_NOT_FOUND', `no secret at ${address}`);
    return v;
  },
  env: { REGION: 'eu' },
};

async function failure(
  template: string,
  extra: Partial<typeof deps & { prefix: string }> = {},
): Promise<string> {
  try {
    await renderTemplate(parseTemplate(template), { ...deps, ...extra });
  } catch (err) {
    if (err instanceof HushError) return `${err.code}: ${err.message}`;
    throw err;
  }
  return 'no error';
}

describe('templates', () => {
  it('renders secrets, fields, env and literal strings', async () => {
    const text = await renderTemplate(
      parseTemplate(
        'user={{secret "db" "user"}}\npw={{ secret "db" "password" }} t={{ secret "token" }}\nr={{ env "REGION" }} {{ "{{" }}x',
      ),
      { ...deps, prefix: 'p/e/' },
    );
    expect(text).toBe('user=app\npw=pw"1 t=tok\nr=eu {{x');
  });

  it('with --prefix a leading / keeps an address absolute; objects without a field render as JSON', async () => {
    const text = await renderTemplate(parseTemplate('{{ secret "/p/e/db" }}'), { ...deps, prefix: 'x/y' });
    expect(JSON.parse(text)).toEqual(SECRETS['p/e/db']);
  });

  it('errors carry line:col and name the secret, never a value', async () => {
    expect(await failure('a\n  {{ nope "x" }}')).toBe(
      'HUSH_E_INVALID_INPUT: template 2:6: unknown directive "nope"; expected secret, env, pki or "text"',
    );
    expect(await failure('ok\nx {{ secret "p/e/missing" }}')).toBe(
      'HUSH_E_NOT_FOUND: template 2:3: secret p/e/missing: no secret at p/e/missing',
    );
    expect(await failure('{{ secret "p/e/db" "nope" }}')).toBe(
      'HUSH_E_NOT_FOUND: template 1:1: p/e/db has no field "nope"; its fields are: user, password',
    );
    expect(await failure('{{ secret "p/e/token" "f" }}')).toMatch(/1:1: p\/e\/token holds a single value/);
    expect(await failure('{{ env "UNSET_X" }}')).toMatch(/1:1: environment variable UNSET_X is not set/);
    expect(await failure('x {{ secret "p/e/db"\n}}')).toMatch(/1:3: "\{\{" is not closed/);
    expect(await failure('{{ secret "p/e/db }}')).toMatch(/1:11: string is not closed/);
    expect(await failure('{{ secret p }}')).toMatch(/1:4: secret takes quoted arguments/);
    expect(await failure('{{ }}')).toMatch(/1:1: empty directive/);
    expect(await failure('{{ secret "a" "b" "c" }}')).toMatch(/1:4: secret takes quoted arguments/);
    expect(await failure('{{ $(rm -rf) }}')).toMatch(/1:4: unexpected character "\$"/);
    for (const message of await Promise.all([failure('{{ secret "p/e/db" "nope" }}')])) {
      expect(message).not.toContain('pw"1');
    }
  });

  it('property: text without "{{" renders to itself', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.string().filter((t) => !t.includes('{{')),
        async (t) => {
          expect(await renderTemplate(parseTemplate(t), deps)).toBe(t);
        },
      ),
    );
  });

  it('property: any string round-trips through a quoted literal', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.string().filter((t) => !t.includes('\n')),
        async (t) => {
          const quoted = `"${t.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
          expect(await renderTemplate(parseTemplate(`{{ ${quoted} }}`), deps)).toBe(t);
        },
      ),
    );
  });
});

describe('k8s Secret', () => {
  it('renders a v1 Secret whose data decodes to the values', () => {
    const yaml = renderK8sSecret({ name: 'payments-prod', namespace: 'pay' }, [
      { name: 'DB_PASSWORD', value: 'pä$$\nword', source: 'a' },
      { name: 'API_KEY', value: 'k'.repeat(300), source: 'b' },
    ]);
    const doc = parse(yaml) as { data: Record<string, string> } & Record<string, unknown>;
    expect(doc).toMatchObject({
      apiVersion: 'v1',
      kind: 'Secret',
      type: 'Opaque',
      metadata: { name: 'payments-prod', namespace: 'pay' },
    });
    expect(Object.keys(doc.data)).toEqual(['API_KEY', 'DB_PASSWORD']);
    expect(Buffer.from(doc.data['DB_PASSWORD'] ?? '', 'base64').toString('utf8')).toBe('pä$$\nword');
    expect(Buffer.from(doc.data['API_KEY'] ?? '', 'base64').toString('utf8')).toBe('k'.repeat(300));
    expect(yaml).not.toContain('word');
  });

  it('names: derived from the prefix and validated', () => {
    expect(k8sNameOf('Payments/prod_eu')).toBe('payments-prod-eu');
    expect(() => checkK8sName('Bad_Name', '--name')).toThrow(/--name must be lower-case/);
    expect(checkK8sName('a.b-c', '--name')).toBe('a.b-c');
  });
});
