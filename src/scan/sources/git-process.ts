import { spawn } from 'node:child_process';
import { hushError } from '../../core/errors/index.js';
import { ByteReader } from './byte-reader.js';

/**
 * Settings that win over the scanned repository's own `.git/config` (command-line `-c` beats every file): the
 * repository may be hostile, and scanning it must run none of its programs (fsmonitor, pager, external diff,
 * hooks, signature checks, lazy fetches from a promisor remote through any transport) nor let it reshape the
 * output this scanner parses (prefixes, relative paths, hidden root commits, quoting, colour). Hooks need no
 * override: only commands that write (commit, merge, push) run them, and none is run here; `core.hooksPath` is
 * left alone because `hush hooks install` reads it through gitOutput.
 */
const SAFE_CONFIG = [
  'core.fsmonitor=false',
  'core.pager=cat',
  'core.quotePath=true',
  'core.sshCommand=false',
  'core.askPass=',
  'credential.helper=',
  'diff.external=',
  'diff.noprefix=false',
  'diff.mnemonicPrefix=false',
  'diff.relative=false',
  'diff.submodule=short',
  'log.showSignature=false',
  'log.showRoot=true',
  'color.ui=never',
  'i18n.logOutputEncoding=UTF-8',
  'protocol.allow=never',
  ...['file', 'ext', 'ssh', 'git', 'http', 'https'].map((p) => `protocol.${p}.allow=never`),
];

/** The flags every diff this scanner reads is produced with, whatever the repository's config and attributes. */
export const SAFE_DIFF_FLAGS: readonly string[] = [
  '--text', // `.gitattributes` `-diff` or `binary` would print "Binary files differ" and hide the content
  '--no-textconv', // textconv drivers are programs named by the repository
  '--no-ext-diff',
  '--no-color',
  '--no-relative',
  '--src-prefix=a/',
  '--dst-prefix=b/',
  '--inter-hunk-context=0', // context lines between hunks would shift the added-line count
  '--no-renames',
  '-U0',
];

/** Git's arguments and environment for one hardened run of `args` (see SAFE_CONFIG). */
export function safeGit(args: readonly string[]): { args: string[]; env: NodeJS.ProcessEnv } {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    GIT_PAGER: 'cat',
    PAGER: 'cat',
    GIT_TERMINAL_PROMPT: '0',
    GIT_NO_LAZY_FETCH: '1',
    GIT_OPTIONAL_LOCKS: '0',
    GIT_PROTOCOL_FROM_USER: '0',
  };
  for (const name of [
    'GIT_EXTERNAL_DIFF',
    'GIT_DIFF_OPTS',
    'GIT_ASKPASS',
    'SSH_ASKPASS',
    'GIT_SSH',
    'GIT_SSH_COMMAND',
  ]) {
    delete env[name];
  }
  return { args: ['--no-pager', ...SAFE_CONFIG.flatMap((c) => ['-c', c]), ...args], env };
}

/** Run git in `cwd` (hardened: see safeGit) and return its stdout; a failure is a coded error with git's first stderr line. */
export function gitOutput(cwd: string, args: readonly string[], input?: string): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const safe = safeGit(args);
    const child = spawn('git', safe.args, { cwd, env: safe.env, stdio: ['pipe', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => err.push(b));
    child.on('error', () => reject(hushError('COULD_NOT_RUN_GIT')));
    child.on('close', (code) => {
      if (code === 0) return resolve(Buffer.concat(out));
      const first = Buffer.concat(err).toString('utf8').split('\n')[0]?.trim() ?? '';
      reject(hushError('GIT_COMMAND_FAILED', { args: args[0], cwd, value: first || `exit ${code}` }));
    });
    // git may exit without reading stdin; a broken pipe then is not an error of ours.
    child.stdin.on('error', () => {});
    child.stdin.end(input ?? '');
  });
}

/** One object from `git cat-file --batch`. */
export interface GitObject {
  readonly id: string;
  readonly type: string;
  readonly data: Buffer;
}

/**
 * Stream objects through one `git cat-file --batch` process: ids are written as they are requested and objects
 * read back in order, so memory holds one object at a time. Missing objects are skipped.
 */
export async function* catFileBatch(
  cwd: string,
  ids: AsyncIterable<string> | Iterable<string>,
): AsyncGenerator<GitObject> {
  const safe = safeGit(['cat-file', '--batch', '--buffer']);
  const child = spawn('git', safe.args, { cwd, env: safe.env, stdio: ['pipe', 'pipe', 'ignore'] });
  child.stdin.on('error', () => {});
  const feeding = (async () => {
    // Ids go in batches, and --buffer lets git fill the pipe instead of flushing after every object.
    let batch: string[] = [];
    const flush = async () => {
      if (batch.length > 0 && !child.stdin.write(`${batch.join('\n')}\n`)) {
        await new Promise((r) => child.stdin.once('drain', r));
      }
      batch = [];
    };
    for await (const id of ids) {
      batch.push(id);
      if (batch.length >= 512) await flush();
    }
    await flush();
    child.stdin.end();
  })();
  // Chunks are only joined once enough bytes for the next header or object are there: linear in the output.
  let parts: Buffer[] = [];
  let have = 0;
  const joined = (): Buffer => {
    const all = parts.length === 1 ? parts[0]! : Buffer.concat(parts);
    parts = [all];
    return all;
  };
  let pending: { id: string; type: string; size: number } | undefined;
  for await (const chunk of child.stdout as AsyncIterable<Buffer>) {
    parts.push(chunk);
    have += chunk.length;
    for (;;) {
      if (!pending) {
        const all = joined();
        const nl = all.indexOf(10);
        if (nl === -1) break;
        const header = all.subarray(0, nl).toString('latin1').split(' ');
        parts = [all.subarray(nl + 1)];
        have -= nl + 1;
        if (header[1] === 'missing' || header.length < 3) continue;
        pending = { id: header[0]!, type: header[1]!, size: Number(header[2]) };
      }
      if (have < pending.size + 1) break;
      const all = joined();
      const data = all.subarray(0, pending.size);
      parts = [all.subarray(pending.size + 1)];
      have -= pending.size + 1;
      const obj = { id: pending.id, type: pending.type, data };
      pending = undefined;
      yield obj;
    }
  }
  await feeding;
}

/**
 * The stdout of a hardened git command (see safeGit) line by line, split at `\n` only, as git writes it: memory holds
 * one line, never the whole output. A failure is a coded error with git's first stderr line.
 */
export async function* gitLines(cwd: string, args: readonly string[]): AsyncGenerator<string> {
  const safe = safeGit(args);
  const child = spawn('git', safe.args, { cwd, env: safe.env, stdio: ['ignore', 'pipe', 'pipe'] });
  const err: Buffer[] = [];
  child.stderr.on('data', (b: Buffer) => {
    if (err.length < 8) err.push(b);
  });
  const exit = new Promise<number | null>((resolve, reject) => {
    child.on('error', () => reject(hushError('COULD_NOT_RUN_GIT')));
    child.on('close', resolve);
  });
  exit.catch(() => {});
  try {
    let rest: Buffer[] = [];
    for await (const chunk of child.stdout as AsyncIterable<Buffer>) {
      let from = 0;
      for (let nl = chunk.indexOf(10); nl !== -1; nl = chunk.indexOf(10, from)) {
        const piece = chunk.subarray(from, nl);
        yield (rest.length > 0 ? Buffer.concat([...rest, piece]) : piece).toString('utf8');
        rest = [];
        from = nl + 1;
      }
      if (from < chunk.length) rest.push(chunk.subarray(from));
    }
    if (rest.length > 0) yield Buffer.concat(rest).toString('utf8');
    const code = await exit;
    if (code !== 0) {
      const first = Buffer.concat(err).toString('utf8').split('\n')[0]?.trim() ?? '';
      throw hushError('GIT_COMMAND_FAILED', { args: args[0], cwd, value: first || `exit ${code}` });
    }
  } finally {
    if (child.exitCode === null) child.kill();
  }
}

/** A `git cat-file --batch` process asked for one object at a time (see catFileReader). */
export interface CatFileReader {
  /** Ask for an object: its header, or undefined when the repository does not have it. Read its body next. */
  start(id: string): Promise<{ id: string; type: string; size: number } | undefined>;
  /** The first `n` bytes of the current body, not consumed. */
  peek(n: number): Promise<Buffer>;
  /** The current body, whole. */
  read(size: number): Promise<Buffer>;
  /** The current body in pieces as git writes them. */
  take(size: number): AsyncGenerator<Buffer>;
  /** Skip what is left of the current body (`left` bytes) and its newline. */
  finish(left: number): Promise<void>;
  close(): Promise<void>;
}

/** One long-lived `git cat-file --batch`, read one object at a time: memory holds at most the object asked for. */
export function catFileReader(cwd: string): CatFileReader {
  const safe = safeGit(['cat-file', '--batch']);
  const child = spawn('git', safe.args, { cwd, env: safe.env, stdio: ['pipe', 'pipe', 'ignore'] });
  child.stdin.on('error', () => {});
  const r = new ByteReader(child.stdout as AsyncIterable<Buffer>);
  const header = async (): Promise<string | undefined> => {
    // Byte by byte over what is buffered: asking for more than git has written would wait for the next object.
    for (let n = 1; n <= 4096; n++) {
      const head = await r.peek(n);
      if (head.length < n) return undefined;
      if (head[n - 1] === 10) return (await r.read(n)).subarray(0, n - 1).toString('latin1');
    }
    return undefined;
  };
  return {
    async start(id) {
      if (!/^[0-9a-f]{40,64}$/.test(id)) return undefined;
      child.stdin.write(`${id}\n`);
      const h = (await header())?.split(' ');
      if (!h || h.length < 3 || h[1] === 'missing') return undefined;
      return { id: h[0]!, type: h[1]!, size: Number(h[2]) };
    },
    peek: (n) => r.peek(n),
    read: (size) => r.read(size),
    take: (size) => r.take(size),
    finish: (left) => r.skip(left + 1),
    async close() {
      child.stdin.end();
      await r.close();
      if (child.exitCode === null) child.kill();
    },
  };
}
