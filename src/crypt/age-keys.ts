import { readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { armor, Decrypter, Encrypter, identityToRecipient } from 'age-encryption';
import type { AgeStanza } from '../core/crypt/index.js';
import { hushError } from '../core/errors/index.js';

const RECIPIENT = /^age1[02-9ac-hj-np-z]{58}$/;
const IDENTITY = /AGE-SECRET-KEY-1[0-9A-Z]{58}/g;

/** An age identity the user holds, with the recipient it answers to. */
export interface AgeIdentity {
  readonly identity: string;
  readonly recipient: string;
}

/** Check an age X25519 recipient (`age1...`): HUSH_E_USAGE when it is not one. */
export function checkAgeRecipient(recipient: string): string {
  const r = recipient.trim();
  if (!RECIPIENT.test(r)) throw hushError('CRYPT_AGE_RECIPIENT_INVALID', { recipient: r.slice(0, 12) });
  return r;
}

/** Wrap the data key for one age recipient: an armored age file, as SOPS writes it in `sops.age[].enc`. */
export async function wrapForAge(dataKey: Uint8Array, recipient: string): Promise<AgeStanza> {
  const e = new Encrypter();
  e.addRecipient(checkAgeRecipient(recipient));
  return { recipient, enc: armor.encode(await e.encrypt(dataKey)) };
}

/** Unwrap a stanza with one identity; undefined when the stanza is not for it. */
export async function unwrapWithAge(
  stanza: AgeStanza,
  identity: AgeIdentity,
): Promise<Uint8Array | undefined> {
  const d = new Decrypter();
  d.addIdentity(identity.identity);
  try {
    return await d.decrypt(armor.decode(`${stanza.enc.trim()}\n`), 'uint8array');
  } catch {
    return undefined;
  }
}

async function identitiesIn(text: string): Promise<AgeIdentity[]> {
  const found = text.match(IDENTITY) ?? [];
  return Promise.all(
    found.map(async (identity) => ({ identity, recipient: await identityToRecipient(identity) })),
  );
}

/**
 * The age identities this user holds, where SOPS looks for them: `SOPS_AGE_KEY` (the keys themselves),
 * `SOPS_AGE_KEY_FILE`, then Hush's own `HUSH_AGE_KEY_FILE`, then `~/.config/sops/age/keys.txt`. Unreadable default
 * locations are skipped; a named file that cannot be read is an error.
 */
export async function loadAgeIdentities(env: NodeJS.ProcessEnv): Promise<AgeIdentity[]> {
  const out: AgeIdentity[] = [];
  if (env['SOPS_AGE_KEY']) out.push(...(await identitiesIn(env['SOPS_AGE_KEY'])));
  for (const name of ['SOPS_AGE_KEY_FILE', 'HUSH_AGE_KEY_FILE'] as const) {
    const file = env[name];
    if (!file) continue;
    const text = await readFile(file, 'utf8').catch(() => {
      throw hushError('CRYPT_AGE_IDENTITY_INVALID', { file });
    });
    const ids = await identitiesIn(text);
    if (ids.length === 0) throw hushError('CRYPT_AGE_IDENTITY_INVALID', { file });
    out.push(...ids);
  }
  const home = env['HOME'] ?? homedir();
  const fallback = env['XDG_CONFIG_HOME']
    ? join(env['XDG_CONFIG_HOME'], 'sops/age/keys.txt')
    : join(home, '.config/sops/age/keys.txt');
  const text = await readFile(fallback, 'utf8').catch(() => '');
  out.push(...(await identitiesIn(text)));
  return out;
}
