import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AlertInput } from '../src/alerts/index.js';
import { KeyFileSeal } from '../src/seal/key-file/key-file-seal.js';
import { openSqliteBackend } from '../src/storage/sqlite/sqlite-backend.js';
import { createStore, type HushStore } from '../src/store/index.js';
import { createTrust } from '../src/trust/index.js';
import { useHushServer } from './support/hush-server.js';
import { type MadeCert, makeCa, type TestCa } from './support/openssl-certs.js';
import { type HushRun, runHush } from './support/run-hush.js';

const fx = useHushServer('trust-server');
const CODE_SIGNING = ['extendedKeyUsage=codeSigning'];
let pki = '';
let root: TestCa;
let inter: TestCa;

function hush(args: string[]): Promise<HushRun> {
  return runHush(args, { env: { HUSH_ADDR: fx.server.url, HUSH_TOKEN: fx.root } });
}
function ok(run: HushRun): string {
  if (run.code !== 0) throw new Error(`exit ${run.code}; stderr: ${run.stderr}`);
  return run.stdout;
}
/** A detached signature made by the real openssl CLI with the signer's own key (the signer is not Hush). */
function opensslSign(signer: MadeCert, file: string): string {
  const out = `${file}.${signer.keyPath.split('/').pop()}.sig`;
  execFileSync('openssl', ['dgst', '-sha256', '-sign', signer.keyPath, '-out', out, file]);
  return out;
}

beforeAll(() => {
  pki = join(fx.dir, 'pki');
  root = makeCa(pki, 'vendor-root');
  inter = root.intermediate('vendor-ca');
}, 60_000);

describe('trust stores: signatures checked against trusted signer certificates', () => {
  it('verifies a chain to a trusted root; refuses tampering, expired, non-code-signing and revoked signers', async () => {
    const signer = inter.issue('vendor-signer', { extensions: CODE_SIGNING, key: 'ec:P-256' });
    const expired = inter.issue('old-signer', {
      extensions: CODE_SIGNING,
      key: 'ec:P-256',
      start: '20200101000000Z',
      end: '20210101000000Z',
    });
    const tls = inter.issue('tls-only', { extensions: ['extendedKeyUsage=serverAuth'], key: 'ec:P-256' });
    ok(await hush(['trust', 'add', 'vendors', root.certPath, '--role', 'root']));
    ok(await hush(['trust', 'add', 'vendors', inter.certPath, '--role', 'intermediate']));
    ok(await hush(['trust', 'add', 'vendors', signer.certPath, '--role', 'signer']));
    const leafAsRoot = await hush(['trust', 'add', 'vendors', signer.certPath, '--role', 'root']);
    expect(leafAsRoot.code).toBe(2);
    expect(leafAsRoot.stderr).toContain('not a CA certificate');

    const artefact = join(fx.dir, 'vendor.tar');
    await writeFile(artefact, 'vendor release\n'.repeat(20));
    const sig = opensslSign(signer, artefact);
    const good = ok(
      await hush([
        '--json',
        'verify',
        artefact,
        '--sig',
        sig,
        '--cert',
        signer.certPath,
        '--trust',
        'vendors',
      ]),
    );
    expect(JSON.parse(good)).toMatchObject({
      valid: true,
      signer: 'CN=vendor-signer',
      chain: ['CN=vendor-signer', 'CN=vendor-ca', 'CN=vendor-root'],
    });

    const refuse = async (args: string[], code: string, text: string) => {
      const run = await hush(['verify', ...args]);
      expect(run.code, run.stderr).toBe(2);
      expect(run.stderr).toContain(code);
      expect(run.stderr).toContain(text);
      expect(run.stderr.trim().split('\n')).toHaveLength(1);
    };
    const tampered = join(fx.dir, 'vendor-tampered.tar');
    await writeFile(tampered, 'vendor release\n'.repeat(19));
    await refuse(
      [tampered, '--sig', sig, '--cert', signer.certPath, '--trust', 'vendors'],
      'HUSH_E_TRANSIT_INVALID',
      'does not verify',
    );
    await refuse(
      [artefact, '--sig', opensslSign(expired, artefact), '--cert', expired.certPath, '--trust', 'vendors'],
      'HUSH_E_UNTRUSTED_SIGNER',
      'expired at 2021-01-01',
    );
    await refuse(
      [artefact, '--sig', opensslSign(tls, artefact), '--cert', tls.certPath, '--trust', 'vendors'],
      'HUSH_E_UNTRUSTED_SIGNER',
      'code-signing',
    );
    const stranger = makeCa(join(pki, 'stranger'), 'stranger-root').issue('stranger', {
      extensions: CODE_SIGNING,
    });
    await refuse(
      [artefact, '--sig', opensslSign(stranger, artefact), '--cert', stranger.certPath, '--trust', 'vendors'],
      'HUSH_E_UNTRUSTED_SIGNER',
      'does not reach a root',
    );

    // hush run --verify with --trust: runs with the good signer...
    const marker = join(fx.dir, 'deployed');
    const deploy = [
      '--',
      process.execPath,
      '-e',
      `require('fs').writeFileSync(${JSON.stringify(marker)}, 'x')`,
    ];
    ok(
      await hush([
        'run',
        '--verify',
        `${artefact}:${sig}:${signer.certPath}`,
        '--trust',
        'vendors',
        ...deploy,
      ]),
    );
    expect(existsSync(marker)).toBe(true);

    // ...then the vendor revokes the signer: the imported CRL refuses it everywhere, and the re-check reports it.
    inter.revoke(signer);
    const crlFile = join(pki, 'vendor-ca.crl.pem');
    await writeFile(crlFile, inter.crl());
    expect(ok(await hush(['trust', 'crl', 'vendors', crlFile]))).toContain('1 revoked');
    const foreignCrl = join(pki, 'foreign.crl.pem');
    const other = makeCa(join(pki, 'other'), 'other-root');
    other.issue('x');
    await writeFile(foreignCrl, other.crl());
    const noIssuer = await hush(['trust', 'crl', 'vendors', foreignCrl]);
    expect(noIssuer.code).toBe(2);
    expect(noIssuer.stderr).toContain('no CA certificate in trust store "vendors" signed');
    await refuse(
      [artefact, '--sig', sig, '--cert', signer.certPath, '--trust', 'vendors'],
      'HUSH_E_UNTRUSTED_SIGNER',
      'is revoked',
    );
    const marker2 = join(fx.dir, 'deployed-2');
    const refusedRun = await hush([
      'run',
      '--verify',
      `${artefact}:${sig}:${signer.certPath}`,
      '--trust',
      'vendors',
      '--',
      process.execPath,
      '-e',
      `require('fs').writeFileSync(${JSON.stringify(marker2)}, 'x')`,
    ]);
    expect(refusedRun.code).toBe(2);
    expect(existsSync(marker2)).toBe(false);
    expect(ok(await hush(['trust', 'check', 'vendors']))).toMatch(/^revoked\s+CN=vendor-signer/m);
  });
});

describe('hush trust check and hush verify enforce the issuing constraints of the chain', () => {
  it('a signer below a pathlen:0 CA is invalid; a CA without keyCertSign is refused as an intermediate', async () => {
    const zero = root.intermediate(
      'narrow-ca',
      'basicConstraints=critical,CA:TRUE,pathlen:0\nkeyUsage=critical,keyCertSign,cRLSign\n',
    );
    const sub = zero.intermediate('narrow-sub');
    const deep = sub.issue('too-deep-signer', { extensions: CODE_SIGNING, key: 'ec:P-256' });
    const noSign = root.intermediate(
      'no-certsign-ca',
      'basicConstraints=critical,CA:TRUE\nkeyUsage=critical,digitalSignature,cRLSign\n',
    );
    const under = noSign.issue('under-no-certsign', { extensions: CODE_SIGNING, key: 'ec:P-256' });
    ok(await hush(['trust', 'add', 'narrow', root.certPath, '--role', 'root']));
    for (const ca of [zero, sub])
      ok(await hush(['trust', 'add', 'narrow', ca.certPath, '--role', 'intermediate']));
    const refused = await hush(['trust', 'add', 'narrow', noSign.certPath, '--role', 'intermediate']);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('keyCertSign');
    for (const s of [deep, under]) ok(await hush(['trust', 'add', 'narrow', s.certPath, '--role', 'signer']));
    const report = ok(await hush(['trust', 'check', 'narrow']));
    expect(report).toMatch(/^invalid\s+CN=too-deep-signer.*pathLenConstraint/m);
    expect(report).toMatch(/^invalid\s+CN=under-no-certsign.*does not reach a root/m);

    const artefact = join(fx.dir, 'narrow.tar');
    await writeFile(artefact, 'narrow release\n');
    const run = await hush([
      'verify',
      artefact,
      '--sig',
      opensslSign(deep, artefact),
      '--cert',
      deep.certPath,
      '--trust',
      'narrow',
    ]);
    expect(run.code, run.stderr).toBe(2);
    expect(run.stderr).toContain('HUSH_E_UNTRUSTED_SIGNER');
    expect(run.stderr).toContain('CN=narrow-ca allows 0 intermediate CA(s) below it');
  });
});

describe('the scheduled signer re-check (leader-only job) over a real store', () => {
  let dir = '';
  let store: HushStore;
  beforeAll(async () => {
    dir = join(fx.dir, 'job-store');
    execFileSync('mkdir', ['-p', dir]);
    const backend = await openSqliteBackend({ path: join(dir, 'hush.db') });
    store = createStore({ backend, seal: new KeyFileSeal({ path: join(dir, 'root.key') }) });
    await store.init();
  });
  afterAll(async () => {
    await store?.close();
  });

  it('raises an alert before a signer expires and when a CRL revokes it', async () => {
    const raised: AlertInput[] = [];
    const trust = createTrust({
      ...store,
      isSealed: () => store.isSealed(),
      raise: (a) => raised.push(a),
      warnDays: 30,
    });
    const soon = inter.issue('soon-signer', { extensions: CODE_SIGNING, days: 10 });
    const fine = inter.issue('fine-signer', { extensions: CODE_SIGNING, days: 365 });
    const doomed = inter.issue('doomed-signer', { extensions: CODE_SIGNING, days: 365 });
    await trust.service.addCerts('partners', root.certPem, 'root');
    await trust.service.addCerts('partners', inter.certPem, 'intermediate');
    for (const s of [soon, fine, doomed]) await trust.service.addCerts('partners', s.certPem, 'signer');
    await trust.job.run(new AbortController().signal);
    expect(raised.map((a) => a.rule)).toEqual(['signer-cert-expiring']);
    expect(raised[0]?.message).toContain('CN=soon-signer expires in');

    inter.revoke(doomed);
    await trust.service.addCrl('partners', Buffer.from(inter.crl()));
    raised.length = 0;
    await trust.job.run(new AbortController().signal);
    expect(raised.map((a) => `${a.rule} ${a.message.includes('doomed') ? 'doomed' : 'soon'}`).sort()).toEqual(
      ['signer-cert-expiring soon', 'signer-cert-revoked doomed'],
    );
  });
});
