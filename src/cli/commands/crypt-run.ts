import { spawnSync } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import type { Command } from 'commander';
import { hushError } from '../../core/errors/index.js';
import { cryptContext, writeOutputs } from './crypt-context.js';

/** A private folder (0700) for a plaintext copy, removed however the command ends. */
async function withPrivateCopy<T>(file: string, text: string, use: (path: string) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(join(tmpdir(), 'hush-crypt-'));
  const path = join(dir, basename(file));
  try {
    await writeFile(path, text, { mode: 0o600 });
    return await use(path);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

async function runChild(command: string[], env: Record<string, string>): Promise<number> {
  const { exitCodeOf, runOnce, spawnErrorMessage } = await import('../../inject/supervisor.js');
  // Under `hush crypt`, commander hands the `--` separator through with the command: drop it.
  const [file, ...args] = command[0] === '--' ? command.slice(1) : command;
  if (file === undefined) throw hushError('RUN_NEEDS_COMMAND');
  const exit = await runOnce({ command: file, args, env });
  if (exit.spawnError !== undefined) process.stderr.write(`${spawnErrorMessage(file, exit)}\n`);
  return exitCodeOf(exit);
}

function baseEnv(): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined && k !== 'HUSH_TOKEN') env[k] = v;
  return env;
}

/** `hush crypt exec-env|exec-file|edit`: use or change an encrypted file without leaving plaintext behind. */
export function registerCryptRun(crypt: Command): void {
  crypt
    .command('exec-env <file>')
    .description("run a command with the file's top-level values as environment variables")
    .argument('[command...]', 'the command and its arguments, after --')
    .passThroughOptions()
    .action(async (file: string, command: string[]) => {
      const { openFile } = await import('../../crypt/index.js');
      const opened = await openFile(file, undefined, await cryptContext());
      const env = baseEnv();
      opened.doc.leaves.forEach((leaf, i) => {
        const value = opened.doc.values[i];
        if (leaf.path.length === 1 && value) env[leaf.path[0] as string] = value.text;
      });
      process.exitCode = await runChild(command, env);
    });

  crypt
    .command('exec-file <file>')
    .description('run a command with the decrypted file at a private temporary path ({} in the command)')
    .argument('[command...]', 'the command and its arguments, after --; {} is replaced by the path')
    .passThroughOptions()
    .action(async (file: string, command: string[]) => {
      const { openFile } = await import('../../crypt/index.js');
      const opened = await openFile(file, undefined, await cryptContext());
      process.exitCode = await withPrivateCopy(file, opened.doc.text, (path) =>
        runChild(
          command.map((a) => a.replaceAll('{}', path)),
          baseEnv(),
        ),
      );
    });

  crypt
    .command('edit <file>')
    .description(
      'decrypt to a private temporary file, open $EDITOR, encrypt again (unchanged values keep their ciphertext)',
    )
    .action(async (file: string) => {
      const { openFile, reencrypt } = await import('../../crypt/index.js');
      const ctx = await cryptContext();
      const opened = await openFile(file, undefined, ctx);
      const edited = await withPrivateCopy(file, opened.doc.text, async (path) => {
        const editor = process.env['VISUAL'] || process.env['EDITOR'] || 'vi';
        const r = spawnSync('/bin/sh', ['-c', `${editor} "$1"`, 'sh', path], { stdio: 'inherit' });
        if (r.status !== 0)
          throw hushError('CRYPT_EDITOR_FAILED', { status: String(r.status ?? r.signal), file });
        return readFile(path, 'utf8');
      });
      const text = await reencrypt(opened, edited, ctx);
      if (text !== opened.text) await writeOutputs([{ file, text }], true);
    });
}
