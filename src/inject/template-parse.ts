import { parseTtlSeconds } from '../core/certs/pki-role.js';
import { hushError } from '../core/errors/index.js';
import { CERT_PARTS, type CertPart, type CertRequest } from './cert-renewals.js';

/** Where a directive starts in the template (1-based). */
export interface Position {
  readonly line: number;
  readonly col: number;
}

/** A parsed template piece: literal text, a secret (optionally one field), an environment variable. */
export type TemplateNode =
  | { readonly kind: 'text'; readonly text: string }
  | { readonly kind: 'secret'; readonly address: string; readonly field?: string; readonly at: Position }
  | { readonly kind: 'env'; readonly name: string; readonly at: Position }
  | {
      readonly kind: 'pki';
      readonly request: CertRequest;
      readonly part: CertPart;
      readonly at: Position;
    };

/**
 * Parse a template: text with `{{ secret "ADDR" }}`, `{{ secret "ADDR" "field" }}`, `{{ env "NAME" }}`,
 * `{{ pki "ROLE" "NAME[,NAME...]" "cert|key|chain|fullchain" ["TTL"] }}` (a certificate from Hush's CA; the same
 * role, names and TTL share one certificate and key) and `{{ "literal" }}` (to write a literal `{{`). A hand-written scanner, no eval: anything else inside `{{ }}` is an
 * error with its line:col.
 *
 * @example
 * parseTemplate('pw={{ secret "p/e/db" "password" }}').length; // 2
 */
export function parseTemplate(source: string): TemplateNode[] {
  const nodes: TemplateNode[] = [];
  let i = 0;
  while (i < source.length) {
    const open = source.indexOf('{{', i);
    if (open < 0) {
      nodes.push({ kind: 'text', text: source.slice(i) });
      break;
    }
    if (open > i) nodes.push({ kind: 'text', text: source.slice(i, open) });
    const { node, end } = parseDirective(source, open);
    nodes.push(node);
    i = end;
  }
  return nodes;
}

/** The 1-based line:col of an offset. */
export function positionOf(source: string, offset: number): Position {
  let line = 1;
  let lineStart = 0;
  for (let k = 0; k < offset; k++) {
    if (source.charCodeAt(k) === 10) {
      line += 1;
      lineStart = k + 1;
    }
  }
  return { line, col: offset - lineStart + 1 };
}

function fail(source: string, offset: number, what: string): never {
  const at = positionOf(source, offset);
  throw hushError(
    'TEMPLATE_LINE_COL_WHAT',
    { line: at.line, col: at.col, what },
    {
      line: at.line,
      col: at.col,
    },
  );
}

function parseDirective(source: string, open: number): { node: TemplateNode; end: number } {
  const at = positionOf(source, open);
  let i = skipSpace(source, open + 2);
  const words: { kind: 'word' | 'string'; text: string; offset: number }[] = [];
  while (!source.startsWith('}}', i)) {
    if (i >= source.length || source[i] === '\n')
      fail(source, open, '"{{" is not closed by "}}" on the same line');
    if (source[i] === '"') {
      const { text, end } = readString(source, i);
      words.push({ kind: 'string', text, offset: i });
      i = end;
    } else {
      const m = /^[A-Za-z_][A-Za-z0-9_]*/.exec(source.slice(i, i + 64));
      if (!m)
        fail(
          source,
          i,
          `unexpected character ${JSON.stringify(source[i])}; expected a directive or "string"`,
        );
      words.push({ kind: 'word', text: m[0], offset: i });
      i += m[0].length;
    }
    i = skipSpace(source, i);
  }
  const end = i + 2;
  const [head, ...args] = words;
  if (head === undefined) fail(source, open, 'empty directive; expected secret "ADDR", env "NAME" or "text"');
  if (head.kind === 'string' && args.length === 0) return { node: { kind: 'text', text: head.text }, end };
  const strings = args.every((a) => a.kind === 'string') ? args.map((a) => a.text) : undefined;
  if (
    head.kind === 'word' &&
    head.text === 'secret' &&
    strings &&
    (strings.length === 1 || strings.length === 2)
  ) {
    const [address = '', field] = strings;
    return { node: { kind: 'secret', address, ...(field !== undefined ? { field } : {}), at }, end };
  }
  if (head.kind === 'word' && head.text === 'env' && strings?.length === 1) {
    return { node: { kind: 'env', name: strings[0] ?? '', at }, end };
  }
  if (
    head.kind === 'word' &&
    head.text === 'pki' &&
    strings &&
    (strings.length === 3 || strings.length === 4)
  ) {
    const [role = '', names = '', part = '', ttl] = strings;
    if (!(CERT_PARTS as readonly string[]).includes(part))
      fail(
        source,
        head.offset,
        `pki part must be one of ${CERT_PARTS.join(', ')}, got ${JSON.stringify(part)}`,
      );
    const request: CertRequest = {
      role,
      names: names
        .split(',')
        .map((n) => n.trim())
        .filter(Boolean),
      ...(ttl !== undefined ? { ttlSeconds: parseTtlSeconds(ttl) } : {}),
    };
    return { node: { kind: 'pki', request, part: part as CertPart, at }, end };
  }
  if (head.kind === 'word' && head.text === 'pki') {
    fail(
      source,
      head.offset,
      'pki takes quoted arguments: {{ pki "ROLE" "NAME[,NAME...]" "cert|key|chain|fullchain" ["TTL"] }}',
    );
  }
  if (head.kind === 'word' && (head.text === 'secret' || head.text === 'env')) {
    const usage = head.text === 'secret' ? 'secret "ADDR" ["field"]' : 'env "NAME"';
    fail(source, head.offset, `${head.text} takes quoted arguments: {{ ${usage} }}`);
  }
  fail(
    source,
    head.offset,
    `unknown directive ${JSON.stringify(head.text)}; expected secret, env, pki or "text"`,
  );
}

function skipSpace(source: string, i: number): number {
  let k = i;
  while (source[k] === ' ' || source[k] === '\t') k += 1;
  return k;
}

function readString(source: string, start: number): { text: string; end: number } {
  let text = '';
  let i = start + 1;
  for (;;) {
    const c = source[i];
    if (c === undefined || c === '\n') fail(source, start, 'string is not closed by " on the same line');
    if (c === '"') return { text, end: i + 1 };
    if (c === '\\') {
      const n = source[i + 1];
      if (n !== '"' && n !== '\\')
        fail(source, i, 'only \\" and \\\\ escapes are allowed in template strings');
      text += n;
      i += 2;
      continue;
    }
    text += c;
    i += 1;
  }
}
