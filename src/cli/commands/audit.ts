import { join } from 'node:path';
import type { Command } from 'commander';
import { emit, table } from '../io/output.js';
import { resolveDataDir } from '../local/data-dir.js';
import { remoteAddress, remoteClient } from '../remote/remote-mode.js';
import type { DirFlags, SearchFlags } from './audit-input.js';

/** `hush audit verify|search|hash`: check the hash chain, search records, HMAC a value to search for it. */
export function registerAudit(program: Command): void {
  const audit = program.command('audit').description('verify and search the audit trail');
  withDirOptions(audit.command('verify'))
    .description('verify the hash chain of the audit files (exit 7 when it is broken)')
    .option(
      '--expect-head <seq:hash>',
      'a head noted earlier (SEQ:HASH or HASH): detects records cut off the end',
    )
    .action(async (opts: DirFlags & { expectHead?: string }, cmd: Command) => {
      const flags = { ...cmd.optsWithGlobals<DirFlags>(), ...opts };
      // The audit readers load on use, so commands other than `hush audit` do not pay for them at start-up.
      const { auditLocation, findHead, parseHead, storedHeadOf } = await import('./audit-input.js');
      const { verifyAuditFiles } = await import('../../audit/index.js');
      const { dir, fileName } = await auditLocation(flags);
      const want = opts.expectHead === undefined ? undefined : parseHead(opts.expectHead);
      // Without --expect-head, the head the server kept in the store (local mode: the data directory's store).
      const stored =
        want === undefined && flags.dir === undefined
          ? await storedHeadOf(resolveDataDir(flags.dataDir, process.env), dir, fileName)
          : {};
      if (stored.note) process.stderr.write(`hush: note: ${stored.note}\n`);
      const expectHead =
        want && want.seq === undefined ? await findHead(dir, fileName, want.hash) : (want ?? stored.head);
      const result = await verifyAuditFiles(dir, {
        fileName,
        ...(expectHead?.seq !== undefined
          ? { expectHead: { seq: expectHead.seq, hash: expectHead.hash } }
          : {}),
      });
      const problem =
        result.problem ??
        (want && expectHead?.seq === undefined
          ? {
              kind: 'deleted' as const,
              seq: result.head.seq,
              line: 0,
              message: `no record has the head hash noted earlier (${want.hash.slice(0, 16)}…): records were deleted from the end or rewritten`,
            }
          : undefined);
      const value = { ...result, ok: problem === undefined, ...(problem ? { problem } : {}), dir, fileName };
      if (problem) {
        if (flags.json) emit({ json: true }, value, () => '');
        const { chainBrokenError } = await import('../../audit/chain-broken.js');
        throw chainBrokenError(problem, result.checked);
      }
      emit(
        { json: flags.json === true },
        value,
        () =>
          `OK: ${result.checked} records verified in ${join(dir, fileName)}; head ${result.head.seq}:${result.head.hash}\n` +
          'note the head elsewhere and pass it to --expect-head later to detect records cut off the end' +
          unknownLines(result),
      );
    });

  withDirOptions(audit.command('search'))
    .description('search audit records (all given filters must match)')
    .option('--path <glob>', 'policy-style path glob, e.g. payments/**')
    .option('--identity <id>', 'who asked, e.g. user:amy, approle:ci, root')
    .option(
      '--outcome <outcome>',
      'allowed, denied, error, requested, or unknown (writes recorded before they ran, with no outcome)',
    )
    .option('--operation <op>', 'e.g. secrets.read, sys.seal')
    .option('--request-id <id>', 'one request')
    .option('--since <when>', 'from this time (inclusive): ISO-8601 or a duration ago (30m, 1h, 7d)')
    .option('--until <when>', 'before this time (exclusive): ISO-8601 or a duration ago')
    .action(async (opts: DirFlags & SearchFlags, cmd: Command) => {
      const flags = { ...cmd.optsWithGlobals<DirFlags>(), ...opts };
      const { auditLocation, searchQuery } = await import('./audit-input.js');
      const { searchAuditFiles } = await import('../../audit/index.js');
      const { dir, fileName } = await auditLocation(flags);
      const query = searchQuery(opts, new Date());
      const rows: string[][] = [];
      const unknownOnly = opts.outcome === 'unknown';
      for await (const r of searchAuditFiles(dir, query, fileName, { unknownOnly })) {
        if (flags.json) process.stdout.write(`${JSON.stringify(r)}\n`);
        else
          rows.push([
            r.time,
            String(r.seq),
            r.identity ?? '-',
            r.operation,
            r.path ?? '-',
            r.outcomeUnknown ? 'unknown' : r.outcome,
            r.errorCode ?? '',
          ]);
      }
      if (!flags.json) {
        const headers = ['TIME', 'SEQ', 'IDENTITY', 'OPERATION', 'PATH', 'OUTCOME', 'CODE'];
        process.stdout.write(`${rows.length === 0 ? 'no matching records' : table(headers, rows)}\n`);
      }
    });

  audit
    .command('hash [value]')
    .description(
      "HMAC a value with the audit key, to search HMAC'd audit fields for it (value from stdin, or -)",
    )
    .option('--json', 'machine-readable JSON output')
    .option('--data-dir <dir>', 'the data directory whose store holds the audit key (local mode)')
    .option('--allow-argv', 'accept the value on the command line (it lands in shell history)')
    .action(async (value: string | undefined, opts: DirFlags & { allowArgv?: boolean }, cmd: Command) => {
      const flags = { ...cmd.optsWithGlobals<DirFlags>(), ...opts };
      const { hashInput, localAuditKey } = await import('./audit-input.js');
      const { hmacField } = await import('../../core/audit/hmac-field.js');
      const text = await hashInput(value, opts.allowArgv === true);
      const remote = remoteAddress(flags, process.env);
      const hmac = remote
        ? (await remoteClient(remote, process.env).auditHash(text)).hmac
        : hmacField(await localAuditKey(resolveDataDir(flags.dataDir, process.env)), text);
      emit({ json: flags.json === true }, { hmac }, () => hmac);
    });
}

/** The writes recorded before they ran whose outcome was never recorded (the server stopped in between). */
function unknownLines(result: {
  outcomeUnknown: readonly {
    seq: number;
    requestId: string;
    operation: string;
    identity: string | null;
    line: number;
    file?: string;
  }[];
  outcomeUnknownCount: number;
}): string {
  if (result.outcomeUnknownCount === 0) return '';
  const rows = result.outcomeUnknown.map(
    (u) =>
      `  seq ${u.seq} (${u.file ?? 'line'}:${u.line}) ${u.operation} by ${u.identity ?? 'anonymous'}, request ${u.requestId}`,
  );
  return (
    `\n${result.outcomeUnknownCount} write(s) with outcome unknown: recorded before they ran, with no outcome record ` +
    '(the server stopped in between; each may or may not have been applied):\n' +
    rows.join('\n')
  );
}

function withDirOptions(cmd: Command): Command {
  return cmd
    .option('--json', 'machine-readable JSON output')
    .option(
      '--data-dir <dir>',
      'data directory holding the audit files (default $HUSH_DATA_DIR, else $XDG_DATA_HOME/hush)',
    )
    .option('--dir <dir>', 'the audit directory (or the live audit file) when it is not the data directory')
    .option(
      '--file <name>',
      'name of the live audit file (default audit.jsonl, else audit.log, else audit-local.jsonl)',
    );
}
