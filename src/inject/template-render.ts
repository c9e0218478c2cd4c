import { HushError, isHushError } from '../core/errors/hush-error.js';
import { hushError } from '../core/errors/index.js';
import type { SecretValue } from '../core/secrets/value-codec.js';
import { type CertRenewals, type CertRequest, certPart, type IssuedPem } from './cert-renewals.js';
import type { Position, TemplateNode } from './template-parse.js';

/** What rendering needs: a secret reader (latest value) and an environment. */
export interface RenderDeps {
  readSecret(address: string): Promise<SecretValue>;
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Relative addresses are resolved below this prefix (`--prefix`). */
  readonly prefix?: string;
  /** Certificates for `{{ pki ... }}` directives (held and renewed by the caller). */
  readonly certs?: Pick<CertRenewals, 'get'>;
}

/**
 * Render parsed template nodes to text. Every error names the directive's line:col and the secret (never a value);
 * each secret is read once however often it appears. Nothing is returned on error, so nothing is written.
 */
export async function renderTemplate(nodes: readonly TemplateNode[], deps: RenderDeps): Promise<string> {
  const cache = new Map<string, SecretValue>();
  const parts: string[] = [];
  for (const node of nodes) {
    if (node.kind === 'text') parts.push(node.text);
    else if (node.kind === 'env') parts.push(envValue(node.name, node.at, deps.env));
    else if (node.kind === 'pki') parts.push(certPart(await issue(deps, node.request, node.at), node.part));
    else {
      const address = resolveAddress(node.address, deps.prefix);
      let value = cache.get(address);
      if (value === undefined) {
        value = await read(deps, address, node.at);
        cache.set(address, value);
      }
      parts.push(fieldValue(value, address, node.field, node.at));
    }
  }
  return parts.join('');
}

/** With a prefix, addresses are relative to it; a leading `/` keeps an address absolute. */
export function resolveAddress(address: string, prefix: string | undefined): string {
  if (address.startsWith('/')) return address.slice(1);
  return prefix ? `${prefix.replace(/\/+$/, '')}/${address}` : address;
}

async function issue(deps: RenderDeps, request: CertRequest, at: Position): Promise<IssuedPem> {
  const certs = deps.certs;
  if (!certs) throw hushError('PKI_NEEDS_SERVER');
  return located(at, `pki ${request.role}`, () => certs.get(request));
}

function read(deps: RenderDeps, address: string, at: Position): Promise<SecretValue> {
  return located(at, `secret ${address}`, () => deps.readSecret(address));
}

/** Run one directive's read; a coded error is re-raised naming the directive's line:col and what it read. */
async function located<T>(at: Position, what: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    if (isHushError(err)) {
      throw new HushError(err.code, `template ${at.line}:${at.col}: ${what}: ${err.message}`, {
        line: at.line,
        col: at.col,
      });
    }
    throw err;
  }
}

/**
 * Environment variables a template may not read: Hush's own (HUSH_TOKEN, unseal material) and anything named like a
 * credential. A template is a file anyone may hand to `hush render`; it must not copy the caller's token into a
 * world-readable config. Secrets come from `{{ secret ... }}`, where reads are checked and audited.
 */
const CREDENTIAL_ENV =
  /^HUSH_|TOKEN|SECRET|PASSWORD|PASSWD|PASSPHRASE|PRIVATE_KEY|API_KEY|ACCESS_KEY|CREDENTIAL/i;

function envValue(name: string, at: Position, env: RenderDeps['env']): string {
  if (CREDENTIAL_ENV.test(name)) {
    throw hushError('TEMPLATE_ENVIRONMENT_VARIABLE_LOOKS_LIKE', { line: at.line, col: at.col, name });
  }
  const value = env[name];
  if (value === undefined) {
    throw hushError('TEMPLATE_ENVIRONMENT_VARIABLE_NOT_SET', { line: at.line, col: at.col, name });
  }
  return value;
}

function fieldValue(value: SecretValue, address: string, field: string | undefined, at: Position): string {
  const where = `template ${at.line}:${at.col}`;
  if (field === undefined) return typeof value === 'string' ? value : JSON.stringify(value);
  if (typeof value === 'string') {
    throw hushError('INJECT_HOLDS_SINGLE_VALUE_NOT_FIELDS', { where, address, field });
  }
  if (!Object.hasOwn(value, field)) {
    throw hushError('INJECT_NO_FIELD_FIELDS', { where, address, field, keys: Object.keys(value).join(', ') });
  }
  const v = value[field];
  return typeof v === 'string' ? v : JSON.stringify(v);
}
