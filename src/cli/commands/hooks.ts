import { mkdir, readFile } from 'node:fs/promises';
import { isAbsolute, join, resolve } from 'node:path';
import type { Command } from 'commander';
import { HushError } from '../../core/errors/hush-error.js';
import { refuseSymlink, writeFileAtomically } from '../../fs/atomic-file.js';
import { gitOutput } from '../../scan/sources/git-process.js';

const MARKER = '# hush-managed-hook';

/** The pre-commit hook text: runs `hush scan --staged`, preferring the hush on PATH, else this installation. */
export function preCommitHook(fallback: string): string {
  return [
    '#!/bin/sh',
    MARKER,
    '# Installed by `hush hooks install`: blocks commits that add secrets. Bypass once with `git commit --no-verify`.',
    'if command -v hush >/dev/null 2>&1; then',
    '  exec hush scan --staged',
    'fi',
    `exec ${fallback} scan --staged`,
    '',
  ].join('\n');
}

/**
 * True only for a hook exactly as {@link preCommitHook} writes it (whatever installation it falls back to): a hook
 * that merely contains the marker, with lines of someone else's, is foreign and is not replaced without --force.
 */
export function isHushHook(text: string): boolean {
  const fallback = /^exec (.+) scan --staged$/m.exec(text.split('\n').at(-2) ?? '')?.[1];
  return fallback !== undefined && text === preCommitHook(fallback);
}

function shellQuote(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

/** `hush hooks install`: write the pre-commit hook into the repository's hooks directory. */
export function registerHooks(program: Command): void {
  const hooks = program.command('hooks').description('manage git hooks that run hush scan');
  hooks
    .command('install')
    .description('install a pre-commit hook running `hush scan --staged` (refuses to replace a foreign hook)')
    .option('--repo <dir>', 'the repository (default: current directory)', '.')
    .option('--force', 'replace an existing hook that hush did not write')
    .action(async (flags: { repo: string; force?: boolean }) => {
      const out = (await gitOutput(flags.repo, ['rev-parse', '--git-path', 'hooks'])).toString('utf8').trim();
      const dir = isAbsolute(out) ? out : resolve(flags.repo, out);
      const file = join(dir, 'pre-commit');
      // A link (even a dangling one) would send the write elsewhere: refused, with or without --force.
      await refuseSymlink(file, 'the pre-commit hook path');
      const existing = await readFile(file, 'utf8').catch(() => undefined);
      if (existing !== undefined && !isHushHook(existing) && !flags.force) {
        throw new HushError(
          'HUSH_E_ALREADY_EXISTS',
          `${file} exists and was not written by hush; add \`hush scan --staged\` to it yourself, or rerun with --force to replace it`,
        );
      }
      const self = process.argv[1]
        ? `${shellQuote(process.execPath)} ${shellQuote(resolve(process.argv[1]))}`
        : 'hush';
      await mkdir(dir, { recursive: true });
      await writeFileAtomically(file, { overwrite: true, mode: 0o755, flag: '--repo' }, (fh) =>
        fh.writeFile(preCommitHook(self), 'utf8'),
      );
      process.stdout.write(`installed pre-commit hook at ${file}\n`);
      process.exitCode = 0;
    });
}
