import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from './support/compiled.js';

// The npm name `hush` belongs to an unrelated package: no doc may tell a user (or a CI job, e.g. docs/scan.md's
// GitHub Actions snippet) to fetch it. test/package-install.test.ts proves the package's own name installs and runs.

const read = (f: string) => readFileSync(join(REPO_ROOT, f), 'utf8');
const DOCS = ['README.md', ...readdirSync(join(REPO_ROOT, 'docs')).map((f) => `docs/${f}`)].filter((f) =>
  f.endsWith('.md'),
);

/** Lines of the fenced code blocks of a Markdown text (shell, YAML, ...): what users copy and run. */
function codeLines(text: string): string[] {
  const lines: string[] = [];
  let fence = false;
  for (const line of text.split('\n')) {
    if (/^\s*```/.test(line)) fence = !fence;
    else if (fence) lines.push(line);
  }
  return lines;
}

describe('the package name in the docs', () => {
  const { name, bin } = JSON.parse(read('package.json')) as { name: string; bin: Record<string, string> };

  it('package.json names the scoped package and keeps the command `hush`', () => {
    expect(name).toBe('@hush-secrets/hush');
    expect(Object.keys(bin)).toEqual(['hush']);
  });

  it('no code block fetches the unrelated `hush` package (npx hush, npm install hush)', () => {
    const bad = DOCS.flatMap((f) =>
      codeLines(read(f))
        .filter((l) =>
          /\bnpx\s+(?:-y\s+)?hush\b|\bnpm\s+(?:install|i)\s+(?:-g\s+|--global\s+)?hush\b/.test(l),
        )
        .map((l) => `${f}: ${l.trim()}`),
    );
    expect(bad).toEqual([]);
  });

  it("docs/scan.md's CI snippet installs the package by its own name before running `hush scan`", () => {
    const ci = read('docs/scan.md').split('### CI (GitHub Actions)')[1] ?? '';
    expect(ci).toContain(`npm install --global ${name}`);
  });
});
