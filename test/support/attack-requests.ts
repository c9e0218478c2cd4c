import type { WalkOperation } from './openapi-walk.js';

/** One request of the attack suite, before it is sent. */
export interface AttackRequest {
  /** What it tries, e.g. `deep-json` or `path:dotdot`. */
  readonly kind: string;
  readonly method: string;
  /** Path and query, sent as written (no normalisation). */
  readonly url: string;
  readonly headers: Record<string, string>;
  readonly body?: string | Buffer;
  /** The route template it aims at (for reports). */
  readonly target: string;
}

/** Who sends a request. */
export type Principal = 'none' | 'bad' | 'least' | 'root';

/** Operations root must not perform with a valid body mid-run: they would end the run or revoke the suite's tokens. */
export const DESTRUCTIVE = new Set([
  'POST /v1/sys/seal',
  'POST /v1/sys/incident/lockdown',
  'POST /v1/sys/incident/revoke',
  'POST /v1/sys/incident/rotate',
  'POST /v1/auth/token/revoke-self',
  'POST /v1/auth/token/revoke-accessor',
  'POST /v1/sys/rotate-root',
  'POST /v1/sys/init',
  'POST /v1/sys/unseal',
  'POST /v1/leases/revoke-prefix',
  'PUT /v1/sys/policies/{name}',
  'DELETE /v1/sys/policies/{name}',
]);

const json = { 'content-type': 'application/json' };
const deep = (n: number) => `${'{"a":'.repeat(n)}1${'}'.repeat(n)}`;

/** Malformed and hostile bodies, each a kind and raw bytes plus headers. */
export function bodyVariants(
  full: boolean,
  sample: unknown,
): { kind: string; body: string | Buffer; headers: Record<string, string> }[] {
  const valid = JSON.stringify(sample ?? {});
  const fast = [
    { kind: 'malformed-json', body: '{"value":', headers: json },
    { kind: 'array-body', body: '[]', headers: json },
    { kind: 'deep-json', body: `{"value":${deep(20_000)}}`, headers: json },
  ];
  if (!full) return fast;
  return [
    ...fast,
    { kind: 'huge-json', body: `{"value":"${'x'.repeat(2 * 1024 * 1024 + 16)}"}`, headers: json },
    { kind: 'deep-array', body: `[${'['.repeat(100_000)}${']'.repeat(100_000)}]`, headers: json },
    {
      kind: 'utf16-declared',
      body: Buffer.from(valid, 'utf16le'),
      headers: { 'content-type': 'application/json; charset=utf-16' },
    },
    { kind: 'utf16-undeclared', body: Buffer.from(valid, 'utf16le'), headers: json },
    { kind: 'bad-utf8', body: Buffer.from([0x7b, 0x22, 0xc3, 0x28, 0x22, 0x3a, 0x31, 0x7d]), headers: json },
    { kind: 'duplicate-keys', body: '{"value":"atkval-dup1","value":"atkval-dup2"}', headers: json },
    { kind: 'proto-key', body: '{"__proto__":{"polluted":true},"value":"v"}', headers: json },
    { kind: 'text-plain', body: valid, headers: { 'content-type': 'text/plain' } },
    { kind: 'form', body: 'value=x', headers: { 'content-type': 'application/x-www-form-urlencoded' } },
    { kind: 'nul-bytes', body: `{"value":"a\\u0000b"}`, headers: json },
    { kind: 'empty-json', body: '', headers: json },
  ];
}

/** Path tricks against a secret route: traversal, encodings, case, control bytes, overlong names. */
export function pathVariants(full: boolean): { kind: string; url: string }[] {
  const fast = [
    { kind: 'path:dotdot-encoded', url: '/v1/secrets/atk/prod/app/%2e%2e/hidden/secret' },
    { kind: 'path:slash-encoded', url: '/v1/secrets/atk/prod/app%2f..%2fhidden/secret' },
    { kind: 'path:bad-percent', url: '/v1/secrets/atk/prod/%zz' },
    { kind: 'path:long-name', url: `/v1/secrets/atk/prod/${'n'.repeat(101)}` },
  ];
  if (!full) return fast;
  return [
    ...fast,
    { kind: 'path:double-encoded', url: '/v1/secrets/atk/prod/app/%252e%252e/hidden/secret' },
    { kind: 'path:backslash', url: '/v1/secrets/atk/prod/app%5c..%5chidden/secret' },
    { kind: 'path:double-slash', url: '/v1/secrets/atk//prod/hidden/secret' },
    { kind: 'path:nul', url: '/v1/secrets/atk/prod/hidden%00/secret' },
    { kind: 'path:upper', url: '/v1/secrets/ATK/PROD/HIDDEN/SECRET' },
    { kind: 'path:route-case', url: '/V1/SECRETS/atk/prod/hidden/secret' },
    { kind: 'path:unicode', url: '/v1/secrets/atk/prod/%E2%80%AEhidden/secret' },
    { kind: 'path:very-long', url: `/v1/secrets/atk/prod/${'a/'.repeat(3000)}x` },
    { kind: 'path:query-flood', url: `/v1/list/atk?${'recursive=true&'.repeat(500)}` },
    { kind: 'path:trailing-dot', url: '/v1/secrets/atk/prod/hidden/secret.' },
  ];
}

/** Every request of one round: each operation with its sample body and the hostile variants, and the path tricks. */
export function buildRequests(ops: readonly WalkOperation[], full: boolean): AttackRequest[] {
  const out: AttackRequest[] = [];
  for (const op of ops) {
    const target = `${op.method} ${op.template}`;
    const base = { method: op.method, url: op.url, target };
    out.push({
      ...base,
      kind: 'sample',
      headers: op.body === undefined ? {} : json,
      ...(op.body === undefined ? {} : { body: JSON.stringify(op.body) }),
    });
    if (op.method === 'GET' || op.method === 'HEAD') continue;
    for (const v of bodyVariants(full, op.body))
      out.push({ ...base, kind: v.kind, headers: v.headers, body: v.body });
  }
  for (const p of pathVariants(full)) {
    for (const method of ['GET', 'PUT', 'DELETE']) {
      out.push({
        kind: p.kind,
        method,
        url: p.url,
        target: `${method} /v1/secrets/{path}`,
        headers: method === 'PUT' ? json : {},
        ...(method === 'PUT' ? { body: '{"value":"atkval-path"}' } : {}),
      });
    }
  }
  return out;
}
