import type { Command } from 'commander';
import { emit, table } from '../io/output.js';
import { cryptContext, type KeyFlags, recipientsFrom, withRecipientFlags } from './crypt-context.js';

/** `hush crypt recipients list|add|remove <files...>`: who can open a file set, and revocation that re-keys. */
export function registerCryptRecipients(crypt: Command): void {
  const recipients = crypt
    .command('recipients')
    .description('list, add or remove who can open encrypted files');
  const json = (cmd: Command) => (cmd.optsWithGlobals() as { json?: boolean }).json === true;

  recipients
    .command('list <files...>')
    .description("each file's recipients (read from its metadata; no key needed)")
    .action(async (files: string[], _opts: unknown, cmd: Command) => {
      const { listRecipients } = await import('../../crypt/recipients.js');
      const rows = await listRecipients(files);
      emit({ json: json(cmd) }, rows, () =>
        table(
          ['FILE', 'KIND', 'RECIPIENT'],
          rows.map((r) => [r.file, r.kind, r.recipient]),
        ),
      );
    });

  withRecipientFlags(recipients.command('add <files...>'))
    .description('wrap the existing data key for more recipients (values unchanged)')
    .action(async (files: string[], flags: KeyFlags, cmd: Command) => {
      const { changeRecipients } = await import('../../crypt/recipients.js');
      const report = await changeRecipients(files, { add: recipientsFrom(flags) }, await cryptContext());
      emit({ json: json(cmd) }, report, () => report.files.map((f) => `${f}: recipients added`).join('\n'));
    });

  withRecipientFlags(recipients.command('remove <files...>'))
    .description(
      'revoke: re-key every file under a new data key without them; list the values to rotate by hand',
    )
    .action(async (files: string[], flags: KeyFlags, cmd: Command) => {
      const { changeRecipients } = await import('../../crypt/recipients.js');
      const report = await changeRecipients(files, { remove: recipientsFrom(flags) }, await cryptContext());
      emit({ json: json(cmd) }, report, () =>
        [
          ...report.files.map((f) => `${f}: re-keyed`),
          ...report.rotated.map((r) => `${r.file}  ${r.path}: rotated ${r.secret} (version ${r.version})`),
          ...(report.rotateByHand.length > 0
            ? [
                'rotate by hand (the removed recipient could read these values):',
                ...report.rotateByHand.map((r) => `  ${r.file}  ${r.path}  (${r.reason})`),
              ]
            : []),
        ].join('\n'),
      );
    });
}
