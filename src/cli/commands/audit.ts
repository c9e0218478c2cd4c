import { stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { Command } from 'commander';
import { listAuditFiles, readAuditFiles, searchAuditFiles, verifyAuditFiles } from '../../audit/index.js';
import { AUDIT_OUTCOMES, type AuditOutcome, type ChainHead } from '../../core/audit/audit-record.js';
import { hmacField } from '../../core/audit/hmac-field.js';
import type { AuditQuery } from '../../core/audit/search-audit.js';
import { HushError } from '../../core/errors/hush-error.js';
import { AUDIT_KEY_FILE, readAuditKey } from '../../server/compose/audit-key.js';
import { emit, table } from '../io/output.js';
import { readStream } from '../io/read-stream.js';
import { resolveDataDir } from '../local/data-dir.js';
import { remoteRequest, remoteTarget } from '../remote/request.js';

interface DirFlags {
  json?: boolean;
  dir?: string;
  dataDir?: string;
  file?: string;
}

/** The file names the live audit file may have: the server's default first, then the library's. */
const AUDIT_FILE_NAMES = ['audit.jsonl', 'audit.log'];

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
      const { dir, fileName } = await auditLocation(flags);
      const want = opts.expectHead === undefined ? undefined : parseHead(opts.expectHead);
      const expectHead = want && want.seq === undefined ? await findHead(dir, fileName, want.hash) : want;
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
        const where =
          'file' in problem && problem.file ? `${problem.file}:${problem.line}` : `line ${problem.line}`;
        throw new HushError(
          'HUSH_E_INTEGRITY',
          `audit chain broken (${problem.kind}) at ${where}, seq ${problem.seq ?? '?'}: ${problem.message}; ${result.checked} records verified before it`,
          { kind: problem.kind, line: problem.line, ...(problem.seq !== null ? { seq: problem.seq } : {}) },
        );
      }
      emit(
        { json: flags.json === true },
        value,
        () =>
          `OK: ${result.checked} records verified in ${join(dir, fileName)}; head ${result.head.seq}:${result.head.hash}\n` +
          'note the head elsewhere and pass it to --expect-head later to detect records cut off the end',
      );
    });

  withDirOptions(audit.command('search'))
    .description('search audit records (all given filters must match)')
    .option('--path <glob>', 'policy-style path glob, e.g. payments/**')
    .option('--identity <id>', 'who asked, e.g. user:amy, approle:ci, root')
    .option('--outcome <outcome>', 'allowed, denied or error')
    .option('--operation <op>', 'e.g. secrets.read, sys.seal')
    .option('--request-id <id>', 'one request')
    .option('--since <when>', 'from this time (inclusive): ISO-8601 or a duration ago (30m, 1h, 7d)')
    .option('--until <when>', 'before this time (exclusive): ISO-8601 or a duration ago')
    .action(async (opts: DirFlags & SearchFlags, cmd: Command) => {
      const flags = { ...cmd.optsWithGlobals<DirFlags>(), ...opts };
      const { dir, fileName } = await auditLocation(flags);
      const query = searchQuery(opts, new Date());
      const rows: string[][] = [];
      for await (const r of searchAuditFiles(dir, query, fileName)) {
        if (flags.json) process.stdout.write(`${JSON.stringify(r)}\n`);
        else
          rows.push([
            r.time,
            String(r.seq),
            r.identity ?? '-',
            r.operation,
            r.path ?? '-',
            r.outcome,
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
    .option('--data-dir <dir>', 'the data directory holding audit-hmac.key (local mode)')
    .option('--allow-argv', 'accept the value on the command line (it lands in shell history)')
    .action(async (value: string | undefined, opts: DirFlags & { allowArgv?: boolean }, cmd: Command) => {
      const flags = { ...cmd.optsWithGlobals<DirFlags>(), ...opts };
      const text = await hashInput(value, opts.allowArgv === true);
      const remote = process.env['HUSH_ADDR'] && flags.dataDir === undefined;
      const hmac = remote
        ? (
            await remoteRequest<{ hmac: string }>(remoteTarget(process.env), 'POST', '/v1/sys/audit/hash', {
              value: text,
            })
          ).hmac
        : hmacField(await localAuditKey(resolveDataDir(flags.dataDir, process.env)), text);
      emit({ json: flags.json === true }, { hmac }, () => hmac);
    });
}

interface SearchFlags {
  path?: string;
  identity?: string;
  outcome?: string;
  operation?: string;
  requestId?: string;
  since?: string;
  until?: string;
}

function withDirOptions(cmd: Command): Command {
  return cmd
    .option('--json', 'machine-readable JSON output')
    .option(
      '--data-dir <dir>',
      'data directory holding the audit files (default $HUSH_DATA_DIR, else $XDG_DATA_HOME/hush)',
    )
    .option('--dir <dir>', 'the audit directory (or the live audit file) when it is not the data directory')
    .option('--file <name>', 'name of the live audit file (default audit.jsonl, else audit.log)');
}

/** Where the audit files are: --dir (a directory or the live file), else the data directory. */
async function auditLocation(flags: DirFlags): Promise<{ dir: string; fileName: string }> {
  let dir = flags.dir ?? resolveDataDir(flags.dataDir, process.env);
  let fileName = flags.file;
  if (flags.dir !== undefined && !fileName) {
    const isFile = await stat(flags.dir).then(
      (s) => s.isFile(),
      () => false,
    );
    if (isFile) {
      fileName = basename(flags.dir);
      dir = dirname(flags.dir);
    }
  }
  for (const name of fileName ? [fileName] : AUDIT_FILE_NAMES) {
    if ((await listAuditFiles(dir, name)).length > 0) return { dir, fileName: name };
  }
  throw new HushError(
    'HUSH_E_NOT_FOUND',
    `no audit files (${(fileName ? [fileName] : AUDIT_FILE_NAMES).join(', ')}) in ${dir}; pass --dir DIR or --data-dir DIR (the server's audit.file.path)`,
  );
}

/** `SEQ:HASH` or `HASH` (64 hex characters, as `verify` prints it). */
function parseHead(text: string): { seq?: number; hash: string } {
  const m = /^(?:(\d+):)?([0-9a-f]{64})$/.exec(text.trim());
  if (!m) {
    throw new HushError(
      'HUSH_E_USAGE',
      '--expect-head must be SEQ:HASH or HASH (64 hex characters), as `hush audit verify` prints the head',
    );
  }
  return { ...(m[1] !== undefined ? { seq: Number(m[1]) } : {}), hash: m[2] as string };
}

/** The seq of the record whose hash is `hash`, when one exists (a plain --expect-head HASH). */
async function findHead(
  dir: string,
  fileName: string,
  hash: string,
): Promise<{ seq?: number; hash: string }> {
  for await (const line of readAuditFiles(dir, fileName)) {
    if (!line.text.includes(hash)) continue;
    try {
      const r = JSON.parse(line.text) as Partial<ChainHead>;
      if (r.hash === hash && typeof r.seq === 'number') return { seq: r.seq, hash };
    } catch {
      // a malformed line is verify's to report
    }
  }
  return { hash };
}

/** Build the search query; times are ISO-8601 or a duration before `now`. */
export function searchQuery(opts: SearchFlags, now: Date): AuditQuery {
  if (opts.outcome !== undefined && !(AUDIT_OUTCOMES as readonly string[]).includes(opts.outcome)) {
    throw new HushError(
      'HUSH_E_USAGE',
      `--outcome must be allowed, denied or error, found "${opts.outcome}"`,
    );
  }
  return {
    ...(opts.path !== undefined ? { path: opts.path } : {}),
    ...(opts.identity !== undefined ? { identity: opts.identity } : {}),
    ...(opts.outcome !== undefined ? { outcome: opts.outcome as AuditOutcome } : {}),
    ...(opts.operation !== undefined ? { operation: opts.operation } : {}),
    ...(opts.requestId !== undefined ? { requestId: opts.requestId } : {}),
    ...(opts.since !== undefined ? { since: parseWhen(opts.since, '--since', now) } : {}),
    ...(opts.until !== undefined ? { until: parseWhen(opts.until, '--until', now) } : {}),
  };
}

const UNIT_MS: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

function parseWhen(text: string, flag: string, now: Date): Date {
  const rel = /^(\d+)([smhd])$/.exec(text);
  if (rel) return new Date(now.getTime() - Number(rel[1]) * (UNIT_MS[rel[2] as string] ?? 0));
  const t = /^\d{4}-\d{2}-\d{2}/.test(text) ? Date.parse(text) : Number.NaN;
  if (Number.isNaN(t)) {
    throw new HushError(
      'HUSH_E_USAGE',
      `${flag} must be an ISO-8601 time (2026-06-01T12:00:00Z) or a duration ago (90s, 30m, 1h, 7d), found "${text}"`,
    );
  }
  return new Date(t);
}

/** The value to hash: stdin (`-` or no argument), or argv only with --allow-argv. */
async function hashInput(value: string | undefined, allowArgv: boolean): Promise<string> {
  if (value !== undefined && value !== '-') {
    if (!allowArgv) {
      throw new HushError(
        'HUSH_E_USAGE',
        'refusing to read the value from the command line (it would land in shell history); pipe it on stdin (`... | hush audit hash -`) or pass --allow-argv',
      );
    }
    return value;
  }
  if (process.stdin.isTTY) {
    throw new HushError('HUSH_E_USAGE', 'no value given; pipe it on stdin: `... | hush audit hash -`');
  }
  const text = (await readStream(process.stdin, 64 * 1024)).toString('utf8');
  if (text.endsWith('\r\n')) return text.slice(0, -2);
  return text.endsWith('\n') ? text.slice(0, -1) : text;
}

async function localAuditKey(dataDir: string): Promise<Buffer> {
  const path = join(dataDir, AUDIT_KEY_FILE);
  const key = await readAuditKey(path);
  if (!key) {
    throw new HushError(
      'HUSH_E_NOT_FOUND',
      `no audit key at ${path}; pass --data-dir of the server's data directory, or set HUSH_ADDR to hash on the server`,
    );
  }
  return key;
}
