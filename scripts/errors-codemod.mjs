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
 *   - A code chosen by a condition of two literals (`c ? 'HUSH_E_A' : 'HUSH_E_B'`) gives one entry per code.
 *   - One-line wrappers (`function invalid(message: string) { throw new HushError('HUSH_E_X', message); }`): their
 *     calls with literal text become `throw hushError(...)` (or `hushError(...)` for a returning wrapper), and the
 *     wrapper is removed once nothing calls it.
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
 *
 * After a run: review the new ids (rename the clumsy ones with --rename), fold near-duplicates (same meaning, other
 * words) by editing the kept entry and --rename, then `npx tsc -p tsconfig.json --noEmit` and
 * `npx vitest run test/error-messages.test.ts test/docs-commands.test.ts`.
 * Parts: errors-codemod/message-text.mjs (template, names, hint, id words), catalogue-files.mjs, site-rewrite.mjs
 * (wrappers, imports), rename.mjs, paths.mjs.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import ts from 'typescript';
import { keyOf, readCatalogue, writeCatalogue } from './errors-codemod/catalogue-files.mjs';
import { idWords, partsOf, splitHint, templateOf, quote } from './errors-codemod/message-text.mjs';
import { CHECK, ERRORS_DIR, ROOT, SRC } from './errors-codemod/paths.mjs';
import { rename } from './errors-codemod/rename.mjs';
import { countIdentifier, fixImports, wrappersOf } from './errors-codemod/site-rewrite.mjs';

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

const renameAt = process.argv.indexOf('--rename');
if (renameAt >= 0) {
  const pairs = (process.argv[renameAt + 1] ?? '').split(',').filter(Boolean).map((p) => p.split('='));
  if (pairs.length === 0 || pairs.some((p) => p.length !== 2 || !/^[A-Z][A-Z0-9_]*$/.test(p[1])))
    throw new Error('usage: --rename OLD_ID=NEW_ID[,OLD2=NEW2...]');
  rename(pairs);
} else main();
