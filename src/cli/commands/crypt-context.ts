import type { Command } from 'commander';
import type { CryptAuditRecord, CryptRules } from '../../core/crypt/index.js';
import {
  type CryptContext,
  createDataKeys,
  loadAgeIdentities,
  type Recipients,
  type StoreRotation,
  type TransitKeyService,
} from '../../crypt/index.js';
import { writeSecretFileAtomic } from '../../fs/atomic-file.js';
import { remoteClientFor, remoteTarget } from '../remote/request.js';

/** The transit engine through the SDK, when HUSH_ADDR is set (else files wrapped for transit cannot be opened). */
function transitFromEnv(env: NodeJS.ProcessEnv): TransitKeyService | undefined {
  if (!env['HUSH_ADDR']) return undefined;
  const client = remoteClientFor(remoteTarget(env));
  return {
    wrap: async (key, dataKey) =>
      (await client.transit.encrypt(key, { plaintext: Buffer.from(dataKey).toString('base64') })).ciphertext,
    unwrap: async (key, ciphertext) =>
      Buffer.from((await client.transit.decrypt(key, { ciphertext })).plaintext, 'base64'),
  };
}

/**
 * The store through the SDK, when HUSH_ADDR is set: revocation rotates the secrets that manage file values with the
 * server's rotation policies (`hush rotate`'s route), so the server audits it and applies its grants.
 */
function storeFromEnv(env: NodeJS.ProcessEnv): StoreRotation | undefined {
  if (!env['HUSH_ADDR']) return undefined;
  const client = remoteClientFor(remoteTarget(env));
  const asText = (v: unknown) => (typeof v === 'string' ? v : undefined);
  return {
    current: async (secret) => asText((await client.get(secret)).value),
    rotate: async (secret) => {
      const result = await client.rotation.rotate(secret);
      if (result.outcome !== 'rotated' || result.version === undefined)
        return { reason: `${secret}: rotation failed (${result.code ?? 'unknown'})` };
      const value = asText((await client.get(secret, { version: result.version })).value);
      return value === undefined
        ? { reason: `${secret}: the rotated value is not a string` }
        : { value, version: result.version };
    },
  };
}

/** The context of one `hush crypt` command: one data-key cache for all its files. */
export async function cryptContext(env: NodeJS.ProcessEnv = process.env): Promise<CryptContext> {
  const identities = await loadAgeIdentities(env);
  const store = storeFromEnv(env);
  const client = env['HUSH_ADDR'] ? remoteClientFor(remoteTarget(env)) : undefined;
  return {
    ...(store ? { store } : {}),
    ...(client
      ? {
          audit: async (record: CryptAuditRecord) => {
            await client.cryptAudit(record);
          },
        }
      : {}),
    dataKeys: createDataKeys(identities, transitFromEnv(env)),
    now: () => new Date(),
    cwd: process.cwd(),
  };
}

/** Flags shared by the commands that encrypt: recipients and rules. */
export interface KeyFlags {
  age?: string[];
  transitKey?: string[];
  encryptedRegex?: string;
  unencryptedRegex?: string;
  encryptedSuffix?: string;
  unencryptedSuffix?: string;
}

const collect = (value: string, previous: string[] = []): string[] => [
  ...previous,
  ...value
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean),
];

/** Add the recipient flags (repeatable, or comma-separated as in SOPS). */
export function withRecipientFlags(cmd: Command): Command {
  return cmd
    .option('--age <recipients>', 'age X25519 recipient(s), age1... (repeatable or comma-separated)', collect)
    .option(
      '--transit-key <names>',
      'Hush transit key(s) to wrap the data key with (needs HUSH_ADDR)',
      collect,
    );
}

/** Add the SOPS rule flags. */
export function withRuleFlags(cmd: Command): Command {
  return cmd
    .option('--encrypted-regex <re>', 'encrypt only values under keys matching this regex')
    .option('--unencrypted-regex <re>', 'leave values under keys matching this regex in the clear')
    .option('--encrypted-suffix <s>', 'encrypt only values under keys ending in this suffix')
    .option(
      '--unencrypted-suffix <s>',
      'leave values under keys ending in this suffix in the clear (default _unencrypted)',
    );
}

/** The recipients the flags name (empty lists when none). */
export function recipientsFrom(flags: KeyFlags): Recipients {
  return { age: flags.age ?? [], transit: flags.transitKey ?? [] };
}

/** The rules the flags name. */
export function rulesFrom(flags: KeyFlags): CryptRules {
  return {
    ...(flags.encryptedRegex !== undefined ? { encrypted_regex: flags.encryptedRegex } : {}),
    ...(flags.unencryptedRegex !== undefined ? { unencrypted_regex: flags.unencryptedRegex } : {}),
    ...(flags.encryptedSuffix !== undefined ? { encrypted_suffix: flags.encryptedSuffix } : {}),
    ...(flags.unencryptedSuffix !== undefined ? { unencrypted_suffix: flags.unencryptedSuffix } : {}),
  };
}

/** Write each output in place (temp file + rename, 0600) or, for a single file, to stdout. Nothing is written when any file failed. */
export async function writeOutputs(
  outputs: readonly { file: string; text: string }[],
  inPlace: boolean,
): Promise<void> {
  if (!inPlace) {
    process.stdout.write(outputs.map((o) => o.text).join(''));
    return;
  }
  for (const o of outputs) await writeSecretFileAtomic(o.file, o.text, '--in-place');
}
