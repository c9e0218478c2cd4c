import { spawnSync } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { useHushServer } from './support/hush-server.js';
import { type HushRun, runHush } from './support/run-hush.js';

const fx = useHushServer('dsse-cli');

function hush(args: string[]): Promise<HushRun> {
  return runHush(args, { env: { HUSH_ADDR: fx.server.url, HUSH_TOKEN: fx.root } });
}
function ok(run: HushRun): string {
  if (run.code !== 0) throw new Error(`exit ${run.code}; stderr: ${run.stderr}`);
  return run.stdout;
}

/** PAE written out here from the DSSE protocol text, apart from the code under test. */
function paeBytes(type: string, body: Buffer): Buffer {
  return Buffer.concat([Buffer.from(`DSSEv1 ${Buffer.byteLength(type)} ${type} ${body.length} `), body]);
}

const TYPE = 'application/vnd.in-toto+json';

describe('hush sign --dsse and hush verify --dsse', () => {
  for (const c of [
    { type: 'ecdsa-p256', dgst: ['-sha256'] },
    {
      type: 'rsa-2048',
      dgst: ['-sha256', '-sigopt', 'rsa_padding_mode:pss', '-sigopt', 'rsa_pss_saltlen:digest'],
    },
  ]) {
    it(`${c.type}: the envelope's signature verifies with openssl over the PAE bytes; tampering fails`, async () => {
      const key = `dsse-${c.type}`;
      ok(await hush(['transit', 'keys', 'create', key, '--type', c.type]));
      const statement = join(fx.dir, `${key}.json`);
      const body = JSON.stringify({
        _type: 'https://in-toto.io/Statement/v1',
        subject: [{ name: 'app.tar', digest: { sha256: 'ab'.repeat(32) } }],
        predicateType: 'https://slsa.dev/provenance/v1',
      });
      await writeFile(statement, body);
      ok(await hush(['sign', statement, '--key', key, '--dsse', '--payload-type', TYPE]));
      const envFile = `${statement}.dsse.json`;
      const envelope = JSON.parse(await readFile(envFile, 'utf8')) as {
        payloadType: string;
        payload: string;
        signatures: { keyid: string; sig: string }[];
      };
      expect(envelope.payloadType).toBe(TYPE);
      expect(Buffer.from(envelope.payload, 'base64').toString()).toBe(body);
      expect(envelope.signatures[0]?.keyid).toBe(`${key}:v1`);

      // Independently: openssl over PAE bytes built here.
      const paeFile = join(fx.dir, `${key}.pae`);
      const sigFile = join(fx.dir, `${key}.sig`);
      const pem = join(fx.dir, `${key}.pem`);
      await writeFile(paeFile, paeBytes(TYPE, Buffer.from(body)));
      await writeFile(sigFile, Buffer.from(envelope.signatures[0]?.sig ?? '', 'base64'));
      await writeFile(pem, ok(await hush(['transit', 'keys', 'show', key, '--pem'])));
      const openssl = spawnSync('openssl', [
        'dgst',
        ...c.dgst,
        '-verify',
        pem,
        '-signature',
        sigFile,
        paeFile,
      ]);
      expect(openssl.status, String(openssl.stderr)).toBe(0);

      expect(ok(await hush(['verify', envFile, '--dsse', '--key', key]))).toContain(`payloadType ${TYPE}`);
      const out = join(fx.dir, `${key}.payload`);
      ok(await hush(['verify', envFile, '--dsse', '--public-key', pem, '--payload-out', out]));
      expect(await readFile(out, 'utf8')).toBe(body);

      // The signature covers the payload type and the payload: changing either breaks it, remote and offline.
      for (const forged of [
        { ...envelope, payloadType: 'text/plain' },
        { ...envelope, payload: Buffer.from(body.replace('ab', 'cd')).toString('base64') },
      ]) {
        const forgedFile = join(fx.dir, `${key}.forged.json`);
        await writeFile(forgedFile, JSON.stringify(forged));
        const remote = await hush(['verify', forgedFile, '--dsse', '--key', key]);
        expect(remote.code).toBe(2);
        expect(remote.stderr).toContain('HUSH_E_TRANSIT_INVALID');
        expect((await hush(['verify', forgedFile, '--dsse', '--public-key', pem])).code).toBe(2);
      }
    });
  }

  it('refuses usage mistakes and malformed envelopes with one coded line', async () => {
    const file = join(fx.dir, 'plain.txt');
    await writeFile(file, 'x');
    const noType = await hush(['sign', file, '--key', 'dsse-ecdsa-p256', '--dsse']);
    expect(noType.code).toBe(2);
    expect(noType.stderr).toContain('--payload-type');
    const notEnvelope = await hush(['verify', file, '--dsse', '--key', 'dsse-ecdsa-p256']);
    expect(notEnvelope.code).toBe(2);
    expect(notEnvelope.stderr).toContain('not a DSSE envelope');
    expect((await hush(['verify', file, '--key', 'dsse-ecdsa-p256'])).stderr).toContain('--sig FILE');
  });
});
