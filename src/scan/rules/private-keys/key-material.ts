import { shannonEntropy } from '../../entropy.js';

/** Base64 payload of an armoured block: header lines (`Key: value`) dropped, JSON `\n` escapes and blanks removed. */
export function armouredPayload(body: string): string {
  return body
    .replace(/\\r|\\n/g, '\n')
    .split(/\r?\n/)
    .filter((line) => !line.includes(':'))
    .join('')
    .replace(/[^A-Za-z0-9+/=]/g, '');
}

/** True when the payload is long and random enough to be real key material rather than a truncated sample. */
export function looksLikeKeyMaterial(payload: string, minLength = 64): boolean {
  return payload.length >= minLength && shannonEntropy(payload) >= 4.8;
}

/** Read an SSH wire-format string (uint32 length + bytes) at `offset`; undefined when out of range. */
function sshString(buf: Buffer, offset: number): { value: Buffer; next: number } | undefined {
  if (offset + 4 > buf.length) return undefined;
  const len = buf.readUInt32BE(offset);
  const end = offset + 4 + len;
  if (end > buf.length) return undefined;
  return { value: buf.subarray(offset + 4, end), next: end };
}

const OPENSSH_MAGIC = 'openssh-key-v1\0';

/** The cipher name of an `openssh-key-v1` payload (`none` means unencrypted); undefined when malformed. */
export function opensshCipher(payload: string): string | undefined {
  const buf = Buffer.from(payload, 'base64');
  if (buf.subarray(0, OPENSSH_MAGIC.length).toString('latin1') !== OPENSSH_MAGIC) return undefined;
  return sshString(buf, OPENSSH_MAGIC.length)?.value.toString('latin1');
}

/** Build an `openssh-key-v1` payload for examples (random-looking key bytes, never a usable key). */
export function openSshPayload(cipher: string, kdf: string, keyBytes: Buffer): string {
  const str = (b: Buffer | string) => {
    const v = typeof b === 'string' ? Buffer.from(b, 'latin1') : b;
    const len = Buffer.alloc(4);
    len.writeUInt32BE(v.length);
    return Buffer.concat([len, v]);
  };
  const count = Buffer.alloc(4);
  count.writeUInt32BE(1);
  const pub = Buffer.concat([str('ssh-ed25519'), str(keyBytes.subarray(0, 32))]);
  const kdfOptions =
    kdf === 'none'
      ? str('')
      : str(Buffer.concat([str(keyBytes.subarray(0, 16)), Buffer.from([0, 0, 0, 16])]));
  return Buffer.concat([
    Buffer.from(OPENSSH_MAGIC, 'latin1'),
    str(cipher),
    str(kdf),
    kdfOptions,
    count,
    str(pub),
    str(keyBytes),
  ]).toString('base64');
}
