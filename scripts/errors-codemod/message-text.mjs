// How a message expression becomes a template: parts, placeholder names, the hint, the id's words.
import ts from 'typescript';

const IMPERATIVES = new Set(
  `run use set check give create pass write log try unseal ask remove add wait choose fix make start see send retry
  rerun re-run rename delete drop list pick put restore rotate seal init initialise initialize raise lower increase
  install upgrade read supply provide enable disable revoke renew call move mount keep quote escape shorten split point
  allow grant update restart reconnect open edit export import configure register undelete omit stop free lift
  contact clear reset login mark generate copy name store define declare load save enter replace repeat verify`.split(
    /\s+/,
  ),
);
const STOP_WORDS = new Set(
  'a an the is are was were be been of to for and or in on with it its this that by as at from has have had do does'.split(
    ' ',
  ),
);
/** Calls whose result is a formatting of their receiver: the placeholder is named for the receiver. */
const FORMATTERS = new Set([
  'slice',
  'join',
  'toString',
  'toFixed',
  'trim',
  'toISOString',
  'toUpperCase',
  'toLowerCase',
  'map',
  'padStart',
  'padEnd',
  'substring',
  'replace',
  'replaceAll',
  'toLocaleString',
  'at',
  'filter',
  'sort',
]);


// Messages out of expressions.

/** A message expression as parts: strings and expressions, or undefined when it is not literal text. */
export function partsOf(expr) {
  if (ts.isParenthesizedExpression(expr)) return partsOf(expr.expression);
  if (ts.isStringLiteral(expr) || ts.isNoSubstitutionTemplateLiteral(expr)) return [expr.text];
  if (ts.isTemplateExpression(expr)) {
    const parts = [expr.head.text];
    for (const span of expr.templateSpans) parts.push({ expr: span.expression }, span.literal.text);
    return parts;
  }
  if (ts.isBinaryExpression(expr) && expr.operatorToken.kind === ts.SyntaxKind.PlusToken) {
    const leaves = [];
    const flatten = (e) => {
      if (ts.isBinaryExpression(e) && e.operatorToken.kind === ts.SyntaxKind.PlusToken) {
        flatten(e.left);
        flatten(e.right);
      } else leaves.push(e);
    };
    flatten(expr);
    // Left to right, `+` only concatenates once a string has been met: the first leaf must be text.
    if (partsOf(leaves[0]) === undefined) return undefined;
    return leaves.flatMap((l) => partsOf(l) ?? [{ expr: l }]);
  }
  return undefined;
}

const camel = (s) => {
  const clean = s.replace(/^[^A-Za-z]+/, '');
  if (/^[A-Z0-9_]+$/.test(clean))
    return clean.toLowerCase().replace(/_([a-z0-9])/g, (_, c) => c.toUpperCase());
  return clean.charAt(0).toLowerCase() + clean.slice(1);
};

/** A readable placeholder name for an expression. */
function nameOf(e) {
  while (
    ts.isParenthesizedExpression(e) ||
    ts.isAsExpression(e) ||
    ts.isNonNullExpression(e) ||
    ts.isSatisfiesExpression(e) ||
    ts.isAwaitExpression(e)
  )
    e = e.expression;
  if (ts.isIdentifier(e)) return camel(e.text);
  if (ts.isPropertyAccessExpression(e)) return camel(e.name.text);
  if (ts.isElementAccessExpression(e)) return nameOf(e.expression);
  if (ts.isBinaryExpression(e) && [ts.SyntaxKind.QuestionQuestionToken, ts.SyntaxKind.BarBarToken].includes(e.operatorToken.kind))
    return nameOf(e.left); // `err.code ?? 'error'` -> code
  if (ts.isCallExpression(e)) {
    const callee = e.expression;
    if (ts.isPropertyAccessExpression(callee)) {
      const method = callee.name.text;
      if (FORMATTERS.has(method)) return nameOf(callee.expression);
      if (ts.isIdentifier(callee.expression) && ['JSON', 'String', 'Number', 'Math'].includes(callee.expression.text))
        return e.arguments[0] ? nameOf(e.arguments[0]) : 'value';
      return camel(method.replace(/^(get|to|describe|format)(?=[A-Z])/, ''));
    }
    if (ts.isIdentifier(callee)) {
      if (/Of$/.test(callee.text) && callee.text.length > 2) return camel(callee.text.slice(0, -2));
      if (e.arguments[0]) return nameOf(e.arguments[0]);
      return camel(callee.text.replace(/^(get|describe|format)(?=[A-Z])/, ''));
    }
  }
  return 'value';
}

const VALID_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * The template and params of message parts: literal expressions inline, the rest named placeholders.
 * @returns {{ text: string, params: { name: string, expr: string }[] } | undefined}
 */
export function templateOf(parts, sf) {
  let text = '';
  /** @type {{ name: string, expr: string }[]} */ const params = [];
  for (const p of parts) {
    if (typeof p === 'string') {
      if (/\{[A-Za-z_][A-Za-z0-9_]*\}/.test(p)) return undefined; // would read as a placeholder
      text += p;
      continue;
    }
    if (ts.isNumericLiteral(p.expr)) {
      text += p.expr.text;
      continue;
    }
    const exprText = p.expr.getText(sf);
    const same = params.find((q) => q.expr === exprText);
    if (same) {
      text += `{${same.name}}`;
      continue;
    }
    let base = nameOf(p.expr);
    if (!VALID_NAME.test(base) || base === '') base = 'value';
    let name = base;
    for (let n = 2; params.some((q) => q.name === name); n++) name = `${base}${n}`;
    params.push({ name, expr: exprText });
    text += `{${name}}`;
  }
  return { text, params };
}

/** Split `template; hint` where the text after the first `; ` starts with an imperative. */
export function splitHint(text) {
  let at = text.indexOf('; ');
  while (at >= 0) {
    const rest = text.slice(at + 2);
    const first = rest.split(/[\s,`]/)[0]?.toLowerCase() ?? '';
    const head = text.slice(0, at);
    // Never split inside brackets: `x [server code y; upgrade this client]` is one thought.
    const count = (c) => head.split(c).length - 1;
    const inside = count('(') !== count(')') || count('[') !== count(']') || count('`') % 2 === 1;
    if (IMPERATIVES.has(first) && !inside)
      return { template: head, hint: rest };
    at = text.indexOf('; ', at + 2);
  }
  return { template: text };
}

/** UPPER_SNAKE of the first significant words of a template. */
export function idWords(template) {
  const wordsOf = (text) =>
    text
      .replace(/([a-z])([A-Z])/g, '$1_$2')
      .toLowerCase()
      .split(/[^a-z0-9]+/)
      .filter((w) => w !== '' && !STOP_WORDS.has(w) && !/^[0-9]+$/.test(w));
  const plain = wordsOf(template.replace(/\{[A-Za-z_][A-Za-z0-9_]*\}/g, ' '));
  // A short text says little on its own (`{where} is empty`): its placeholder names join the words.
  const words = plain.length >= 3 ? plain : wordsOf(template.replace(/[{}]/g, ' '));
  return words.slice(0, 5).join('_').toUpperCase();
}

/** A single-quoted TypeScript string literal. */
export const quote = (s) => `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'").replace(/\n/g, '\\n')}'`;
