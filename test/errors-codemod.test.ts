import { execFile } from 'node:child_process';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { REPO_ROOT } from './support/compiled.js';
import { makeTempDir, removeTempDir } from './support/temp-dir.js';

// scripts/errors-codemod.mjs is re-run by the lead after merges, over throw sites it has never seen: it must
// reuse ids for messages already catalogued, add the rest, leave dynamic messages alone, and change nothing the
// second time. Run for real (a child node process) on a small fixture tree.

const run = promisify(execFile);
const CODEMOD = join(REPO_ROOT, 'scripts', 'errors-codemod.mjs');

const CATALOGUE = `import type { MessageTable } from '../message-template.js';

export const storeMessages = {
  NO_POLICY_NAMED: {
    code: 'HUSH_E_NOT_FOUND',
    template: 'no policy named "{name}"',
    hint: 'run \`hush policy list\` to see them',
  },
} as const satisfies MessageTable;
`;

const SITE = `import { HushError } from '../core/errors/hush-error.js';

function invalid(message: string): never {
  throw new HushError('HUSH_E_INVALID_INPUT', message);
}

export function check(name: string, size: number, why: string, opts: { limit: number }): void {
  if (name === '') throw new HushError('HUSH_E_NOT_FOUND', \`no policy named "\${name}"; run \\\`hush policy list\\\` to see them\`);
  if (size > opts.limit) throw new HushError('HUSH_E_TOO_LARGE', 'widget is ' + size + ' bytes; the limit is ' + opts.limit, { size });
  if (size < 0) invalid(\`widget \${name.slice(0, 10)} has a negative size\`);
  if (why) throw new HushError('HUSH_E_INVALID_INPUT', why);
}
`;

describe('errors-codemod', () => {
  let root: string;
  beforeEach(async () => {
    root = await makeTempDir('errors-codemod');
    await mkdir(join(root, 'src/core/errors/messages'), { recursive: true });
    await mkdir(join(root, 'src/widgets'), { recursive: true });
    await writeFile(join(root, 'src/core/errors/messages/store.ts'), CATALOGUE);
    await writeFile(join(root, 'src/widgets/check.ts'), SITE);
  });
  afterEach(() => removeTempDir(root));

  const codemod = (...args: string[]) =>
    run(process.execPath, [CODEMOD, '--root', root, ...args]).then(
      (r) => ({ code: 0, out: r.stdout }),
      (e: { code: number; stdout: string }) => ({ code: e.code, out: e.stdout }),
    );

  it('converts literal sites, reuses known ids, inlines wrappers, keeps dynamic ones, and is idempotent', async () => {
    expect((await codemod('--check')).code).toBe(1); // sites to convert, nothing written
    expect(await readFile(join(root, 'src/widgets/check.ts'), 'utf8')).toBe(SITE);

    const first = await codemod();
    expect(first.code).toBe(0);
    expect(first.out).toMatch(/3 throw site\(s\) converted in 1 file\(s\), 2 new id\(s\)/);
    expect(first.out).toMatch(
      /1 site\(s\) left as escape hatches[\s\S]*src\/widgets\/check\.ts:\d+ \(message: why\)/,
    );

    const site = await readFile(join(root, 'src/widgets/check.ts'), 'utf8');
    expect(site).toContain("throw hushError('NO_POLICY_NAMED', { name })"); // the existing id, not a new one
    expect(site).toContain("hushError('WIDGET_BYTES_LIMIT', { size, limit: opts.limit }, { size })");
    expect(site).toContain("throw hushError('WIDGET_NEGATIVE_SIZE', { name: name.slice(0, 10) });");
    expect(site).toContain("new HushError('HUSH_E_INVALID_INPUT', why)"); // the escape hatch stays
    expect(site).not.toContain('function invalid'); // the wrapper went with its last call
    expect(site).toContain("import { hushError } from '../core/errors/index.js';");

    const added = await readFile(join(root, 'src/core/errors/messages/widgets.ts'), 'utf8');
    expect(added).toContain('export const widgetsMessages = {');
    expect(added).toContain("template: 'widget is {size} bytes; the limit is {limit}'");
    expect(added).toContain("template: 'widget {name} has a negative size'");
    expect(await readFile(join(root, 'src/core/errors/messages/store.ts'), 'utf8')).toBe(CATALOGUE);
    const aggregate = await readFile(join(root, 'src/core/errors/message-catalogue.ts'), 'utf8');
    expect(aggregate).toContain('...storeMessages');
    expect(aggregate).toContain('...widgetsMessages');

    // Second run: nothing left to do, nothing rewritten.
    const snapshot = await Promise.all(
      [
        'src/widgets/check.ts',
        'src/core/errors/messages/widgets.ts',
        'src/core/errors/message-catalogue.ts',
      ].map((f) => readFile(join(root, f), 'utf8')),
    );
    expect((await codemod('--check')).code).toBe(0);
    const second = await codemod();
    expect(second.out).toMatch(/0 throw site\(s\) converted/);
    const after = await Promise.all(
      [
        'src/widgets/check.ts',
        'src/core/errors/messages/widgets.ts',
        'src/core/errors/message-catalogue.ts',
      ].map((f) => readFile(join(root, f), 'utf8')),
    );
    expect(after).toEqual(snapshot);
  });

  it('--rename folds an id into an existing one at every call site', async () => {
    await codemod();
    const renamed = await codemod('--rename', 'WIDGET_NEGATIVE_SIZE=NO_POLICY_NAMED');
    expect(renamed.out).toMatch(/renamed or folded 1 id/);
    const site = await readFile(join(root, 'src/widgets/check.ts'), 'utf8');
    expect(site).not.toContain('WIDGET_NEGATIVE_SIZE');
    expect(await readFile(join(root, 'src/core/errors/messages/widgets.ts'), 'utf8')).not.toContain(
      'WIDGET_NEGATIVE_SIZE',
    );
  });
});
