import { hushError } from '../../core/errors/index.js';
import type { TemplateKind } from './pg-template.js';

/**
 * The allow-list of statement kinds a role template may hold unless an admin allows more (see docs/
 * dynamic-credentials.md). A template runs as the engine's admin, so anything beyond "make, grant to, alter, revoke
 * from and drop the lease's own role" is refused: no COPY ... PROGRAM, DO, CREATE FUNCTION/EXTENSION, ALTER SYSTEM,
 * SET, role membership grants (a member of a superuser role can SET ROLE to it), privileged role attributes, and no
 * statement aimed at any role but the generated `{{name}}`.
 *
 * The tokenizer is deliberately narrower than PostgreSQL's lexer, so that the two can never disagree about where a
 * statement ends: dollar quotes, escape-string prefixes (E'', U&''), backslashes and placeholders inside quotes or
 * comments are refused outright rather than interpreted.
 */

type Token =
  | { readonly kind: 'word'; readonly text: string }
  | { readonly kind: 'ident' | 'string' | 'number' | 'punct'; readonly text: string }
  | { readonly kind: 'placeholder'; readonly text: string };

/** Role attributes that make the role more than a login (refused by name so the message can say why). */
const PRIVILEGED_ATTRIBUTES = new Set([
  'SUPERUSER',
  'CREATEROLE',
  'CREATEDB',
  'REPLICATION',
  'BYPASSRLS',
  'CREATEUSER',
]);
/** Words a CREATE/ALTER ROLE of the lease's role may use. */
const ROLE_OPTION_WORDS = new Set([
  'WITH',
  'LOGIN',
  'NOLOGIN',
  'PASSWORD',
  'ENCRYPTED',
  'VALID',
  'UNTIL',
  'CONNECTION',
  'LIMIT',
  'INHERIT',
  'NOINHERIT',
  'NOSUPERUSER',
  'NOCREATEDB',
  'NOCREATEROLE',
  'NOREPLICATION',
  'NOBYPASSRLS',
  'NULL',
]);
/** Privileges GRANT may give on objects. */
const PRIVILEGE_WORDS = new Set([
  'SELECT',
  'INSERT',
  'UPDATE',
  'DELETE',
  'TRUNCATE',
  'REFERENCES',
  'TRIGGER',
  'CREATE',
  'CONNECT',
  'TEMPORARY',
  'TEMP',
  'EXECUTE',
  'USAGE',
  'MAINTAIN',
  'ALL',
  'PRIVILEGES',
]);
/** Object kinds GRANT ... ON may not name: server parameters (ALTER SYSTEM / SET on them) and languages. */
const REFUSED_GRANT_TARGETS = new Set(['PARAMETER', 'LANGUAGE']);
const PUNCT = new Set(['(', ')', ',', ';', '.', '=', '-']);
const PLACEHOLDER_AT = /^\{\{\s*([A-Za-z_]+)\s*\}\}/;
/**
 * PostgreSQL's whitespace (scan.l `space`). Other characters JavaScript calls whitespace (U+00A0, U+2028, ...) are
 * identifier characters to PostgreSQL, so they are refused like any other unexpected character.
 */
const PG_SPACE = /^[ \t\n\r\f]$/;

/** Split a template into tokens, refusing every construct whose end PostgreSQL might see elsewhere than we do. */
function tokenize(text: string, where: string): Token[] {
  const out: Token[] = [];
  const bad = (why: string): never => {
    throw hushError('PG_TEMPLATE_REFUSED', { where, why });
  };
  let i = 0;
  while (i < text.length) {
    const c = text[i] as string;
    const rest = text.slice(i);
    if (PG_SPACE.test(c)) {
      i += 1;
    } else if (rest.startsWith('--')) {
      // PostgreSQL ends a `--` comment at \n or \r: a statement after a lone \r runs, so it must be checked.
      const found = rest.search(/[\n\r]/);
      const end = found < 0 ? -1 : i + found;
      const comment = end < 0 ? rest : text.slice(i, end);
      if (comment.includes('{{')) bad('has a placeholder inside a comment; move it out of the comment');
      i = end < 0 ? text.length : end + 1;
    } else if (rest.startsWith('/*')) {
      // PostgreSQL nests block comments.
      let depth = 0;
      let j = i;
      for (; j < text.length; j += 1) {
        if (text.startsWith('/*', j)) {
          depth += 1;
          j += 1;
        } else if (text.startsWith('*/', j)) {
          depth -= 1;
          j += 1;
          if (depth === 0) break;
        }
      }
      if (depth !== 0) bad('has an unterminated /* comment');
      if (text.slice(i, j).includes('{{'))
        bad('has a placeholder inside a comment; move it out of the comment');
      i = j + 1;
    } else if (rest.startsWith('{{')) {
      const m = PLACEHOLDER_AT.exec(rest);
      if (!m) bad('has an unbalanced "{{"; write placeholders as {{name}}');
      out.push({ kind: 'placeholder', text: (m as RegExpExecArray)[1] as string });
      i += (m as RegExpExecArray)[0].length;
    } else if (c === "'" || c === '"') {
      const prev = out[out.length - 1];
      if (
        c === "'" &&
        prev &&
        (prev.kind === 'word' || prev.kind === 'number') &&
        !/\s/.test(text[i - 1] ?? ' ')
      )
        bad("uses a prefixed string literal (E'...', U&'...', B'...'); write a plain '...' literal");
      let j = i + 1;
      let body = '';
      for (;;) {
        if (j >= text.length) bad(`has an unterminated ${c === "'" ? 'string' : 'quoted identifier'}`);
        const d = text[j] as string;
        if (d === c) {
          if (text[j + 1] === c) {
            body += c;
            j += 2;
            continue;
          }
          break;
        }
        body += d;
        j += 1;
      }
      if (body.includes('\\')) bad('has a backslash inside quotes; the allow-list refuses escape sequences');
      if (body.includes('{{') || body.includes('}}'))
        bad('has a placeholder inside quotes; write {{name}} bare: Hush quotes every value itself');
      out.push({ kind: c === "'" ? 'string' : 'ident', text: body });
      i = j + 1;
    } else if (/[A-Za-z_]/.test(c)) {
      const m = /^[A-Za-z_][A-Za-z0-9_]*/.exec(rest) as RegExpExecArray;
      out.push({ kind: 'word', text: m[0].toUpperCase() });
      i += m[0].length;
    } else if (/[0-9]/.test(c)) {
      const m = /^[0-9]+/.exec(rest) as RegExpExecArray;
      out.push({ kind: 'number', text: m[0] });
      i += m[0].length;
    } else if (PUNCT.has(c)) {
      out.push({ kind: 'punct', text: c });
      i += 1;
    } else {
      bad(
        `has the character "${c === '$' ? '$ (dollar quoting)' : c}" at offset ${i}, which the statement allow-list does not accept`,
      );
    }
  }
  return out;
}

/** Split tokens into statements at `;` (quotes and comments are already tokens, so every `;` here ends one). */
function statements(tokens: readonly Token[]): Token[][] {
  const out: Token[][] = [[]];
  for (const t of tokens) {
    if (t.kind === 'punct' && t.text === ';') out.push([]);
    else out[out.length - 1]?.push(t);
  }
  return out.filter((s) => s.length > 0);
}

const isWord = (t: Token | undefined, ...words: string[]) =>
  t?.kind === 'word' && (words.length === 0 || words.includes(t.text));
const isName = (t: Token | undefined) => t?.kind === 'placeholder' && t.text === 'name';
const show = (s: readonly Token[]) =>
  s
    .slice(0, 6)
    .map((t) => (t.kind === 'placeholder' ? `{{${t.text}}}` : t.kind === 'string' ? "'...'" : t.text))
    .join(' ');

/** A name in PostgreSQL's own schemas: pg_* catalogs and functions, pg_catalog, information_schema. */
const isSystemName = (text: string) => {
  const upper = text.toUpperCase();
  return upper.startsWith('PG_') || upper === 'INFORMATION_SCHEMA';
};

/**
 * The first function, procedure or routine named without a schema in GRANT ... ON targets, if any. Unqualified, it
 * resolves through the search path, where pg_catalog comes first: `lo_export`, `lo_import` and friends.
 */
function unqualifiedRoutine(targets: readonly Token[]): string | undefined {
  if (!targets.some((t) => isWord(t, 'FUNCTION', 'PROCEDURE', 'ROUTINE'))) return undefined;
  let depth = 0;
  let itemStart = false;
  for (let i = 0; i < targets.length; i += 1) {
    const t = targets[i] as Token;
    if (t.kind === 'punct' && t.text === '(') depth += 1;
    else if (t.kind === 'punct' && t.text === ')') depth -= 1;
    else if (
      depth === 0 &&
      (isWord(t, 'FUNCTION', 'PROCEDURE', 'ROUTINE') || (t.kind === 'punct' && t.text === ','))
    ) {
      itemStart = true;
      continue;
    } else if (itemStart && (t.kind === 'word' || t.kind === 'ident')) {
      const next = targets[i + 1];
      if (!(next?.kind === 'punct' && next.text === '.')) return t.text;
    }
    itemStart = false;
  }
  return undefined;
}

/** Why a statement is refused, or undefined when it is on the allow-list. */
function refusal(s: readonly Token[]): string | undefined {
  const w0 = s[0]?.kind === 'word' ? s[0].text : '';
  const w1 = s[1]?.kind === 'word' ? s[1].text : '';
  const onlyRoleOptions = (from: number): string | undefined => {
    for (const t of s.slice(from)) {
      if (t.kind === 'word' && PRIVILEGED_ATTRIBUTES.has(t.text))
        return `role attribute ${t.text} is refused (a lease's role gets LOGIN, PASSWORD, VALID UNTIL, CONNECTION LIMIT)`;
      if (t.kind === 'word' && !ROLE_OPTION_WORDS.has(t.text))
        return `"${t.text}" is not an allowed role option (allowed: LOGIN, PASSWORD, VALID UNTIL, CONNECTION LIMIT, INHERIT, NO...)`;
      if (t.kind === 'ident') return `"${t.text}" is not an allowed role option`;
      if (t.kind === 'placeholder' && t.text === 'name') return 'the role may be named only once';
    }
    return undefined;
  };
  if ((w0 === 'CREATE' || w0 === 'ALTER') && (w1 === 'ROLE' || w1 === 'USER')) {
    if (!isName(s[2])) return `${w0} ${w1} may only target the lease's role {{name}}`;
    return onlyRoleOptions(3);
  }
  if (w0 === 'GRANT') {
    const on = s.findIndex((t) => isWord(t, 'ON'));
    if (on < 0)
      return 'GRANT of a role (membership) is refused: a member can take on the granted role; grant privileges ON objects instead';
    let depth = 0; // words inside parentheses are column lists: SELECT (a, b) ON t
    for (const t of s.slice(1, on)) {
      if (t.kind === 'punct' && t.text === '(') depth += 1;
      if (t.kind === 'punct' && t.text === ')') depth -= 1;
      if (t.kind === 'word' && depth === 0 && !PRIVILEGE_WORDS.has(t.text))
        return `GRANT of "${t.text}" is not an allowed privilege`;
      if (t.kind === 'string' || t.kind === 'placeholder') return 'GRANT takes privilege names before ON';
    }
    const to = s.findIndex((t, i) => i > on && isWord(t, 'TO'));
    if (to < 0) return 'GRANT needs TO {{name}}';
    const targets = s.slice(on + 1, to);
    for (const t of targets) {
      if (t.kind === 'word' && REFUSED_GRANT_TARGETS.has(t.text)) return `GRANT ... ON ${t.text} is refused`;
      if (t.kind === 'string' || t.kind === 'placeholder') return 'GRANT ... ON takes object names';
      if ((t.kind === 'word' || t.kind === 'ident') && isSystemName(t.text))
        return `GRANT ... ON ${t.text} is refused: system catalogs and functions (pg_authid, pg_read_file, lo_export, ...) stay the admin's`;
    }
    const routine = unqualifiedRoutine(targets);
    if (routine !== undefined)
      return `GRANT ... ON FUNCTION ${routine} is refused: name the function with its schema (e.g. app.${routine.toLowerCase()}), since an unqualified name may be a pg_catalog function such as lo_export`;
    const tail = s.slice(to + 1);
    if (!isName(tail[0])) return "GRANT may only grant to the lease's role {{name}}";
    const extra = tail.slice(1);
    if (
      extra.length > 0 &&
      !(
        extra.length === 3 &&
        isWord(extra[0], 'WITH') &&
        isWord(extra[1], 'GRANT') &&
        isWord(extra[2], 'OPTION')
      )
    )
      return 'GRANT ... TO {{name}} may end only with WITH GRANT OPTION';
    return undefined;
  }
  if (w0 === 'REVOKE') {
    // Revoking only takes privileges away; it still may not smuggle values or call anything.
    if (s.some((t) => t.kind === 'string' || (t.kind === 'placeholder' && t.text !== 'name')))
      return 'REVOKE takes privilege, object and role names only';
    // ... and only from the lease's role: REVOKE ... FROM postgres, PUBLIC would take the admin's or everyone's away.
    const from = s.findLastIndex((t) => isWord(t, 'FROM'));
    const tail = from < 0 ? [] : s.slice(from + 1);
    const ok =
      isName(tail[0]) && (tail.length === 1 || (tail.length === 2 && isWord(tail[1], 'CASCADE', 'RESTRICT')));
    return ok ? undefined : "REVOKE may only revoke FROM the lease's role {{name}} [CASCADE | RESTRICT]";
  }
  if (w0 === 'DROP' && (w1 === 'ROLE' || w1 === 'USER')) {
    const at = isWord(s[2], 'IF') && isWord(s[3], 'EXISTS') ? 4 : 2;
    return isName(s[at]) && s.length === at + 1
      ? undefined
      : `DROP ${w1} may only drop the lease's role {{name}}`;
  }
  if (w0 === 'DROP' && w1 === 'OWNED') {
    const ok =
      isWord(s[2], 'BY') &&
      isName(s[3]) &&
      (s.length === 4 || (s.length === 5 && isWord(s[4], 'CASCADE', 'RESTRICT')));
    return ok ? undefined : "DROP OWNED may only name BY {{name}} (the lease's role)";
  }
  if (w0 === 'REASSIGN' && w1 === 'OWNED') {
    const ok =
      isWord(s[2], 'BY') &&
      isName(s[3]) &&
      isWord(s[4], 'TO') &&
      s.length === 6 &&
      (s[5]?.kind === 'word' || s[5]?.kind === 'ident');
    return ok ? undefined : 'REASSIGN OWNED may only be BY {{name}} TO one role';
  }
  if (w0 === 'SELECT') {
    // Only the default revocation's "end the role's sessions"; any other SELECT can call any function.
    const want = 'SELECT PG_TERMINATE_BACKEND ( PID ) FROM PG_STAT_ACTIVITY WHERE USENAME = {{name_literal}}';
    const got = s
      .map((t) =>
        t.kind === 'placeholder'
          ? `{{${t.text}}}`
          : t.kind === 'word'
            ? t.text
            : t.kind === 'punct'
              ? t.text
              : '?',
      )
      .join(' ');
    return got === want
      ? undefined
      : 'SELECT is refused except SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = {{name_literal}}';
  }
  return `${w0 || show(s)} statements are not on the allow-list`;
}

/**
 * Check every statement of a role template against the allow-list (see the module comment); throws a one-line
 * HUSH_E_INVALID_INPUT naming the statement and why, and how an admin can allow it.
 */
export function checkStatements(kind: TemplateKind, text: string): void {
  const where = `the ${kind} SQL`;
  const list = statements(tokenize(text, where));
  list.forEach((s, index) => {
    const why = refusal(s);
    if (why === undefined) return;
    throw hushError('PG_STATEMENT_REFUSED', { where, value: index + 1, s: show(s), why });
  });
}
