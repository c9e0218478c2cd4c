import type { Command } from 'commander';
import { hushError } from '../../core/errors/index.js';
import { emit } from '../io/output.js';
import {
  cryptContext,
  type KeyFlags,
  recipientsFrom,
  rulesFrom,
  withRecipientFlags,
  withRuleFlags,
  writeOutputs,
} from './crypt-context.js';
import { registerCryptGit } from './crypt-git.js';
import { registerCryptRecipients } from './crypt-recipients.js';
import { registerCryptRun } from './crypt-run.js';

interface FileFlags {
  inPlace?: boolean;
  format?: string;
}

function needsInPlace(files: readonly string[], flags: FileFlags): void {
  if (files.length > 1 && flags.inPlace !== true)
    throw hushError('CRYPT_OUTPUT_NEEDS_IN_PLACE', { count: files.length });
}

function withFileFlags(cmd: Command): Command {
  return cmd
    .option('-i, --in-place', 'rewrite the files instead of printing (temp file + rename, mode 0600)')
    .option('--format <name>', 'yaml, json, dotenv, ini or toml (default: from the file name)');
}

/** `hush crypt ...`: SOPS-format encrypted files (YAML, JSON, .env, INI, TOML) for repositories. */
export function registerCrypt(program: Command): void {
  const crypt = program
    .command('crypt')
    .description(
      'encrypt values in YAML, JSON, .env, INI and TOML files (SOPS format), for age and transit recipients',
    );

  withRuleFlags(withRecipientFlags(withFileFlags(crypt.command('encrypt <files...>'))))
    .description('encrypt plaintext files as one file set (one data key, wrapped once per recipient)')
    .option('--key-from <file>', "join an encrypted file's set: reuse its data key and recipients")
    .action(async (files: string[], flags: FileFlags & KeyFlags & { keyFrom?: string }) => {
      needsInPlace(files, flags);
      const { encryptFiles } = await import('../../crypt/index.js');
      const ctx = await cryptContext();
      const out = await encryptFiles(
        files,
        {
          rules: rulesFrom(flags),
          recipients: recipientsFrom(flags),
          ...(flags.format !== undefined ? { format: flags.format } : {}),
          ...(flags.keyFrom !== undefined ? { keyFrom: flags.keyFrom } : {}),
        },
        ctx,
      );
      await writeOutputs(out, flags.inPlace === true);
    });

  withFileFlags(crypt.command('decrypt <files...>'))
    .description('decrypt files (values and MAC checked first; nothing is written if any file fails)')
    .action(async (files: string[], flags: FileFlags) => {
      needsInPlace(files, flags);
      const { openFile } = await import('../../crypt/index.js');
      const ctx = await cryptContext();
      const out = [];
      for (const file of files) out.push({ file, text: (await openFile(file, flags.format, ctx)).doc.text });
      await writeOutputs(out, flags.inPlace === true);
    });

  withRecipientFlags(withFileFlags(crypt.command('rotate <files...>')))
    .description('re-encrypt every value under a new data key (one for the set); optionally add recipients')
    .action(async (files: string[], flags: FileFlags & KeyFlags) => {
      needsInPlace(files, flags);
      const { rekeyFiles } = await import('../../crypt/index.js');
      const ctx = await cryptContext();
      await writeOutputs(
        await rekeyFiles(files, { add: recipientsFrom(flags) }, true, ctx),
        flags.inPlace === true,
      );
    });

  crypt
    .command('updatekeys <files...>')
    .description(
      "set each file's recipients to its .sops.yaml/.hush-crypt.yaml creation rule (re-keys when one is dropped)",
    )
    .action(async (files: string[], _flags: unknown, cmd: Command) => {
      const { updateKeys } = await import('../../crypt/update-keys.js');
      const ctx = await cryptContext();
      const report = await updateKeys(files, ctx);
      const json = (cmd.optsWithGlobals() as { json?: boolean }).json === true;
      emit({ json }, report, () => report.map((r) => `${r.file}: ${r.change}`).join('\n'));
    });

  registerCryptRun(crypt);
  registerCryptRecipients(crypt);
  registerCryptGit(crypt);
}
