// Rewrites inside a source file: one-line wrappers of HushError, and the imports after a rewrite.
import { dirname, join, relative, sep } from 'node:path';
import ts from 'typescript';
import { ERRORS_DIR } from './paths.mjs';

/**
 * One-line wrappers of a file: `function invalid(message: string) { throw|return new HushError('HUSH_E_X', message); }`.
 * Their calls with literal text are converted like `new HushError` sites; the wrapper goes once nothing calls it.
 */
export function wrappersOf(sf) {
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
export function countIdentifier(sf, name) {
  let n = 0;
  const visit = (node) => {
    if (ts.isIdentifier(node) && node.text === name) n++;
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return n;
}

/** Import hushError; drop the HushError import when nothing else in the file names it. */
export function fixImports(text, file) {
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
