import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

/**
 * The house's import graph, read with the TypeScript parser (every `import`, `export ... from`, `import()` and
 * `import x = require()` of src/, tests excluded): services know no HTTP, top-level folders form no circle, core/ is
 * pure, src never reaches into test/, index.ts files only re-export, and docs/ARCHITECTURE.md describes every folder.
 */

const ROOT = join(import.meta.dirname, '..');
const SRC = join(ROOT, 'src');

/** Folders that hold services (business rules): none of them may import the HTTP server. */
const SERVICES = [
  'alerts',
  'approvals',
  'audit',
  'certs',
  'compat',
  'cluster',
  'compat',
  'core',
  'crypt',
  'engines',
  'fs',
  'hsm',
  'identity',
  'incident',
  'inject',
  'leases',
  'net',
  'operator',
  'pki',
  'ports',
  'rotation',
  'scan',
  'seal',
  'storage',
  'store',
  'transit',
  'trust',
];

/** Node modules that do I/O: core/ takes bytes and strings and returns values. */
const IO_MODULES =
  /^(node:)?(fs|fs\/promises|net|tls|http|https|http2|dgram|dns|child_process|cluster|worker_threads)$/;

interface Import {
  readonly from: string; // repo-relative path of the importing file
  readonly specifier: string;
  readonly target?: string; // repo-relative path the specifier resolves to (relative specifiers only)
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts') ? [path] : [];
  });
}

function parse(file: string): ts.SourceFile {
  return ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
}

function importsOf(file: string): Import[] {
  const found: Import[] = [];
  const from = relative(ROOT, file).split(sep).join('/');
  const add = (node: ts.Node | undefined) => {
    if (!node || !ts.isStringLiteralLike(node)) return;
    const specifier = node.text;
    const target = specifier.startsWith('.')
      ? relative(ROOT, join(dirname(file), specifier))
          .split(sep)
          .join('/')
      : undefined;
    found.push({ from, specifier, ...(target ? { target } : {}) });
  };
  const visit = (node: ts.Node): void => {
    if (ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) add(node.moduleSpecifier);
    else if (ts.isImportEqualsDeclaration(node) && ts.isExternalModuleReference(node.moduleReference))
      add(node.moduleReference.expression);
    else if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword)
      add(node.arguments[0]);
    else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument)) add(node.argument.literal);
    ts.forEachChild(node, visit);
  };
  visit(parse(file));
  return found;
}

/** `src/<folder>/...` -> folder; `src/index.ts` -> undefined (the package facade sits above everything). */
function topFolder(path: string): string | undefined {
  const parts = path.split('/');
  if (parts[0] !== 'src') return parts[0];
  return parts.length > 2 ? parts[1] : undefined;
}

const FILES = sourceFiles(SRC);
const IMPORTS = FILES.flatMap(importsOf);
const TOP_FOLDERS = readdirSync(SRC, { withFileTypes: true })
  .filter((e) => e.isDirectory())
  .map((e) => e.name)
  .sort();

/** Folder -> folder edges of src/, each with the imports that make it. */
function folderEdges(): Map<string, Map<string, string[]>> {
  const edges = new Map<string, Map<string, string[]>>();
  for (const imp of IMPORTS) {
    const a = topFolder(imp.from);
    const b = imp.target ? topFolder(imp.target) : undefined;
    if (!a || !b || a === b || !imp.target?.startsWith('src/')) continue;
    const out = edges.get(a) ?? new Map<string, string[]>();
    out.set(b, [...(out.get(b) ?? []), `${imp.from} -> ${imp.specifier}`]);
    edges.set(a, out);
  }
  return edges;
}

/** Every cycle of folders, as the shortest path back found from each edge (one report per cycle). */
function folderCycles(edges: Map<string, Map<string, string[]>>): string[] {
  const cycles = new Set<string>();
  for (const [start, outs] of edges) {
    for (const next of outs.keys()) {
      // Breadth-first from `next` back to `start`.
      const previous = new Map<string, string>([[next, start]]);
      const queue = [next];
      while (queue.length > 0) {
        const at = queue.shift() as string;
        if (at === start) break;
        for (const onward of edges.get(at)?.keys() ?? []) {
          if (previous.has(onward)) continue;
          previous.set(onward, at);
          queue.push(onward);
        }
      }
      if (!previous.has(start) || start === next) continue;
      const path = [start];
      for (let at = previous.get(start) as string; at !== start; at = previous.get(at) as string)
        path.unshift(at);
      path.unshift(start);
      // Rotate so the same cycle found from another folder reads alike.
      const ring = path.slice(1);
      const first = ring.indexOf([...ring].sort()[0] as string);
      const canonical = [...ring.slice(first), ...ring.slice(0, first)];
      cycles.add([...canonical, canonical[0]].join(' -> '));
    }
  }
  return [...cycles].sort();
}

describe('import graph', () => {
  it('reads a plausible number of imports (the parser sees the tree)', () => {
    expect(FILES.length).toBeGreaterThan(300);
    expect(IMPORTS.length).toBeGreaterThan(1000);
  });

  it('no service folder imports the HTTP server', () => {
    const offending = IMPORTS.filter((imp) => {
      const from = topFolder(imp.from);
      return from && SERVICES.includes(from) && imp.target?.startsWith('src/server/');
    }).map((imp) => `${imp.from} -> ${imp.specifier}`);
    expect(offending).toEqual([]);
  });

  it('the wire contract (api/) imports neither the HTTP server nor the SDK (both derive from it)', () => {
    const offending = IMPORTS.filter(
      (imp) =>
        topFolder(imp.from) === 'api' &&
        (imp.target?.startsWith('src/server/') || imp.target?.startsWith('src/client/')),
    ).map((imp) => `${imp.from} -> ${imp.specifier}`);
    expect(offending).toEqual([]);
  });

  it('every top-level folder of src/ is classified here (a new service joins SERVICES)', () => {
    // api/ is the wire contract: below server/ and client/, above the services whose shapes it names.
    const known = new Set([...SERVICES, 'server', 'cli', 'client', 'config', 'api']);
    expect(TOP_FOLDERS.filter((f) => !known.has(f))).toEqual([]);
  });

  it('top-level folders of src/ form no circle', () => {
    expect(folderCycles(folderEdges())).toEqual([]);
  });

  it('core/ imports nothing of ours outside core/ and no I/O module', () => {
    const offending = IMPORTS.filter((imp) => topFolder(imp.from) === 'core').filter((imp) =>
      imp.target ? topFolder(imp.target) !== 'core' : IO_MODULES.test(imp.specifier),
    );
    expect(offending.map((imp) => `${imp.from} -> ${imp.specifier}`)).toEqual([]);
  });

  it('core/ reads no environment', () => {
    const offending = FILES.filter((f) => relative(SRC, f).startsWith(`core${sep}`)).filter((f) =>
      /\bprocess\.(env|argv|cwd|exit)\b/.test(readFileSync(f, 'utf8')),
    );
    expect(offending.map((f) => relative(ROOT, f))).toEqual([]);
  });

  it('src/ never imports test/ (test helpers have one home, under test/)', () => {
    const offending = IMPORTS.filter((imp) => imp.target?.startsWith('test/'));
    expect(offending.map((imp) => `${imp.from} -> ${imp.specifier}`)).toEqual([]);
  });
});

describe('faces and homes', () => {
  it('index.ts files only re-export', () => {
    const offending = FILES.filter((f) => f.endsWith(`${sep}index.ts`)).filter((f) =>
      parse(f).statements.some((s) => !ts.isExportDeclaration(s) || !s.moduleSpecifier),
    );
    expect(offending.map((f) => relative(ROOT, f))).toEqual([]);
  });

  it('no test-support folder or file under src/ (helpers live in test/support/)', () => {
    const offending = FILES.map((f) => relative(ROOT, f)).filter((f) => /test-support/.test(f));
    expect(offending).toEqual([]);
  });

  it('there is one run-hush helper', () => {
    const walk = (dir: string): string[] =>
      readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
        e.isDirectory()
          ? e.name === 'node_modules' || e.name.startsWith('.') || e.name === 'dist'
            ? []
            : walk(join(dir, e.name))
          : e.name.startsWith('run-hush.')
            ? [relative(ROOT, join(dir, e.name))]
            : [],
      );
    expect([...walk(join(ROOT, 'src')), ...walk(join(ROOT, 'test'))]).toEqual(['test/support/run-hush.ts']);
  });

  it('docs/ARCHITECTURE.md describes every top-level folder of src/', () => {
    const doc = readFileSync(join(ROOT, 'docs', 'ARCHITECTURE.md'), 'utf8');
    expect(TOP_FOLDERS.filter((f) => !doc.includes(`src/${f}/`))).toEqual([]);
  });
});

/** Storage folders that are not adapters (the read cache wraps any backend). */
const STORAGE_NON_ADAPTERS = ['cache'];

describe('storage adapters have one face (as Kysely dialect folders do)', () => {
  const folders = readdirSync(join(SRC, 'storage'), { withFileTypes: true })
    .filter((e) => e.isDirectory() && !STORAGE_NON_ADAPTERS.includes(e.name))
    .map((e) => e.name);

  it('finds the four adapters', () => {
    expect(folders.sort()).toEqual(['dynamodb', 'memory', 'postgres', 'sqlite']);
  });

  it.each(folders)(
    '%s/index.ts exports open<Name>Backend, <name>ConfigSchema and parse<Name>Config',
    async (f) => {
      const name = f === 'dynamodb' ? 'Dynamo' : `${f[0]!.toUpperCase()}${f.slice(1)}`;
      const face = (await import(join(SRC, 'storage', f, 'index.ts'))) as Record<string, unknown>;
      for (const wanted of [
        `open${name}Backend`,
        `${name[0]!.toLowerCase()}${name.slice(1)}ConfigSchema`,
        `parse${name}Config`,
      ]) {
        expect(typeof face[wanted], `${f}/index.ts: ${wanted}`).not.toBe('undefined');
      }
    },
  );

  it('every backend kind of the registry is an adapter folder', async () => {
    const registry = readFileSync(join(SRC, 'storage', 'open-backend.ts'), 'utf8');
    for (const f of folders) expect(registry).toContain(`./${f}/index.js`);
  });
});
