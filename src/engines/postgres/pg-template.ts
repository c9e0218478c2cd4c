import pg from 'pg';
import { hushError } from '../../core/errors/index.js';

/** Which statement list of a role a template is (they accept different placeholders). */
export type TemplateKind = 'creation' | 'revocation' | 'renewal';

/** Values substituted into a template; each is quoted by PostgreSQL's own escaping rules. */
export interface TemplateValues {
  /** The generated role name: `{{name}}` as an identifier, `{{name_literal}}` as a string literal. */
  readonly name: string;
  readonly password?: string;
  /** The DB-side `VALID UNTIL` instant (lease expiry plus the safety margin). */
  readonly expiration?: Date;
}

const PLACEHOLDER = /\{\{\s*([A-Za-z_]+)\s*\}\}/g;
const MAX_TEMPLATE_BYTES = 16 * 1024;

const RULES: Record<TemplateKind, { allowed: readonly string[]; required: readonly string[] }> = {
  creation: {
    allowed: ['name', 'name_literal', 'password', 'expiration'],
    required: ['name', 'password', 'expiration'],
  },
  revocation: { allowed: ['name', 'name_literal'], required: ['name'] },
  renewal: { allowed: ['name', 'name_literal', 'expiration'], required: ['name', 'expiration'] },
};

/** The revocation statements used when a role sets none: no new logins, end sessions, drop grants and the role. */
export const DEFAULT_REVOCATION = [
  'ALTER ROLE {{name}} NOLOGIN;',
  'SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = {{name_literal}};',
  'REVOKE ALL PRIVILEGES ON ALL TABLES IN SCHEMA public FROM {{name}};',
  'REASSIGN OWNED BY {{name}} TO CURRENT_USER;',
  'DROP OWNED BY {{name}};',
  'DROP ROLE IF EXISTS {{name}};',
].join('\n');

/** The renewal statement used when a role sets none: move the DB-side expiry. */
export const DEFAULT_RENEWAL = 'ALTER ROLE {{name}} VALID UNTIL {{expiration}};';

/**
 * Check a role's statement template: non-empty, at most 16 KiB, only known placeholders, and the ones this kind
 * needs (creation must set the password and `VALID UNTIL {{expiration}}`, so the database itself ends the role's
 * logins even if Hush never gets to revoke it). Throws a one-line HUSH_E_INVALID_INPUT.
 */
export function checkTemplate(kind: TemplateKind, text: string): string {
  const rules = RULES[kind];
  const where = `the ${kind} SQL`;
  if (text.trim() === '') throw hushError('PG_TEMPLATE_EMPTY', { where });
  const bytes = Buffer.byteLength(text, 'utf8');
  if (bytes > MAX_TEMPLATE_BYTES) {
    throw hushError('PG_TEMPLATE_TOO_LARGE', { where, bytes, maxTemplateBytes: MAX_TEMPLATE_BYTES });
  }
  const found = new Set<string>();
  for (const m of text.matchAll(PLACEHOLDER)) {
    const name = m[1] ?? '';
    if (!rules.allowed.includes(name)) {
      throw hushError('PG_TEMPLATE_UNKNOWN_PLACEHOLDER', {
        where,
        name,
        allowed: rules.allowed.map((a) => `{{${a}}}`).join(', '),
      });
    }
    found.add(name);
  }
  const rest = text.replace(PLACEHOLDER, '');
  if (rest.includes('{{') || rest.includes('}}')) {
    throw hushError('PG_TEMPLATE_UNBALANCED_BRACES', { where, example: '{{name}}' });
  }
  const missing = rules.required.filter((r) => !found.has(r));
  if (missing.length > 0) {
    throw hushError('PG_TEMPLATE_MISSING_PLACEHOLDERS', {
      where,
      missing: missing.map((r) => `{{${r}}}`).join(', '),
      example: 'CREATE ROLE {{name}} LOGIN PASSWORD {{password}} VALID UNTIL {{expiration}}',
    });
  }
  return text;
}

/**
 * Substitute the placeholders: the name as a quoted identifier (or literal), password and expiration as quoted
 * literals. The values come from us (generated name, CSPRNG password, a Date), and are quoted all the same, so no
 * value can end a quote and inject SQL.
 */
export function renderTemplate(text: string, values: TemplateValues): string {
  return text.replace(PLACEHOLDER, (_all, key: string) => {
    switch (key) {
      case 'name':
        return pg.escapeIdentifier(values.name);
      case 'name_literal':
        return pg.escapeLiteral(values.name);
      case 'password':
        if (values.password === undefined) throw new RangeError('template needs a password value');
        return pg.escapeLiteral(values.password);
      case 'expiration':
        if (values.expiration === undefined) throw new RangeError('template needs an expiration value');
        return pg.escapeLiteral(values.expiration.toISOString());
      default:
        throw new RangeError(`unchecked placeholder {{${key}}}`); // checkTemplate runs before any render
    }
  });
}
