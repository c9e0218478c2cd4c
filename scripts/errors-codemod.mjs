#!/usr/bin/env node
/**
 * errors-codemod: move the wording of coded errors into the message catalogue (src/core/errors/messages/).
 *
 *   node scripts/errors-codemod.mjs            # rewrite throw sites, append new catalogue entries, format
 *   node scripts/errors-codemod.mjs --check    # change nothing; exit 1 if any site would change (CI / after a merge)
 *   ... --root DIR                             # work on another checkout (default: this script's repository)
 *
 * What it does, with the TypeScript compiler API (no regex over code):
 *   `new HushError('HUSH_E_X', <string literal | template literal | 'a' + b concatenation | c ? 'a' : `b`>, ...rest)`
 *   becomes `hushError('SOME_ID', { name: expr, ... }, ...rest)`, and the message becomes a catalogue entry
 *   `SOME_ID: { code, template, hint? }` in messages/<domain>.ts.
 *   - Placeholders: each `${expr}` becomes `{name}`; the name is the identifier, the last property name, the object of
 *     a formatting call (`list.join(', ')` -> list), `xOf(y)` -> x, a wrapper's first argument (`quote(a.b)` -> b),
 *     else `value`; camelCased, suffixed 2, 3... when one name would stand for two different expressions.
 *   - Hint: text after the first `; ` that starts with an imperative (run, use, set, check...) becomes the hint; the
 *     rendered message is still `template; hint`, word for word what the site said before.
 *   - Ids: UPPER_SNAKE of the first significant words of the template; an identical (code, template, hint) anywhere
 *     in the catalogue reuses its id (so equal messages fold into one); a clash with a different message gets the
 *     domain as prefix, then a number.
 *   - Domain (the file the entry goes to): the first folder under src/ (`identity`, `store`...), `cli-<sub>` for
 *     src/cli/<sub>/ and `cli` for files directly in src/cli/.
 *
 * Idempotent and safe to re-run after a merge: sites already calling hushError are left alone, existing catalogue
 * entries (hand-edited or not) are never rewritten, new entries are appended at the end of their domain's table,
 * src/core/errors/message-catalogue.ts is regenerated from the files in messages/. Left alone and reported (the
 * escape hatch that test/error-messages.test.ts counts): a message held in a variable or built by a call, a code
 * that is not a literal, and literal text that contains `{word}` (it would read as a placeholder).
 * Skipped files: tests (*.test.ts, test-support), and src/core/errors/ itself.
 *
 *   node scripts/errors-codemod.mjs --rename OLD_ID=NEW_ID[,OLD2=NEW2...]
 * renames an id in the catalogue and at every `hushError('OLD_ID', ...)` site; when NEW_ID already exists, OLD_ID's
 * entry is removed instead (a fold: two wordings become one; the compiler then checks the sites' params).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const rootAt = process.argv.indexOf('--root'); // another tree (the codemod's own test runs it on a fixture)
const ROOT = rootAt >= 0 ? process.argv[rootAt + 1] : join(dirname(fileURLToPath(import.meta.url)), '..');
const SRC = join(ROOT, 'src');
const ERRORS_DIR = join(SRC, 'core', 'errors');
const MESSAGES_DIR = join(ERRORS_DIR, 'messages');
const AGGREGATE = join(ERRORS_DIR, 'message-catalogue.ts');
const CHECK = process.argv.includes('--check');

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

// ---------------------------------------------------------------------------------------------------------------
// The catalogue as it stands.

/** @typedef {{ id: string, code: string, template: string, hint?: string, domain: string }} Entry */

function domainExport(domain) {
  return `${domain.replace(/-([a-z])/g, (_, c) => c.toUpperCase())}Messages`;
}

/** Every entry of every messages/<domain>.ts, read with the compiler (hand edits are fine). */
function readCatalogue() {
  /** @type {Map<string, Entry>} */
  const byId = new Map();
  /** @type {Map<string, string>} */ const byDomain = new Map(); // domain -> file text
  if (!existsSync(MESSAGES_DIR)) return { byId, byDomain };
  for (const f of readdirSync(MESSAGES_DIR).sort()) {
    if (!f.endsWith('.ts') || f.endsWith('.test.ts')) continue;
    const domain = f.slice(0, -3);
    const text = readFileSync(join(MESSAGES_DIR, f), 'utf8');
    byDomain.set(domain, text);
    const sf = ts.createSourceFile(f, text, ts.ScriptTarget.Latest, true);
    const table = findTable(sf);
    if (!table) continue;
    for (const p of table.properties) {
      if (!ts.isPropertyAssignment(p) || !ts.isObjectLiteralExpression(p.initializer)) continue;
      const id = p.name.getText(sf).replace(/^['"]|['"]$/g, '');
      const fields = {};
      for (const q of p.initializer.properties) {
        if (ts.isPropertyAssignment(q) && ts.isStringLiteralLike(q.initializer))
          fields[q.name.getText(sf)] = q.initializer.text;
      }
      byId.set(id, { id, domain, code: fields.code, template: fields.template, hint: fields.hint });
    }
  }
  return { byId, byDomain };
}

/** The object literal of `export const xMessages = { ... } as const satisfies MessageTable`. */
function findTable(sf) {
  let found;
  const visit = (n) => {
    if (found) return;
    if (ts.isVariableDeclaration(n) && n.initializer) {
      let e = n.initializer;
      while (ts.isSatisfiesExpression(e) || ts.isAsExpression(e) || ts.isParenthesizedExpression(e))
        e = e.expression;
      if (ts.isObjectLiteralExpression(e)) found = e;
      return;
    }
    ts.forEachChild(n, visit);
  };
  visit(sf);
  return found;
}

const keyOf = (code, template, hint) => `${code}\u0000${template}\u0000${hint ?? ''}`;

// ---------------------------------------------------------------------------------------------------------------
// Messages out of expressions.

/** A message expression as parts: strings and expressions, or undefined when it is not literal text. */
function partsOf(expr) {
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
function templateOf(parts, sf) {
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
function splitHint(text) {
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
function idWords(template) {
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

// ---------------------------------------------------------------------------------------------------------------
// The walk over src/.

function sourceFiles(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return e.name === 'test-support' || path === ERRORS_DIR ? [] : sourceFiles(path);
    const skip = !path.endsWith('.ts') || path.endsWith('.test.ts') || path.endsWith('-test-support.ts');
    return skip ? [] : [path];
  });
}

function domainOf(file) {
  const parts = relative(SRC, file).split(sep);
  if (parts[0] === 'cli') return parts.length > 2 ? `cli-${parts[1]}` : 'cli';
  return parts.length > 1 ? parts[0] : 'misc';
}

const quote = (s) => `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'").replace(/\n/g, '\\n')}'`;

function main() {
  const { byId, byDomain } = readCatalogue();
  /** @type {Map<string, string>} */ const idByKey = new Map();
  for (const e of byId.values()) if (!idByKey.has(keyOf(e.code, e.template, e.hint))) idByKey.set(keyOf(e.code, e.template, e.hint), e.id);
  /** @type {Map<string, Entry[]>} */ const added = new Map();
  const escapes = [];
  let converted = 0;
  const changedFiles = [];

  /** The id for a message (reused when the same code, template and hint exist), adding a new entry if needed. */
  const idFor = (code, template, hint, domain) => {
    const known = idByKey.get(keyOf(code, template, hint));
    if (known) return known;
    const words = idWords(template) || 'MESSAGE';
    let id = words;
    if (byId.has(id)) id = `${domain.replace(/-/g, '_').toUpperCase()}_${words}`;
    for (let n = 2; byId.has(id); n++) id = `${domain.replace(/-/g, '_').toUpperCase()}_${words}_${n}`;
    const entry = { id, code, template, hint, domain };
    byId.set(id, entry);
    idByKey.set(keyOf(code, template, hint), id);
    if (!added.has(domain)) added.set(domain, []);
    added.get(domain).push(entry);
    return id;
  };

  for (const file of sourceFiles(SRC)) {
    const text = readFileSync(file, 'utf8');
    if (!text.includes('new HushError(')) continue;
    const sf = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
    const domain = domainOf(file);
    /** @type {{ start: number, end: number, text: string }[]} */ const edits = [];

    /** The hushError(...) call for one literal message, or undefined when it is not literal. */
    const callFor = (code, msgExpr, rest) => {
      const parts = partsOf(msgExpr);
      if (!parts) return undefined;
      const t = templateOf(parts, sf);
      if (!t) return undefined;
      const { template, hint } = splitHint(t.text);
      const id = idFor(code, template, hint, domain);
      const params = t.params.map((p) => (p.name === p.expr ? p.name : `${p.name}: ${p.expr}`));
      const args = [quote(id)];
      if (params.length > 0) args.push(`{ ${params.join(', ')} }`);
      else if (rest.length > 0) args.push('{}');
      args.push(...rest);
      return `hushError(${args.join(', ')})`;
    };

    const wrappers = wrappersOf(sf);
    const visit = (node) => {
      const w = ts.isCallExpression(node) && ts.isIdentifier(node.expression) && wrappers.get(node.expression.text);
      if (w && node.arguments.length === 1) {
        // A call of a one-line wrapper (`invalid('...')`): the call itself becomes the catalogued error.
        const call = callFor(w.code, node.arguments[0], []);
        const stmt = node.parent;
        const asStatement = ts.isExpressionStatement(stmt) || ts.isReturnStatement(stmt);
        if (call && (w.returns || asStatement)) {
          if (w.returns) edits.push({ start: node.getStart(sf), end: node.getEnd(), text: call });
          else edits.push({ start: stmt.getStart(sf), end: stmt.getEnd(), text: `throw ${call};` });
          w.converted++;
          converted++;
          return;
        }
        w.kept++;
      }
      if (wrappers.has(node.name?.text) && ts.isFunctionDeclaration(node)) return; // decided after the walk
      if (ts.isNewExpression(node) && ts.isIdentifier(node.expression) && node.expression.text === 'HushError') {
        const [codeArg, msgArg, ...restArgs] = node.arguments ?? [];
        const where = `${relative(ROOT, file)}:${sf.getLineAndCharacterOfPosition(node.getStart(sf)).line + 1}`;
        const rest = restArgs.map((a) => a.getText(sf));
        let code = codeArg;
        while (code && ts.isParenthesizedExpression(code)) code = code.expression;
        if (code && msgArg && ts.isConditionalExpression(code)) {
          // `c ? 'HUSH_E_A' : 'HUSH_E_B'`: one catalogued message per code, chosen by the same condition.
          const [a, b] = [code.whenTrue, code.whenFalse];
          const yes = ts.isStringLiteralLike(a) && callFor(a.text, msgArg, rest);
          const no = yes && ts.isStringLiteralLike(b) && callFor(b.text, msgArg, rest);
          if (yes && no) {
            edits.push({ start: node.getStart(sf), end: node.getEnd(), text: `(${code.condition.getText(sf)} ? ${yes} : ${no})` });
            converted++;
            return;
          }
        }
        if (!codeArg || !msgArg || !ts.isStringLiteralLike(codeArg)) {
          escapes.push(`${where} (code is not a literal)`);
          return;
        }
        let call = callFor(codeArg.text, msgArg, rest);
        let inner = msgArg;
        while (ts.isParenthesizedExpression(inner)) inner = inner.expression;
        if (!call && ts.isConditionalExpression(inner)) {
          // Only one branch runs, so each branch gets its own call (rest arguments are written in both).
          const yes = callFor(codeArg.text, inner.whenTrue, rest);
          const no = yes && callFor(codeArg.text, inner.whenFalse, rest);
          if (yes && no) call = `(${inner.condition.getText(sf)} ? ${yes} : ${no})`;
        }
        if (!call) {
          escapes.push(`${where} (message: ${msgArg.getText(sf).slice(0, 60).replace(/\s+/g, ' ')})`);
          return;
        }
        edits.push({ start: node.getStart(sf), end: node.getEnd(), text: call });
        converted++;
        return;
      }
      ts.forEachChild(node, visit);
    };
    visit(sf);
    for (const w of wrappers.values()) {
      const where = `${relative(ROOT, file)}:${sf.getLineAndCharacterOfPosition(w.node.getStart(sf)).line + 1}`;
      const otherUses = countIdentifier(sf, w.node.name.text) - 1 - w.converted - w.kept;
      if (w.kept === 0 && otherUses === 0 && w.converted > 0)
        edits.push({ start: w.node.getFullStart(), end: w.node.getEnd(), text: '' });
      else escapes.push(`${where} (wrapper ${w.node.name.text}(message), ${w.kept + otherUses} use(s) left)`);
    }
    if (edits.length === 0) continue;

    let out = text;
    for (const e of edits.sort((a, b) => b.start - a.start))
      out = out.slice(0, e.start) + e.text + out.slice(e.end);
    out = fixImports(out, file);
    changedFiles.push({ file, out });
  }

  // The catalogue first: a site never names an id that was not written.
  const catalogueFiles = writeCatalogue(byDomain, added);
  if (!CHECK) for (const { file, out } of changedFiles) writeFileSync(file, out);
  const newIds = [...added.values()].reduce((n, l) => n + l.length, 0);
  console.log(`errors-codemod: ${converted} throw site(s) converted in ${changedFiles.length} file(s), ${newIds} new id(s)`);
  console.log(`errors-codemod: ${escapes.length} site(s) left as escape hatches (dynamic messages):`);
  for (const e of escapes) console.log(`  ${e}`);
  if (CHECK) {
    if (converted > 0) {
      console.log('errors-codemod --check: sites to convert; run `node scripts/errors-codemod.mjs`');
      process.exitCode = 1;
    }
    return;
  }
  const touched = [...changedFiles.map((c) => c.file), ...catalogueFiles];
  const biome = join(ROOT, 'node_modules', '.bin', 'biome');
  if (touched.length > 0 && existsSync(biome)) {
    const r = spawnSync(biome, ['check', '--write', ...touched.map((f) => relative(ROOT, f))], {
      cwd: ROOT,
      stdio: 'inherit',
    });
    if (r.status !== 0) console.log('errors-codemod: biome reported problems above (the rewrite is kept)');
  }
}

/**
 * One-line wrappers of a file: `function invalid(message: string) { throw|return new HushError('HUSH_E_X', message); }`.
 * Their calls with literal text are converted like `new HushError` sites; the wrapper goes once nothing calls it.
 */
function wrappersOf(sf) {
  const found = new Map();
  for (const s of sf.statements) {
    if (!ts.isFunctionDeclaration(s) || !s.name || !s.body || s.parameters.length !== 1) continue;
    const [only] = s.body.statements;
    const param = s.parameters[0].name;
    if (s.body.statements.length !== 1 || !ts.isIdentifier(param)) continue;
    if (!ts.isReturnStatement(only) && !ts.isThrowStatement(only)) continue;
    const e = only.expression;
    if (!e || !ts.isNewExpression(e) || !ts.isIdentifier(e.expression) || e.expression.text !== 'HushError') continue;
    const [code, msg, ...rest] = e.arguments ?? [];
    if (!code || !ts.isStringLiteralLike(code) || !msg || !ts.isIdentifier(msg) || msg.text !== param.text) continue;
    if (rest.length > 0) continue;
    found.set(s.name.text, { node: s, code: code.text, returns: ts.isReturnStatement(only), converted: 0, kept: 0 });
  }
  return found;
}

/** How many identifiers in `sf` are spelled `name`. */
function countIdentifier(sf, name) {
  let n = 0;
  const visit = (node) => {
    if (ts.isIdentifier(node) && node.text === name) n++;
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return n;
}

/** Import hushError; drop the HushError import when nothing else in the file names it. */
function fixImports(text, file) {
  const rel = relative(dirname(file), join(ERRORS_DIR, 'index.js')).split(sep).join('/');
  const spec = rel.startsWith('.') ? rel : `./${rel}`;
  let sf = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  const imports = sf.statements.filter(ts.isImportDeclaration);
  const names = (d) => {
    const b = d.importClause?.namedBindings;
    return b && ts.isNamedImports(b) ? b.elements.map((e) => e.name.text) : [];
  };
  if (!imports.some((d) => names(d).includes('hushError'))) {
    const last = imports.at(-1);
    const at = last ? last.getEnd() : 0;
    text = `${text.slice(0, at)}${last ? '\n' : ''}import { hushError } from '${spec}';${last ? '' : '\n'}${text.slice(at)}`;
    sf = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  }
  let used = false;
  const visit = (n) => {
    if (used || ts.isImportDeclaration(n)) return;
    if (ts.isIdentifier(n) && n.text === 'HushError') used = true;
    else ts.forEachChild(n, visit);
  };
  visit(sf);
  if (used) return text;
  for (const d of sf.statements.filter(ts.isImportDeclaration)) {
    const b = d.importClause?.namedBindings;
    if (!b || !ts.isNamedImports(b)) continue;
    const el = b.elements.find((e) => e.name.text === 'HushError');
    if (!el) continue;
    if (b.elements.length === 1 && !d.importClause.name)
      return text.slice(0, d.getStart(sf)) + text.slice(d.getEnd()).replace(/^\r?\n/, '');
    const keep = b.elements.filter((e) => e !== el).map((e) => e.getText(sf));
    return `${text.slice(0, b.getStart(sf))}{ ${keep.join(', ')} }${text.slice(b.getEnd())}`;
  }
  return text;
}

/** Append new entries to their domain files and regenerate the aggregate; returns the files written. */
function writeCatalogue(byDomain, added) {
  const written = [];
  if (!CHECK) mkdirSync(MESSAGES_DIR, { recursive: true });
  for (const [domain, entries] of added) {
    const lines = entries.map((e) => {
      const hint = e.hint === undefined ? '' : `, hint: ${quote(e.hint)}`;
      return `  ${e.id}: { code: ${quote(e.code)}, template: ${quote(e.template)}${hint} },\n`;
    });
    let text = byDomain.get(domain);
    if (text === undefined) {
      text =
        `import type { MessageTable } from '../message-template.js';\n\n` +
        `/** Messages raised under src/${domain.replace('-', '/')}/ (ids are unique across every domain file). */\n` +
        `export const ${domainExport(domain)} = {\n} as const satisfies MessageTable;\n`;
    }
    const sf = ts.createSourceFile(domain, text, ts.ScriptTarget.Latest, true);
    const table = findTable(sf);
    const close = table.getEnd() - 1; // the closing brace
    const before = text.slice(0, close).replace(/\s*$/, '');
    const sepr = before.endsWith('{') || before.endsWith(',') ? '\n' : ',\n';
    text = `${before}${sepr}${lines.join('')}${text.slice(close)}`;
    byDomain.set(domain, text);
    const file = join(MESSAGES_DIR, `${domain}.ts`);
    written.push(file);
    if (!CHECK) writeFileSync(file, text);
  }
  const domains = [...byDomain.keys()].sort();
  const aggregate =
    '// Generated by scripts/errors-codemod.mjs from the files in messages/ (re-run it after adding a domain file).\n' +
    domains.map((d) => `import { ${domainExport(d)} } from './messages/${d}.js';`).join('\n') +
    '\n\n/** Every catalogued message by id; one table per domain in messages/, ids unique across them. */\n' +
    `export const MESSAGES = {\n${domains.map((d) => `  ...${domainExport(d)},\n`).join('')}} as const;\n\n` +
    '/** The domain tables by file name, for tests that check ids are unique across them. */\n' +
    `export const MESSAGE_TABLES = {\n${domains.map((d) => `  '${d}': ${domainExport(d)},\n`).join('')}} as const;\n`;
  const old = existsSync(AGGREGATE) ? readFileSync(AGGREGATE, 'utf8') : '';
  if (old.replace(/\s+/g, '') !== aggregate.replace(/\s+/g, '')) {
    if (!CHECK) writeFileSync(AGGREGATE, aggregate);
    written.push(AGGREGATE);
  }
  return written;
}

/** `--rename OLD=NEW,...`: rename ids (or fold OLD into an existing NEW) in the catalogue and at the call sites. */
function rename(pairs) {
  const { byId } = readCatalogue();
  for (const [from, to] of pairs) {
    const entry = byId.get(from);
    if (!entry) throw new Error(`no catalogue id ${from}`);
    const file = join(MESSAGES_DIR, `${entry.domain}.ts`);
    const text = readFileSync(file, 'utf8');
    const sf = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
    const prop = findTable(sf).properties.find((p) => p.name.getText(sf) === from);
    let out;
    if (byId.has(to)) {
      const end = text.slice(prop.getEnd()).match(/^\s*,/)?.[0].length ?? 0;
      out = text.slice(0, prop.getFullStart()) + text.slice(prop.getEnd() + end);
      byId.delete(from);
    } else {
      out = text.slice(0, prop.name.getStart(sf)) + to + text.slice(prop.name.getEnd());
      byId.set(to, { ...entry, id: to });
      byId.delete(from);
    }
    writeFileSync(file, out);
  }
  // A chain (A=B, B=C) sends A's sites to C.
  const map = new Map(pairs);
  const finalOf = (id, seen = new Set()) =>
    map.has(id) && !seen.has(id) ? finalOf(map.get(id), seen.add(id)) : id;
  for (const from of map.keys()) map.set(from, finalOf(from));
  const allTs = (dir) =>
    (existsSync(dir) ? readdirSync(dir, { withFileTypes: true }) : []).flatMap((e) =>
      e.isDirectory() ? allTs(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [],
    );
  for (const file of [...allTs(SRC), ...allTs(join(ROOT, 'test'))]) {
    const text = readFileSync(file, 'utf8');
    if (!text.includes('hushError(')) continue;
    const sf = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
    const edits = [];
    const visit = (n) => {
      if (ts.isCallExpression(n) && ts.isIdentifier(n.expression) && n.expression.text === 'hushError') {
        const a = n.arguments[0];
        if (a && ts.isStringLiteralLike(a) && map.has(a.text))
          edits.push({ start: a.getStart(sf), end: a.getEnd(), text: quote(map.get(a.text)) });
      }
      ts.forEachChild(n, visit);
    };
    visit(sf);
    let out = text;
    for (const e of edits.sort((a, b) => b.start - a.start)) out = out.slice(0, e.start) + e.text + out.slice(e.end);
    if (out !== text) writeFileSync(file, out);
  }
  console.log(`errors-codemod: renamed or folded ${pairs.length} id(s)`);
}

const renameAt = process.argv.indexOf('--rename');
if (renameAt >= 0) {
  const pairs = (process.argv[renameAt + 1] ?? '').split(',').filter(Boolean).map((p) => p.split('='));
  if (pairs.length === 0 || pairs.some((p) => p.length !== 2 || !/^[A-Z][A-Z0-9_]*$/.test(p[1])))
    throw new Error('usage: --rename OLD_ID=NEW_ID[,OLD2=NEW2...]');
  rename(pairs);
} else main();
