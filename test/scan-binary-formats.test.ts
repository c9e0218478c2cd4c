import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { rootKeyFromSealRow, saveSnapshot } from '../src/operator/index.js';
import { humanFinding } from '../src/scan/report/human-report.js';
import { runScan } from '../src/scan/run-scan.js';
import { fsSource } from '../src/scan/sources/fs-source.js';
import { KeyFileSeal } from '../src/seal/key-file/key-file-seal.js';
import { useFileStore } from './support/test-store.js';

const fx = useFileStore('scan-binary-formats');
const openssl = (args: string[], cwd: string) => execFileSync('openssl', args, { cwd, stdio: 'pipe' });

describe('the tree scan recognises committed Hush snapshots and BYOK key material by structure', () => {
  it('a real snapshot, a BYOK key and its wrapped blob are findings with remediation; look-alikes are not', async () => {
    await fx.store.put('team/prod/db', 'snapshot-secret-value', { actor: 'test' });
    const tree = join(fx.dir, 'repo');
    await mkdir(join(tree, 'backups'), { recursive: true });
    await mkdir(join(tree, 'byok'), { recursive: true });
    // The real snapshot writer, over the real store (SQLite, key-file seal).
    await saveSnapshot({
      source: fx.store.readBackend,
      file: join(tree, 'backups', 'nightly.snap'),
      unsealRoot: (sealRow) =>
        rootKeyFromSealRow(sealRow, new KeyFileSeal({ path: join(fx.dir, 'root.key') }), {}),
    });
    // BYOK material as docs/keys.md makes it: 32 random bytes, wrapped with RSA-OAEP-SHA-256 under an RSA-3072 key.
    const byok = join(tree, 'byok');
    openssl(['genpkey', '-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:3072', '-out', 'import.key'], byok);
    openssl(['pkey', '-in', 'import.key', '-pubout', '-out', 'wrapping.pem'], byok);
    openssl(['rand', '-out', 'key.bin', '32'], byok);
    openssl(
      [
        'pkeyutl',
        '-encrypt',
        '-pubin',
        '-inkey',
        'wrapping.pem',
        '-in',
        'key.bin',
        '-out',
        'wrapped.bin',
      ].concat([
        '-pkeyopt',
        'rsa_padding_mode:oaep',
        '-pkeyopt',
        'rsa_oaep_md:sha256',
        '-pkeyopt',
        'rsa_mgf1_md:sha256',
      ]),
      byok,
    );
    // Look-alikes: a detached RSA-3072 signature (same size as the wrapped blob), a digest of 32 random bytes under a
    // name that is not a key's, a 32-character hex key as text, a file that only starts with the magic, random binaries.
    openssl(['dgst', '-sha256', '-sign', 'import.key', '-out', 'release.sig', 'wrapping.pem'], byok);
    await writeFile(join(tree, 'digest.sha256'), randomBytes(32));
    await writeFile(join(tree, 'dev.key.txt'), `${randomBytes(16).toString('hex')}\n`);
    await writeFile(join(tree, 'fake.snap'), Buffer.concat([Buffer.from('HUSHSNAP'), randomBytes(200)]));
    await writeFile(
      join(tree, 'image.png'),
      Buffer.concat([Buffer.from('\x89PNG\r\n\x1a\n\0\0', 'latin1'), randomBytes(5000)]),
    );
    await writeFile(join(tree, 'blob.bin'), Buffer.concat([Buffer.alloc(4), randomBytes(380)]));
    await writeFile(join(byok, 'import.key.pub.der'), randomBytes(100));

    // Random key bytes often hold no NUL (the binary test): a key and a wrapped blob without one are still found.
    const noNul = (n: number) => Buffer.from(randomBytes(n).map((b) => b || 1));
    await writeFile(join(byok, 'kek-nonul.bin'), noNul(32));
    await writeFile(join(byok, 'wrapped-nonul.bin'), noNul(256));
    // A 32-byte file in a known format under a key-ish name is not a raw key.
    await writeFile(
      join(byok, 'key-schedule.wasm'),
      Buffer.concat([Buffer.from('\0asm\x01\0\0\0', 'latin1'), noNul(24)]),
    );

    const result = await runScan([fsSource({ roots: [tree] })]);
    const found = result.findings.map((f) => `${f.ruleId} ${f.path.slice(tree.length + 1)}`).sort();
    expect(found).toContain('hush-snapshot-file backups/nightly.snap');
    expect(found).toContain('hush-byok-key byok/key.bin');
    expect(found).toContain('hush-byok-wrapped-key byok/wrapped.bin');
    expect(found).toContain('hush-byok-key byok/kek-nonul.bin');
    expect(found).toContain('hush-byok-wrapped-key byok/wrapped-nonul.bin');
    expect(found.filter((f) => /hush-(snapshot|byok)/.test(f))).toHaveLength(5);
    // The private import key is a text PEM and found by the text rules as before.
    expect(found.some((f) => f.endsWith('byok/import.key'))).toBe(true);

    const key = result.findings.find((f) => f.ruleId === 'hush-byok-key');
    const raw = await readFile(join(byok, 'key.bin'));
    // The finding carries a digest, never the key bytes; the fix says what to do.
    expect(key?.secret).toMatch(/^[0-9a-f]{64}$/);
    expect(key?.secret).not.toContain(raw.toString('hex'));
    expect(humanFinding(key!, true)).toContain('fix: this looks like a BYOK key');
    expect(result.findings.find((f) => f.ruleId === 'hush-snapshot-file')?.remediation).toMatch(
      /never in a repository/,
    );
  });

  it('a snapshot larger than the streaming threshold is recognised from its head alone', async () => {
    const tree = join(fx.dir, 'big');
    await mkdir(tree, { recursive: true });
    await saveSnapshot({
      source: fx.store.readBackend,
      file: join(tree, 'hush-backup.bak'),
      unsealRoot: (sealRow) =>
        rootKeyFromSealRow(sealRow, new KeyFileSeal({ path: join(fx.dir, 'root.key') }), {}),
    });
    const result = await runScan([fsSource({ roots: [tree], streamAbove: 64 })]);
    expect(result.findings.map((f) => f.ruleId)).toEqual(['hush-snapshot-file']);
  });
});
