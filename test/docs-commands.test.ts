import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { buildProgram } from '../src/cli/main.js';
import { MESSAGES } from '../src/core/errors/message-catalogue.js';
import { GENERATOR_KINDS } from '../src/core/generate/generate-secret.js';
import { REPO_ROOT } from './support/compiled.js';

// Every `hush ...` command a user is told to run (in a message or hint in src/, the runbook, docs/ and README)
// must exist in the real commander program, with the options it quotes.

const program = buildProgram();

/** Why `words` (after `hush`) is not a command of the program, or undefined when it is. */
function problemWith(words: readonly string[]): string | undefined {
  let cmd: Command = program;
  const chain: Command[] = [program];
  let args = 0;
  for (const w of words) {
    if (w.startsWith('--')) {
      const name = w.split('=')[0] as string;
      if (name === '--help' || name === '--version') continue;
      const known = chain.some((c) =>
        c.options.some((o) => o.long === name || o.long === name.replace(/^--no-/, '--')),
      );
      if (!known) return `${cmd.name()} has no option ${name}`;
      continue;
    }
    if (w.startsWith('-')) continue;
    const sub = cmd.commands.find((c) => c.name() === w || c.aliases().includes(w));
    if (sub && args === 0) {
      cmd = sub;
      chain.push(sub);
      continue;
    }
    if (cmd === program) return `no command ${w}`;
    if (args === 0 && cmd.registeredArguments.length === 0 && cmd.commands.length > 0) {
      return `${cmd.name()} has no subcommand ${w}`;
    }
    if (cmd.name() === 'generate' && args === 0 && !(GENERATOR_KINDS as readonly string[]).includes(w)) {
      return `no generator ${w}`;
    }
    args++;
  }
  return undefined;
}

/** Words of a quoted command, up to what is clearly not part of it (placeholders, pipes, comments, quotes). */
function commandWords(text: string): string[] {
  const words: string[] = [];
  for (const w of text.trim().split(/\s+/)) {
    if (!/^(?:--?[a-z][a-z0-9-]*(?:=\S*)?|[a-z][a-z0-9-]*)$/.test(w)) break;
    words.push(w);
  }
  return words;
}

/** Quoted commands of a source file: `hush ...` in backticks (escaped or not) inside its strings. */
function fromSource(text: string): string[] {
  return [...text.matchAll(/\\?`hush ([^`\\]+)\\?`/g)].map((m) => m[1] as string);
}

/** Commands of a Markdown file: inline `hush ...` code, and lines of shell code blocks that run hush. */
function fromMarkdown(text: string): string[] {
  const found = [...text.matchAll(/`hush ([^`]+)`/g)].map((m) => m[1] as string);
  let fence = false;
  for (const line of text.split('\n')) {
    if (/^\s*```/.test(line)) {
      fence = !fence;
      continue;
    }
    if (!fence) continue;
    for (const m of line.matchAll(/(?:^\s*(?:\$ )?|\| |&& |; |\$\(|exec |then |do )hush ([^|;&)#]*)/g))
      found.push(m[1] as string);
  }
  return found;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    // Scanner rules hold examples of leaked text (other tools' commands), not instructions to the user.
    if (e.isDirectory())
      return e.name === 'test-support' || path.endsWith('scan/rules') ? [] : sourceFiles(path);
    return path.endsWith('.ts') && !path.endsWith('.test.ts') ? [path] : [];
  });
}

describe('every quoted `hush ...` command exists', () => {
  const files = [
    ...sourceFiles(join(REPO_ROOT, 'src')).map((f) => ({ f, quoted: fromSource(readFileSync(f, 'utf8')) })),
    ...['README.md', ...readdirSync(join(REPO_ROOT, 'docs')).map((d) => `docs/${d}`)]
      .filter((f) => f.endsWith('.md'))
      .map((f) => ({ f, quoted: fromMarkdown(readFileSync(join(REPO_ROOT, f), 'utf8')) })),
  ];

  it('finds the quoted commands (the extractor works)', () => {
    const all = files.flatMap((x) => x.quoted);
    expect(all.length).toBeGreaterThan(200);
    expect(problemWith(['operator', 'unseal'])).toBe('operator has no subcommand unseal');
    expect(problemWith(['generate', 'ssh'])).toBe('no generator ssh');
    expect(problemWith(['get', 'a/b/c', '--nope'])).toBe('get has no option --nope');
  });

  it('in src/ messages and hints, the runbook, docs/ and README', () => {
    const problems: string[] = [];
    for (const { f, quoted } of files) {
      for (const q of quoted) {
        const words = commandWords(q);
        const problem = problemWith(words);
        if (problem) problems.push(`${f.replace(`${REPO_ROOT}/`, '')}: \`hush ${q.trim()}\`: ${problem}`);
      }
    }
    expect(problems).toEqual([]);
  });
});

/**
 * Words of a command quoted in a catalogue entry: placeholders (`{name}`, `FILE`, `<id>`) count as arguments, so the
 * flags after them are checked too (`hush transit keys config {name} --deletion-allowed`).
 */
function catalogueWords(text: string): string[] {
  const words: string[] = [];
  for (const w of text.trim().split(/\s+/)) {
    if (w === '--') break;
    if (/^(?:--?[a-z][a-z0-9-]*(?:=\S*)?|[a-z][a-z0-9-]*)$/.test(w)) words.push(w);
    else if (/^(?:\{[A-Za-z0-9]+\}[A-Za-z0-9/{}]*|[A-Z][A-Z0-9_]*|<[a-z-]+>)$/.test(w)) words.push('ARG');
    else break;
  }
  return words;
}

describe('every `hush ...` command in the error catalogue exists', () => {
  // Templates and hints quote commands with or without backticks ("create it with hush jwt role write {name}").
  // Without backticks, `hush <word>` is a command only when the word is one ("no hush process is running" is not).
  const topLevel = new Set(program.commands.flatMap((c) => [c.name(), ...c.aliases()]));
  const quoted = Object.entries(MESSAGES).flatMap(([id, e]) =>
    [e.template, 'hint' in e ? e.hint : ''].flatMap((text) =>
      [...text.matchAll(/(`?)hush ([a-z][^;`()'"]*)/g)]
        .filter((m) => m[1] === '`' || topLevel.has(m[2]?.split(/\s+/)[0] ?? ''))
        .map((m) => ({ id, q: m[2] as string })),
    ),
  );

  it('finds them (the extractor works)', () => {
    expect(quoted.length).toBeGreaterThan(40);
    expect(quoted.some((x) => x.q.startsWith('jwt role write'))).toBe(true);
  });

  it('in every template and hint, with the flags that follow a placeholder', () => {
    const problems = quoted.flatMap(({ id, q }) => {
      const problem = problemWith(catalogueWords(q));
      return problem ? [`${id}: \`hush ${q.trim()}\`: ${problem}`] : [];
    });
    expect(problems).toEqual([]);
  });
});

describe('docs name the identifiers the code uses', () => {
  const read = (f: string) => readFileSync(join(REPO_ROOT, f), 'utf8');
  // Route files sit in one folder per domain below src/server/routes/.
  const routes = readdirSync(join(REPO_ROOT, 'src/server/routes'), { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.ts'))
    .map((f) => read(`src/server/routes/${f}`))
    .join('\n');

  it('audit operation ids quoted in docs/audit.md are operations of a route', () => {
    const ops = [...read('docs/audit.md').matchAll(/`((?:secrets?|sys)\.[a-z.-]+)`/g)].map(
      (m) => m[1] as string,
    );
    expect(ops.length).toBeGreaterThan(0);
    for (const op of ops) expect(routes, op).toContain(`'${op}'`);
  });

  it('the default seal of the docs is the default of the config and of `hush init` (key-file)', () => {
    expect(read('src/config/server-config-schema.ts')).toContain("sealSchema.prefault({ kind: 'key-file' })");
    expect(read('docs/seals.md')).toMatch(/\| `key-file` \(default/);
    expect(read('docs/seals.md')).not.toMatch(/`shamir` \(default\)/);
  });

  it('alert rules and capabilities are spelled as the code spells them', () => {
    // docs/ui/ holds the console's screenshots: only the Markdown pages are read.
    const docs = readdirSync(join(REPO_ROOT, 'docs'))
      .filter((f) => f.endsWith('.md'))
      .map((f) => read(`docs/${f}`));
    for (const text of [read('README.md'), ...docs]) {
      expect(text).not.toContain('rotation-failure');
      expect(text).not.toMatch(/`sudo` on `sys\//);
    }
  });
});
