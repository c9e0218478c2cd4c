import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import { wipe } from '../../core/crypto/random.js';
import { openBackend } from '../../storage/open-backend.js';
import { emit } from '../io/output.js';
import { localFlags, withLocalOptions } from '../local/local-options.js';
import { locationOf, unsealRootWith } from './operator-locations.js';

interface SnapshotFlags {
  file: string;
  from?: string;
  to?: string;
  force?: boolean;
}

const operatorModule = () => import('../../operator/index.js');

/** `hush operator snapshot save|restore|verify`: one encrypted, integrity-checked file per store. */
export function registerOperatorSnapshot(operator: Command): void {
  const snapshot = operator
    .command('snapshot')
    .description('save, restore and verify encrypted snapshots of a whole store');

  withLocalOptions(snapshot.command('save'))
    .description('write every row to one encrypted file (needs the unseal material)')
    .requiredOption(
      '--file <file>',
      'snapshot file to write (mode 0600; written to a temp name, then renamed)',
    )
    .option('--from <url>', 'source backend URL (default: the local data dir)')
    .option('--force', 'replace an existing --file')
    .action(async (opts: SnapshotFlags, cmd: Command) => {
      const flags = localFlags(cmd);
      const from = locationOf(opts.from, flags, process.env, '--from');
      const file = resolve(opts.file);
      const { saveSnapshot } = await operatorModule();
      const source = await openBackend(from, { mustExist: true });
      try {
        const result = await saveSnapshot({
          source,
          file,
          overwrite: opts.force === true,
          label: from.display,
          unsealRoot: unsealRootWith(flags, process.env, from),
        });
        emit({ json: flags.json === true }, { saved: true, file, from: from.display, ...result }, () =>
          [
            `saved ${result.rows} rows from ${from.display} to ${file} (${result.chunks} chunks, ${result.bytes} bytes)`,
            `sha256 ${result.sha256}`,
          ].join('\n'),
        );
      } finally {
        await source.close();
      }
    });

  withLocalOptions(snapshot.command('restore'))
    .description('restore a snapshot into an empty store (checks the whole file before writing)')
    .requiredOption('--file <file>', 'snapshot file to read')
    .option('--to <url>', 'target backend URL (default: the local data dir)')
    .option('--force', "replace the rows of a non-empty target with the snapshot's")
    .action(async (opts: SnapshotFlags, cmd: Command) => {
      const flags = localFlags(cmd);
      const to = locationOf(opts.to, flags, process.env, '--to');
      const file = resolve(opts.file);
      const { restoreSnapshot, readSnapshotHeader } = await operatorModule();
      const unsealRoot = unsealRootWith(flags, process.env, to);
      // Check the unseal material before opening (and so creating) the target: a wrong key leaves no empty store.
      const header = await readSnapshotHeader(file);
      wipe(await unsealRoot(Buffer.from(header.sealRow, 'base64')));
      const target = await openBackend(to);
      try {
        const result = await restoreSnapshot({
          file,
          target,
          force: opts.force === true,
          label: to.display,
          unsealRoot,
        });
        const keyHint =
          to.kind === 'sqlite' && to.dataDir && !existsSync(join(to.dataDir, 'root.key'))
            ? `\nnote: a key-file store also needs its key file: copy it to ${join(to.dataDir, 'root.key')} or pass --key-file`
            : '';
        emit({ json: flags.json === true }, { restored: true, file, to: to.display, ...result }, () =>
          [
            `restored ${result.snapshot.rows} rows from ${file} into ${to.display}${result.removed > 0 ? ` (${result.removed} rows not in the snapshot removed)` : ''}`,
            `verified: target ${result.target.rows} rows  sha256 ${result.target.sha256} matches the snapshot${keyHint}`,
          ].join('\n'),
        );
      } finally {
        await target.close();
      }
    });

  withLocalOptions(snapshot.command('verify'))
    .description('check every chunk, the row count and the checksum of a snapshot (writes nothing)')
    .requiredOption('--file <file>', 'snapshot file to check')
    .action(async (opts: SnapshotFlags, cmd: Command) => {
      const flags = localFlags(cmd);
      const file = resolve(opts.file);
      const here = locationOf(undefined, flags, process.env);
      const { readSnapshot } = await operatorModule();
      const { header, ...result } = await readSnapshot(file, unsealRootWith(flags, process.env, here));
      emit(
        { json: flags.json === true },
        { verified: true, file, createdAt: header.createdAt, ...result },
        () =>
          [
            `verified ${file}: ${result.chunks} chunks, ${result.rows} rows, taken ${header.createdAt}`,
            `sha256 ${result.sha256}`,
          ].join('\n'),
      );
    });
}
