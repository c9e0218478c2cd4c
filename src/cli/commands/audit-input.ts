import { stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { AUDIT_KEY_FILE, readAuditKey } from '../../audit/audit-key-file.js';
import { listAuditFiles, readAuditFiles } from '../../audit/index.js';
import { AUDIT_OUTCOMES, type AuditOutcome, type ChainHead } from '../../core/audit/audit-record.js';
import { parseWhen } from '../../core/audit/parse-when.js';
import type { AuditQuery } from '../../core/audit/search-audit.js';
import { HushError } from '../../core/errors/hush-error.js';
import { hushError } from '../../core/errors/index.js';
import { readStream } from '../io/read-stream.js';
import { describeDataDir, locateDataDir } from '../local/data-dir.js';

/** Where the audit files are looked for: flags of `hush audit verify|search`. */
export interface DirFlags {
  json?: boolean;
  dir?: string;
  dataDir?: string;
  file?: string;
}

/** The file names the live audit file may have: the server's default first, the library's, then local CLI use's. */
const AUDIT_FILE_NAMES = ['audit.jsonl', 'audit.log', 'audit-local.jsonl'];

/** The filters of `hush audit search`. */
export interface SearchFlags {
  path?: string;
  identity?: string;
  outcome?: string;
  operation?: string;
  requestId?: string;
  since?: string;
  until?: string;
}

/** Where the audit files are: --dir (a directory or the live file), else the data directory. */
export async function auditLocation(flags: DirFlags): Promise<{ dir: string; fileName: string }> {
  const located = flags.dir === undefined ? locateDataDir(flags.dataDir, process.env) : undefined;
  let dir = located?.dir ?? (flags.dir as string);
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
  throw hushError('NO_AUDIT_FILES', {
    value: (fileName ? [fileName] : AUDIT_FILE_NAMES).join(', '),
    value2: located ? describeDataDir(located) : dir,
  });
}

/** `SEQ:HASH` or `HASH` (64 hex characters, as `verify` prints it). */
export function parseHead(text: string): { seq?: number; hash: string } {
  const m = /^(?:(\d+):)?([0-9a-f]{64})$/.exec(text.trim());
  if (!m) {
    throw hushError('EXPECT_HEAD_MUST_SEQ_HASH');
  }
  return { ...(m[1] !== undefined ? { seq: Number(m[1]) } : {}), hash: m[2] as string };
}

/** The seq of the record whose hash is `hash`, when one exists (a plain --expect-head HASH). */
export async function findHead(
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
  if (
    opts.outcome !== undefined &&
    opts.outcome !== 'unknown' &&
    !(AUDIT_OUTCOMES as readonly string[]).includes(opts.outcome)
  ) {
    throw hushError('OUTCOME_MUST_ALLOWED_DENIED_ERROR', { outcome: opts.outcome });
  }
  return {
    ...(opts.path !== undefined ? { path: opts.path } : {}),
    ...(opts.identity !== undefined ? { identity: opts.identity } : {}),
    ...(opts.outcome !== undefined && opts.outcome !== 'unknown'
      ? { outcome: opts.outcome as AuditOutcome }
      : {}),
    ...(opts.operation !== undefined ? { operation: opts.operation } : {}),
    ...(opts.requestId !== undefined ? { requestId: opts.requestId } : {}),
    ...(opts.since !== undefined ? { since: parseWhen(opts.since, '--since', now) } : {}),
    ...(opts.until !== undefined ? { until: parseWhen(opts.until, '--until', now) } : {}),
  };
}

/** The value to hash: stdin (`-` or no argument), or argv only with --allow-argv. */
export async function hashInput(value: string | undefined, allowArgv: boolean): Promise<string> {
  if (value !== undefined && value !== '-') {
    if (!allowArgv) {
      throw hushError('REFUSING_READ_VALUE_COMMAND_LINE');
    }
    return value;
  }
  if (process.stdin.isTTY) {
    throw hushError('AUDIT_HASH_NEEDS_VALUE');
  }
  const text = (await readStream(process.stdin, 64 * 1024)).toString('utf8');
  if (text.endsWith('\r\n')) return text.slice(0, -2);
  return text.endsWith('\n') ? text.slice(0, -1) : text;
}

/**
 * The audit key of a local data directory: the one kept in its store (unsealed with the key file, as other local
 * commands do), else a per-node `audit-hmac.key` left by an older server; HUSH_E_NOT_FOUND when it has neither.
 */
export async function localAuditKey(dataDir: string): Promise<Buffer> {
  const fromStore = await storedAuditKeyOf(dataDir);
  if (fromStore) return fromStore;
  const path = join(dataDir, AUDIT_KEY_FILE);
  const key = await readAuditKey(path);
  if (!key) {
    throw hushError('NO_AUDIT_KEY_STORE_NOR', { dataDir, path });
  }
  return key;
}

/** The audit HMAC key kept in the store of `dataDir`; undefined when there is no store or it holds no key. */
async function storedAuditKeyOf(dataDir: string): Promise<Buffer | undefined> {
  const { existsSync } = await import('node:fs');
  const { dataDirLayout } = await import('../local/data-dir.js');
  if (!existsSync(dataDirLayout(dataDir).database)) return undefined;
  const { withLocalStore } = await import('../local/open-local-store.js');
  const { AUDIT_VIEW, openSealedView } = await import('../../store/sealed-view/index.js');
  const { readStoredAuditKey } = await import('../../audit/stored-audit-key.js');
  return withLocalStore({ dataDir }, 'unsealed', { env: process.env }, async ({ local }) => {
    if (!local) return undefined;
    return readStoredAuditKey(openSealedView(local.readBackend, local.barrier, AUDIT_VIEW));
  });
}

/**
 * The chain head the server kept in the local store of `dataDir` for the audit files in `dir` (see docs/audit.md),
 * or why it could not be read (no store there, or one that cannot be unsealed with the material at hand).
 */
export async function storedHeadOf(
  dataDir: string,
  dir: string,
  fileName: string,
): Promise<{ head?: ChainHead; note?: string }> {
  const { existsSync } = await import('node:fs');
  const { dataDirLayout } = await import('../local/data-dir.js');
  if (!existsSync(dataDirLayout(dataDir).database)) return { note: `no store in ${dataDir}` };
  const { findStoredHead } = await import('../../audit/stored-head.js');
  const { withLocalStore } = await import('../local/open-local-store.js');
  const { AUDIT_VIEW, openSealedView } = await import('../../store/sealed-view/index.js');
  try {
    const head = await withLocalStore({ dataDir }, 'unsealed', { env: process.env }, async ({ local }) => {
      if (!local) return undefined;
      const records = openSealedView(local.readBackend, local.barrier, AUDIT_VIEW);
      // A local data directory is one node: one chain, even when its oldest rotated files were archived.
      return (await findStoredHead(records, dir, fileName, { onlyChain: true }))?.stored;
    });
    return head ? { head: { seq: head.seq, hash: head.hash } } : {};
  } catch (err) {
    const code = err instanceof HushError ? err.code : 'error';
    return { note: `the head kept in the store was not checked (${code}); pass --expect-head SEQ:HASH` };
  }
}
