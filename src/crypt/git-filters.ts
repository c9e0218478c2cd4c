import { execFile, spawnSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import {
  checkText,
  cryptFormatFor,
  encryptDocument,
  encryptionPredicate,
  looksEncrypted,
  normaliseRules,
  readMetadata,
  showPath,
} from '../core/crypt/index.js';
import { hushError, isHushError } from '../core/errors/index.js';
import { creationRuleFor } from './crypt-config.js';
import { type CryptContext, openText, reencrypt } from './crypt-files.js';
import { newDataKey } from './data-keys.js';

const run = promisify(execFile);

/** The staged (index) copy of a path, or undefined when the index has none. */
async function stagedBlob(path: string, cwd: string): Promise<string | undefined> {
  try {
    const { stdout } = await run('git', ['cat-file', 'blob', `:${path}`], {
      cwd,
      maxBuffer: 64 * 1024 * 1024,
    });
    return stdout;
  } catch {
    return undefined;
  }
}

const isEncryptedText = (file: string, text: string): boolean =>
  readMetadata(cryptFormatFor(file), text, file) !== undefined;

/**
 * git's clean filter (worktree -> index): encrypt the plaintext. A value unchanged since the staged copy keeps its
 * ciphertext and an unchanged file keeps its bytes, so `git status` and `git diff` show no noise. Text that is
 * already encrypted (a user without the key) passes through. A new file takes its recipients from .sops.yaml.
 */
export async function gitClean(path: string, input: Buffer, ctx: CryptContext): Promise<string> {
  const text = checkText(input, path);
  if (isEncryptedText(path, text)) return text;
  const previous = await stagedBlob(path, ctx.cwd);
  if (previous !== undefined && isEncryptedText(path, previous)) {
    return reencrypt(await openText(path, previous, undefined, ctx), text, ctx);
  }
  const rule = await creationRuleFor(path, ctx.cwd);
  if (!rule) throw hushError('CRYPT_NO_RECIPIENTS', { file: path });
  const key = newDataKey();
  const now = ctx.now();
  const keys = await ctx.dataKeys.wrap(path, key, rule.recipients, now);
  return encryptDocument({
    file: path,
    format: cryptFormatFor(path),
    text,
    key,
    rules: rule.rules,
    keys,
    now,
  });
}

/**
 * git's smudge filter and diff textconv (index -> worktree, blob -> diff text): decrypt when this user holds a key,
 * otherwise hand back the ciphertext unchanged, so checkouts work for everyone and only recipients see plaintext.
 * A file that fails its integrity check is an error: a tampered blob is never silently passed on.
 */
export async function gitSmudge(path: string, input: Buffer, ctx: CryptContext): Promise<string> {
  let text: string;
  try {
    text = checkText(input, path);
  } catch (err) {
    // The merge driver's conflicted plaintext reaches the working tree through here: hand it over for resolving.
    if (isHushError(err) && err.messageId === 'CRYPT_FILE_CONFLICT') return input.toString('utf8');
    throw err;
  }
  if (!isEncryptedText(path, text)) return text;
  try {
    return (await openText(path, text, undefined, ctx)).doc.text;
  } catch (err) {
    if (isHushError(err) && err.messageId === 'CRYPT_NO_KEY') return text;
    throw err;
  }
}

/**
 * git's merge driver: decrypt base, ours and theirs, merge the plaintexts with `git merge-file`, encrypt the result
 * against ours (unchanged values keep their ciphertext). On a conflict the plaintext with markers is left for the
 * user (the clean filter refuses it until resolved). Returns the number of conflicts (0 = merged).
 */
export async function gitMerge(
  texts: { base: string; ours: string; theirs: string },
  path: string,
  ctx: CryptContext,
): Promise<{ text: string; conflicts: number }> {
  const ours = await openText(path, texts.ours, undefined, ctx);
  const plain = async (t: string) =>
    isEncryptedText(path, t) ? (await openText(path, t, undefined, ctx)).doc.text : t;
  const dir = await mkdtemp(join(tmpdir(), 'hush-merge-'));
  try {
    const names = { base: join(dir, 'base'), ours: join(dir, 'ours'), theirs: join(dir, 'theirs') };
    await writeFile(names.base, await plain(texts.base), { mode: 0o600 });
    await writeFile(names.ours, ours.doc.text, { mode: 0o600 });
    await writeFile(names.theirs, await plain(texts.theirs), { mode: 0o600 });
    const r = spawnSync(
      'git',
      ['merge-file', '-p', '-L', 'ours', '-L', 'base', '-L', 'theirs', names.ours, names.base, names.theirs],
      {
        encoding: 'utf8',
      },
    );
    const conflicts = r.status ?? 1;
    if (conflicts !== 0) return { text: r.stdout, conflicts };
    return { text: await reencrypt(ours, r.stdout, ctx), conflicts: 0 };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** A staged file that would put plaintext in the repository. */
export interface PlaintextFinding {
  readonly file: string;
  readonly path: string;
}

/**
 * The pre-commit check: every staged path marked `filter=hush-crypt` must be an encrypted file, and every value the
 * file's rules select must be encrypted. Returns what it found (empty = the commit may go on).
 */
export async function findStagedPlaintext(cwd: string): Promise<PlaintextFinding[]> {
  const { stdout } = await run('git', ['diff', '--cached', '--name-only', '--diff-filter=ACMR', '-z'], {
    cwd,
  });
  const paths = stdout.split('\0').filter(Boolean);
  if (paths.length === 0) return [];
  const attrs = await run('git', ['check-attr', '-z', 'filter', '--', ...paths], { cwd });
  const parts = attrs.stdout.split('\0');
  const marked: string[] = [];
  for (let i = 0; i + 2 < parts.length; i += 3)
    if (parts[i + 2] === 'hush-crypt') marked.push(parts[i] as string);
  const findings: PlaintextFinding[] = [];
  for (const file of marked) {
    const blob = (await stagedBlob(file, cwd)) ?? '';
    const format = cryptFormatFor(file);
    const parsed = format.parse(checkText(Buffer.from(blob), file), file);
    const meta = readMetadata(format, blob, file);
    if (!meta) {
      findings.push({ file, path: '(whole file: no sops metadata)' });
      continue;
    }
    const encrypted = encryptionPredicate(normaliseRules(meta.rules));
    for (const leaf of parsed.leaves) {
      if (
        encrypted(leaf.path) &&
        leaf.value.text !== '' &&
        !(leaf.value.type === 'str' && looksEncrypted(leaf.value.text))
      ) {
        findings.push({ file, path: showPath(leaf.path) });
      }
    }
  }
  return findings;
}
