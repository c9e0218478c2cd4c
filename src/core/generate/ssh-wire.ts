/** SSH wire encoding (RFC 4251 section 5): uint32, string and mpint, concatenated into one buffer. */

/** A big-endian uint32. */
export function sshUint32(n: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(n >>> 0);
  return b;
}

/** An SSH `string`: uint32 length then the bytes. */
export function sshString(data: Uint8Array | string): Buffer {
  const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : Buffer.from(data);
  return Buffer.concat([sshUint32(bytes.length), bytes]);
}

/** An SSH `mpint` of a non-negative big-endian magnitude: no leading zeros, a 0x00 added when the top bit is set. */
export function sshMpint(magnitude: Uint8Array): Buffer {
  let i = 0;
  while (i < magnitude.length && magnitude[i] === 0) i++;
  const trimmed = Buffer.from(magnitude.subarray(i));
  const body =
    trimmed.length > 0 && (trimmed[0]! & 0x80) !== 0 ? Buffer.concat([Buffer.from([0]), trimmed]) : trimmed;
  return sshString(body);
}

/** A reader for the same encoding (used to verify what the encoder wrote). */
export class SshReader {
  private offset = 0;
  constructor(private readonly buf: Buffer) {}
  /** Read a uint32. */
  uint32(): number {
    if (this.offset + 4 > this.buf.length) throw new RangeError('ssh: truncated uint32');
    const n = this.buf.readUInt32BE(this.offset);
    this.offset += 4;
    return n;
  }
  /** Read a string's bytes. */
  bytes(): Buffer {
    const n = this.uint32();
    if (this.offset + n > this.buf.length) throw new RangeError('ssh: truncated string');
    const out = this.buf.subarray(this.offset, this.offset + n);
    this.offset += n;
    return out;
  }
  /** Read a string as UTF-8 text. */
  text(): string {
    return this.bytes().toString('utf8');
  }
  /** Bytes not yet read. */
  rest(): Buffer {
    return this.buf.subarray(this.offset);
  }
}
