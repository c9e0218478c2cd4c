import { readFile } from 'node:fs/promises';
import { hushError } from '../../core/errors/index.js';
import type { SealKind, UnsealMaterial } from '../../seal/index.js';
import type { LocalFlags } from './local-options.js';

/** Where unseal material may come from besides flags (environment, or lines already read from stdin). */
export interface MaterialSources {
  readonly env: NodeJS.ProcessEnv;
  /** Shares read from stdin by `hush unseal` (one per line). */
  readonly stdinShares?: readonly string[];
}

/**
 * Gather the unseal material a seal kind needs from flags and environment. Missing material is reported by the
 * seal itself (it names what it needs), so this only reads what was pointed at.
 */
export async function readUnsealMaterial(
  kind: SealKind,
  flags: LocalFlags,
  sources: MaterialSources,
): Promise<UnsealMaterial> {
  if (kind === 'shamir') {
    if (sources.stdinShares && sources.stdinShares.length > 0) return { shares: sources.stdinShares };
    const file = flags.sharesFile ?? sources.env['HUSH_UNSEAL_SHARES_FILE'];
    if (!file) return {};
    return { shares: parseShareLines(await readMaterialFile(file, 'shares file')) };
  }
  if (kind === 'rsa') {
    const file = flags.privateKey ?? sources.env['HUSH_RSA_PRIVATE_KEY_FILE'];
    if (!file) return {};
    const privateKeyPem = await readMaterialFile(file, 'private key');
    const passphrase = flags.passphraseFile
      ? stripNewline(await readMaterialFile(flags.passphraseFile, 'passphrase file'))
      : sources.env['HUSH_RSA_PASSPHRASE'];
    return passphrase !== undefined ? { privateKeyPem, passphrase } : { privateKeyPem };
  }
  return {};
}

/** Shares, one per line; blank lines and `#` comments are ignored. */
export function parseShareLines(text: string): string[] {
  return text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l.length > 0 && !l.startsWith('#'));
}

/** Read a small material file; a missing or unreadable file is the operator's to fix, so say which and why. */
export async function readMaterialFile(
  path: string,
  what: string,
  code: 'HUSH_E_UNSEAL_FAILED' | 'HUSH_E_INVALID_INPUT' = 'HUSH_E_UNSEAL_FAILED',
): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (err) {
    const reason = (err as NodeJS.ErrnoException).code ?? 'error';
    const params = { what, path, reason };
    // The same words either way; the code says whether unseal material or an input (a public key) was unreadable.
    throw code === 'HUSH_E_INVALID_INPUT'
      ? hushError('CANNOT_READ_INPUT_FILE', params)
      : hushError('CANNOT_READ_UNSEAL_FILE', params);
  }
}

function stripNewline(text: string): string {
  return text.replace(/\r?\n$/, '');
}
