import { HushError } from '../errors/hush-error.js';
import { hushError } from '../errors/index.js';
import { openAead, sealAead } from './aead.js';
import { formatProtector, type KeyWrapper, type Protector, parseProtector } from './key-wrapper.js';
import { decodeKeyring, encodeKeyring, type Keyring } from './keyring.js';
import { generateKey, KEY_BYTES, wipe } from './random.js';

/**
 * A keyring row protected by something other than the root key:
 * `HKR2` [u32 header length] [header JSON {protector, wrappedKey}] [AES-GCM box of the keyring under a fresh data key].
 * The data key is wrapped by the protector; the protector's name is in the box's AAD, so editing the header to name
 * another (weaker) protector makes the row fail its integrity check. A row made by `sealKeyring` (first byte 0x01,
 * never `H`) is a root-protected keyring.
 */
const MAGIC = Buffer.from('HKR2', 'latin1');

/** What a keyring row says about how it is protected (read without any key). */
export type KeyringHeader =
  | { readonly protector: { readonly kind: 'root' } }
  | {
      readonly protector: Exclude<Protector, { kind: 'root' }>;
      readonly wrappedKey: Buffer;
      readonly box: Buffer;
    };

/** Read the protector of a keyring row; a malformed header is HUSH_E_INTEGRITY naming the scope. */
export function readKeyringHeader(scope: string, row: Uint8Array): KeyringHeader {
  const buf = Buffer.from(row.buffer, row.byteOffset, row.byteLength);
  if (!buf.subarray(0, MAGIC.length).equals(MAGIC)) return { protector: { kind: 'root' } };
  try {
    const length = buf.readUInt32BE(MAGIC.length);
    const start = MAGIC.length + 4;
    const header = JSON.parse(buf.subarray(start, start + length).toString('utf8')) as {
      protector?: unknown;
      wrappedKey?: unknown;
    };
    const protector = typeof header.protector === 'string' ? parseProtector(header.protector) : undefined;
    if (!protector || protector.kind === 'root' || typeof header.wrappedKey !== 'string') throw new Error();
    return {
      protector,
      wrappedKey: Buffer.from(header.wrappedKey, 'base64'),
      box: buf.subarray(start + length),
    };
  } catch {
    throw hushError('KEYRING_MALFORMED_PROTECTOR_HEADER_ROW', { scope });
  }
}

/** Seal a keyring under a fresh data key wrapped by `wrapper`, recording `protector` (not root) in the row. */
export async function sealKeyringWith(
  wrapper: KeyWrapper,
  protector: Exclude<Protector, { kind: 'root' }>,
  ring: Keyring,
): Promise<Buffer> {
  const dataKey = generateKey();
  const plain = encodeKeyring(ring);
  try {
    const name = formatProtector(protector);
    const box = sealAead(dataKey, plain, { purpose: 'keyring', scope: ring.scope, protector: name });
    const wrappedKey = (await wrapQuietly(wrapper, dataKey, ring.scope, name)).toString('base64');
    const header = Buffer.from(JSON.stringify({ protector: name, wrappedKey }), 'utf8');
    const length = Buffer.alloc(4);
    length.writeUInt32BE(header.length);
    return Buffer.concat([MAGIC, length, header, box]);
  } finally {
    wipe(dataKey);
    wipe(plain);
  }
}

/** Open a row made by {@link sealKeyringWith}; a wrong key, a swapped header or a flipped byte -> HUSH_E_INTEGRITY. */
export async function openKeyringWith(
  wrapper: KeyWrapper,
  scope: string,
  header: Extract<KeyringHeader, { wrappedKey: Buffer }>,
): Promise<Keyring> {
  const name = formatProtector(header.protector);
  let dataKey: Buffer;
  try {
    dataKey = await wrapper.unwrap(header.wrappedKey);
  } catch (err) {
    if (err instanceof HushError) throw err;
    // A wrapper's own failure (device unreachable, key missing, wrong key) is not proof of tampering.
    throw hushError(
      'KEYRING_PROTECTOR_COULD_NOT_UNWRAP',
      { scope, name, value: err instanceof Error ? err.name : 'error' },
      { scope, protector: name },
    );
  }
  try {
    if (dataKey.length !== KEY_BYTES) {
      throw hushError('KEYRING_PROTECTOR_RETURNED_BYTE_DATA', {
        scope,
        name,
        length: dataKey.length,
        keyBytes: KEY_BYTES,
      });
    }
    const plain = openAead(
      dataKey,
      header.box,
      { purpose: 'keyring', scope, protector: name },
      `keyring ${scope}`,
    );
    return decodeKeyring(scope, plain);
  } finally {
    wipe(dataKey);
  }
}

/** `wrapper.wrap`, with a wrapper's own failure reported as a coded error naming the keyring (never a stack trace). */
async function wrapQuietly(
  wrapper: KeyWrapper,
  dataKey: Buffer,
  scope: string,
  name: string,
): Promise<Buffer> {
  try {
    return await wrapper.wrap(dataKey);
  } catch (err) {
    if (err instanceof HushError) throw err;
    throw hushError(
      'KEYRING_PROTECTOR_COULD_NOT_WRAP',
      { scope, name, value: err instanceof Error ? err.name : 'error' },
      { scope, protector: name },
    );
  }
}
