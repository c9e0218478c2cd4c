// Binary Hush material for the accuracy corpus: snapshot files in the on-disk format of src/operator/snapshot-format.ts
// and BYOK key material as docs/keys.md makes it, with look-alikes of the same sizes (signatures, digests, images).
// Values come from a CSPRNG; files are written to disk because the tree scan, not the text engine, judges them.
import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

const u32 = (n) => {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(n);
  return b;
};

/** A snapshot as saveSnapshot writes it: magic, header JSON, wrapped key, chunk envelopes (random bytes here). */
function snapshot() {
  const header = Buffer.from(
    JSON.stringify({
      format: 1,
      createdAt: new Date().toISOString(),
      sealRow: randomBytes(120).toString('base64'),
      kdf: { name: 'hkdf-sha256', salt: randomBytes(32).toString('base64') },
      cipher: 'aes-256-gcm',
    }),
  );
  const key = randomBytes(60);
  const chunks = Array.from({ length: 3 }, () => {
    const c = randomBytes(500 + Math.floor(Math.random() * 3000));
    return Buffer.concat([u32(c.length), c]);
  });
  return Buffer.concat([
    Buffer.from('HUSHSNAP'),
    u32(header.length),
    header,
    u32(key.length),
    key,
    ...chunks,
  ]);
}

/** [path, bytes, expected rule or null] */
export function binaryCases() {
  const positives = [
    ['backups/hush.snap', snapshot(), 'hush-snapshot-file'],
    ['backups/2026-12-01.bak', snapshot(), 'hush-snapshot-file'],
    ['ops/hush-backup', snapshot(), 'hush-snapshot-file'],
    ['tmp/store.snapshot', snapshot(), 'hush-snapshot-file'],
    ['migration/prod.bin', snapshot(), 'hush-snapshot-file'],
    ['byok/key.bin', randomBytes(32), 'hush-byok-key'],
    ['keys/prod-kek.bin', randomBytes(32), 'hush-byok-key'],
    ['secrets/master.key', randomBytes(32), 'hush-byok-key'],
    ['byok/payments-prod.raw', randomBytes(32), 'hush-byok-key'],
    ['ops/root.key', randomBytes(32), 'hush-byok-key'],
    ['byok/wrapped.bin', randomBytes(384), 'hush-byok-wrapped-key'],
    ['keys/wrapped-2048.bin', randomBytes(256), 'hush-byok-wrapped-key'],
    ['byok/import.wrapped', randomBytes(512), 'hush-byok-wrapped-key'],
  ];
  const negatives = [
    ['release/app.sig', randomBytes(384)],
    ['release/app-2048.sig', randomBytes(256)],
    ['release/signature.der', randomBytes(512)],
    ['dist/checksum.bin', randomBytes(32)],
    ['dist/app.sha256', randomBytes(32)],
    ['cache/ab12cd34', randomBytes(32)],
    ['keys/empty.key', Buffer.alloc(32)],
    ['keys/dev.key', Buffer.from(`${randomBytes(15).toString('hex')}\n\n`)],
    ['fixtures/fake.snap', Buffer.concat([Buffer.from('HUSHSNAP'), randomBytes(300)])],
    [
      'assets/logo.png',
      Buffer.concat([Buffer.from('\x89PNG\r\n\x1a\n\0\0\0\rIHDR', 'latin1'), randomBytes(4000)]),
    ],
    ['assets/data.gz.part', Buffer.concat([Buffer.from([0x1f, 0x8b, 8, 0]), randomBytes(384 - 4)])],
    [
      'vendor/wasm/key-schedule.wasm',
      Buffer.concat([Buffer.from('\0asm\x01\0\0\0', 'latin1'), randomBytes(24)]),
    ],
  ];
  return [...positives, ...negatives.map(([p, b]) => [p, b, null])];
}

/** Write the cases under `dir`; returns them as { file, expected }. */
export function writeBinaryCases(dir) {
  return binaryCases().map(([file, bytes, expected]) => {
    mkdirSync(dirname(join(dir, file)), { recursive: true });
    writeFileSync(join(dir, file), bytes);
    return { file, expected };
  });
}
