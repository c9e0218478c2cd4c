import { existsSync } from 'node:fs';
import { readFile, rm, writeFile } from 'node:fs/promises';
import { isAbsolute, join, resolve } from 'node:path';
import type { Command } from 'commander';
import { hushError } from '../../core/errors/index.js';
import { writeFileAtomically } from '../../fs/atomic-file.js';
import { gitOutput } from '../../scan/sources/git-process.js';
import { shellQuote } from '../io/shell-quote.js';
import { cryptContext } from './crypt-context.js';

const DRIVER = 'hush-crypt';
const HOOK_MARKER = '# hush-crypt-pre-commit';

async function readStdin(): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of process.stdin) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

/** This installation of hush, as a shell command git can run. */
function selfCommand(): string {
  return `${shellQuote(process.execPath)} ${shellQuote(resolve(process.argv[1] ?? 'hush'))}`;
}

async function git(repo: string, args: string[]): Promise<string> {
  return (await gitOutput(repo, args)).toString('utf8').trim();
}

/**
 * Files checked out before the filters were configured hold ciphertext: check the unmodified ones out again through
 * the smudge filter (a locally modified file is left alone).
 */
async function resmudge(top: string): Promise<void> {
  const hasHead = await gitOutput(top, ['rev-parse', '--verify', '-q', 'HEAD']).then(
    () => true,
    () => false,
  );
  if (!hasHead) return;
  const files = (await gitOutput(top, ['ls-files', '-z'])).toString('utf8').split('\0').filter(Boolean);
  if (files.length === 0) return;
  const attrs = (await gitOutput(top, ['check-attr', '-z', 'filter', '--', ...files]))
    .toString('utf8')
    .split('\0');
  const marked: string[] = [];
  for (let i = 0; i + 2 < attrs.length; i += 3) if (attrs[i + 2] === DRIVER) marked.push(attrs[i] as string);
  if (marked.length === 0) return;
  const modified = new Set(
    (await gitOutput(top, ['diff', '--name-only', '-z', 'HEAD', '--', ...marked]))
      .toString('utf8')
      .split('\0'),
  );
  const clean = marked.filter((f) => !modified.has(f));
  if (clean.length === 0) return;
  // git skips a checkout whose index entry looks fresh: remove the (unmodified, committed) copies first.
  for (const f of clean) await rm(join(top, f), { force: true });
  await gitOutput(top, ['checkout', 'HEAD', '--', ...clean]);
}

/** `hush crypt git install|clean|smudge|textconv|merge|pre-commit`: encrypted files in a git repository. */
export function registerCryptGit(crypt: Command): void {
  const g = crypt
    .command('git')
    .description('git filters: plaintext in the working tree for recipients, ciphertext in the repository');

  g.command('install [patterns...]')
    .description(
      'configure this clone (filters, plaintext diffs, merge driver, pre-commit check) and mark paths (gitattributes patterns) encrypted',
    )
    .action(async (patterns: string[]) => {
      const top = await git('.', ['rev-parse', '--show-toplevel']);
      const self = selfCommand();
      const config: [string, string][] = [
        [`filter.${DRIVER}.clean`, `${self} crypt git clean %f`],
        [`filter.${DRIVER}.smudge`, `${self} crypt git smudge %f`],
        [`filter.${DRIVER}.required`, 'true'],
        [`diff.${DRIVER}.textconv`, `${self} crypt git textconv`],
        [`merge.${DRIVER}.name`, 'hush crypt: merge decrypted values'],
        [`merge.${DRIVER}.driver`, `${self} crypt git merge %O %A %B %P`],
      ];
      for (const [k, v] of config) await gitOutput(top, ['config', '--local', k, v]);
      const attrsPath = join(top, '.gitattributes');
      const existing = existsSync(attrsPath) ? await readFile(attrsPath, 'utf8') : '';
      const lines = existing.split('\n').filter((l) => l !== '');
      const added = patterns
        .map((p) => `${p} filter=${DRIVER} diff=${DRIVER} merge=${DRIVER}`)
        .filter((l) => !lines.includes(l));
      if (added.length > 0) await writeFile(attrsPath, `${[...lines, ...added].join('\n')}\n`);
      await resmudge(top);
      const hooksOut = await git(top, ['rev-parse', '--git-path', 'hooks']);
      const hook = join(isAbsolute(hooksOut) ? hooksOut : resolve(top, hooksOut), 'pre-commit');
      const hookText = ['#!/bin/sh', HOOK_MARKER, `exec ${self} crypt git pre-commit`, ''].join('\n');
      const current = existsSync(hook) ? await readFile(hook, 'utf8') : undefined;
      if (current === undefined || current.includes(HOOK_MARKER)) {
        await writeFileAtomically(hook, { overwrite: true, mode: 0o755, flag: 'pre-commit hook' }, (fh) =>
          fh.writeFile(hookText),
        );
      } else {
        process.stderr.write(
          `hush: ${hook} exists and is not hush crypt's: add \`hush crypt git pre-commit\` to it\n`,
        );
      }
      process.stdout.write(
        `hush crypt: ${patterns.join(' ')} encrypted in git (filters, diff, merge, pre-commit)\n`,
      );
    });

  g.command('clean <path>')
    .description('(git filter) encrypt stdin for the index; unchanged values keep their ciphertext')
    .action(async (path: string) => {
      const { gitClean } = await import('../../crypt/git-filters.js');
      process.stdout.write(await gitClean(path, await readStdin(), await cryptContext()));
    });

  g.command('smudge <path>')
    .description('(git filter) decrypt stdin for the working tree when you hold a key; else pass it through')
    .action(async (path: string) => {
      const { gitSmudge } = await import('../../crypt/git-filters.js');
      process.stdout.write(await gitSmudge(path, await readStdin(), await cryptContext()));
    });

  g.command('textconv <file>')
    .description('(git diff) print a file decrypted when you hold a key')
    .action(async (file: string) => {
      const { gitSmudge } = await import('../../crypt/git-filters.js');
      process.stdout.write(await gitSmudge(file, await readFile(file), await cryptContext()));
    });

  g.command('merge <base> <ours> <theirs> <path>')
    .description('(git merge driver) merge the decrypted values, encrypt the result')
    .action(async (base: string, ours: string, theirs: string, path: string) => {
      const { gitMerge } = await import('../../crypt/git-filters.js');
      const read = (f: string) => readFile(f, 'utf8');
      const r = await gitMerge(
        { base: await read(base), ours: await read(ours), theirs: await read(theirs) },
        path,
        await cryptContext(),
      );
      await writeFile(ours, r.text);
      process.exitCode = r.conflicts === 0 ? 0 : 1;
    });

  g.command('pre-commit')
    .description('(git hook) refuse a commit that adds plaintext to a path marked encrypted')
    .action(async () => {
      const { findStagedPlaintext } = await import('../../crypt/git-filters.js');
      const findings = await findStagedPlaintext(process.cwd());
      if (findings.length === 0) return;
      for (const f of findings)
        process.stderr.write(`hush: ${f.file}: ${f.path} is plaintext in a path marked encrypted\n`);
      throw hushError('CRYPT_PLAINTEXT_STAGED', { count: findings.length });
    });
}
