import { mkdir, readFile, rename, rm } from 'node:fs/promises';
import { basename, dirname, isAbsolute, join, resolve } from 'node:path';
import type { Command } from 'commander';
import { hushError } from '../../core/errors/index.js';
import { refuseSymlink, writeFileAtomically } from '../../fs/atomic-file.js';
import { gitOutput } from '../../scan/sources/git-process.js';
import { shellQuote } from '../io/shell-quote.js';

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

/** The pre-receive hook text for a bare repository: rejects pushes that add secrets (docs/scan.md). */
export function preReceiveHook(fallback: string): string {
  return [
    '#!/bin/sh',
    MARKER,
    '# Installed by `hush hooks install --pre-receive`: rejects pushes that add secrets.',
    'if command -v hush >/dev/null 2>&1; then',
    '  exec hush scan --pre-receive --time-budget 20 .',
    'fi',
    `exec ${fallback} scan --pre-receive --time-budget 20 .`,
    '',
  ].join('\n');
}

/**
 * True only for a hook exactly as {@link preCommitHook} or {@link preReceiveHook} writes it (whatever installation it
 * falls back to): a hook that merely contains the marker, with lines of someone else's, is foreign and is not
 * replaced without --force, nor removed by uninstall.
 */
export function isHushHook(text: string): boolean {
  const last = text.split('\n').at(-2) ?? '';
  const staged = /^exec (.+) scan --staged$/.exec(last)?.[1];
  if (staged !== undefined) return text === preCommitHook(staged);
  const push = /^exec (.+) scan --pre-receive --time-budget 20 \.$/.exec(last)?.[1];
  return push !== undefined && text === preReceiveHook(push);
}

/** Where a foreign hook is kept while hush's own replaces it (`--force`), and restored from by `uninstall`. */
const BACKUP_SUFFIX = '.hush-backup';

interface HookFlags {
  repo: string;
  force?: boolean;
  preReceive?: boolean;
}

/** The hook file `install`/`uninstall` work on: pre-commit, or pre-receive (a bare repository on the server). */
async function hookFile(flags: HookFlags): Promise<string> {
  const out = (await gitOutput(flags.repo, ['rev-parse', '--git-path', 'hooks'])).toString('utf8').trim();
  const dir = isAbsolute(out) ? out : resolve(flags.repo, out);
  return join(dir, flags.preReceive ? 'pre-receive' : 'pre-commit');
}

/** `hush hooks install|uninstall`: the pre-commit hook of a working repository, or --pre-receive of a bare one. */
export function registerHooks(program: Command): void {
  const hooks = program.command('hooks').description('manage git hooks that run hush scan');
  hooks
    .command('install')
    .description(
      'install a pre-commit hook running `hush scan --staged` (or --pre-receive in a bare repository); refuses to replace a foreign hook',
    )
    .option('--repo <dir>', 'the repository (default: current directory)', '.')
    .option('--pre-receive', 'install the server-side pre-receive hook (a bare repository) instead')
    .option(
      '--force',
      `replace a hook that hush did not write (kept as <hook>${BACKUP_SUFFIX}, restored by uninstall)`,
    )
    .action(async (flags: HookFlags) => {
      const file = await hookFile(flags);
      // A link (even a dangling one) would send the write elsewhere: refused, with or without --force.
      await refuseSymlink(file, `the ${basename(file)} hook path`);
      const existing = await readFile(file, 'utf8').catch(() => undefined);
      const foreign = existing !== undefined && !isHushHook(existing);
      if (foreign && !flags.force) {
        const line = flags.preReceive ? 'hush scan --pre-receive .' : 'hush scan --staged';
        throw hushError('FILE_NOT_WRITTEN_BY_HUSH', {
          file,
          line,
          file2: basename(file),
          backupSuffix: BACKUP_SUFFIX,
        });
      }
      const self = process.argv[1]
        ? `${shellQuote(process.execPath)} ${shellQuote(resolve(process.argv[1]))}`
        : 'hush';
      await mkdir(dirname(file), { recursive: true });
      if (foreign) await rename(file, `${file}${BACKUP_SUFFIX}`);
      await writeFileAtomically(file, { overwrite: true, mode: 0o755, flag: '--repo' }, (fh) =>
        fh.writeFile(flags.preReceive ? preReceiveHook(self) : preCommitHook(self), 'utf8'),
      );
      process.stdout.write(
        `installed ${basename(file)} hook at ${file}${foreign ? ` (the previous hook is kept as ${file}${BACKUP_SUFFIX})` : ''}\n`,
      );
      process.exitCode = 0;
    });
  hooks
    .command('uninstall')
    .description("remove hush's own hook (never a foreign one) and restore the hook it replaced, if any")
    .option('--repo <dir>', 'the repository (default: current directory)', '.')
    .option('--pre-receive', 'remove the pre-receive hook (a bare repository) instead of pre-commit')
    .action(async (flags: HookFlags) => {
      const file = await hookFile(flags);
      const existing = await readFile(file, 'utf8').catch(() => undefined);
      if (existing === undefined) {
        process.stdout.write(`no ${basename(file)} hook at ${file}; nothing to remove\n`);
        return;
      }
      if (!isHushHook(existing)) {
        throw hushError('FILE_NOT_WRITTEN_BY_HUSH_LEFT_ALONE', { file });
      }
      await rm(file);
      const backup = `${file}${BACKUP_SUFFIX}`;
      const restored = await rename(backup, file).then(
        () => true,
        () => false,
      );
      process.stdout.write(
        restored
          ? `removed hush's hook; restored the previous hook at ${file}\n`
          : `removed hush's hook at ${file}\n`,
      );
    });
}
