// `--rename OLD=NEW,...`: rename ids, or fold OLD into an existing NEW, in the catalogue and at the call sites.
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';
import { findTable, readCatalogue } from './catalogue-files.mjs';
import { quote } from './message-text.mjs';
import { MESSAGES_DIR, ROOT, SRC } from './paths.mjs';

/** `--rename OLD=NEW,...`: rename ids (or fold OLD into an existing NEW) in the catalogue and at the call sites. */
export function rename(pairs) {
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
