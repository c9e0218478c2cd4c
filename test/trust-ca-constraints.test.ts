import { spawnSync } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { caConstraints } from '../src/core/certs/ca-constraints.js';
import { checkSigner, type TrustBundle } from '../src/core/trust/index.js';
import { type MadeCert, makeCa, type TestCa } from './support/openssl-certs.js';
import { makeTempDir, removeTempDir } from './support/temp-dir.js';

const CODE_SIGNING = ['extendedKeyUsage=codeSigning'];
let dir = '';
let root: TestCa;

const x509 = (pem: string) => new X509Certificate(pem);
const bundle = (...intermediates: readonly MadeCert[]): TrustBundle => ({
  roots: [x509(root.certPem)],
  intermediates: intermediates.map((c) => x509(c.certPem)),
  crls: [],
});
/** What the real `openssl verify` says of `leaf` with `intermediates` as untrusted chain certificates. */
function opensslVerify(leaf: MadeCert, intermediates: readonly MadeCert[]): string {
  const untrusted = join(dir, `untrusted-${intermediates.length}-${Date.now()}.pem`);
  writeFileSync(untrusted, intermediates.map((c) => c.certPem).join(''));
  const args = ['verify', '-CAfile', root.certPath];
  if (intermediates.length > 0) args.push('-untrusted', untrusted);
  const res = spawnSync('openssl', [...args, leaf.certPath], { encoding: 'utf8' });
  return `${res.stdout}${res.stderr}`;
}

beforeAll(async () => {
  dir = await makeTempDir('trust-ca-constraints');
  root = makeCa(dir, 'root');
}, 60_000);
afterAll(async () => {
  if (dir) await removeTempDir(dir);
});

describe('issuing certificates of a signer chain obey basicConstraints, pathLenConstraint and keyCertSign', () => {
  it('reads cA, the path length and keyCertSign from openssl-made certificates', () => {
    const limited = root.intermediate(
      'limited',
      'basicConstraints=critical,CA:TRUE,pathlen:0\nkeyUsage=critical,keyCertSign\n',
    );
    expect(caConstraints(x509(limited.certPem).raw)).toEqual({ ca: true, pathLen: 0, keyCertSign: true });
    expect(caConstraints(x509(root.certPem).raw)).toEqual({ ca: true, keyCertSign: true });
    const leaf = root.issue('plain-leaf', { extensions: CODE_SIGNING });
    expect(caConstraints(x509(leaf.certPem).raw)).toEqual({ ca: false });
    expect(caConstraints(Buffer.from('nonsense'))).toBeUndefined();
  });

  it('refuses a chain longer than an issuer pathLenConstraint allows, and accepts one within it', () => {
    const zero = root.intermediate(
      'pathlen-zero',
      'basicConstraints=critical,CA:TRUE,pathlen:0\nkeyUsage=critical,keyCertSign,cRLSign\n',
    );
    const sub = zero.intermediate('under-zero');
    const signer = sub.issue('signer-too-deep', { extensions: CODE_SIGNING, key: 'ec:P-256' });
    const verdict = checkSigner(bundle(zero, sub), x509(signer.certPem), new Date());
    expect(verdict.problems).toEqual([
      'CN=pathlen-zero allows 0 intermediate CA(s) below it (pathLenConstraint), the chain has 1',
    ]);
    expect(opensslVerify(signer, [sub, zero])).toMatch(/path length constraint exceeded/);

    // Directly under the pathlen:0 CA, or under a pathlen:1 CA with one intermediate, the chain is fine.
    const direct = zero.issue('signer-direct', { extensions: CODE_SIGNING });
    expect(checkSigner(bundle(zero), x509(direct.certPem), new Date()).problems).toEqual([]);
    const one = root.intermediate(
      'pathlen-one',
      'basicConstraints=critical,CA:TRUE,pathlen:1\nkeyUsage=critical,keyCertSign,cRLSign\n',
    );
    const under = one.intermediate('under-one');
    const fine = under.issue('signer-fine', { extensions: CODE_SIGNING });
    expect(checkSigner(bundle(one, under), x509(fine.certPem), new Date()).problems).toEqual([]);
    expect(opensslVerify(fine, [under, one])).toMatch(/OK/);
  });

  it('refuses a CA certificate whose keyUsage lacks keyCertSign', () => {
    const noSign = root.intermediate(
      'no-keycertsign',
      'basicConstraints=critical,CA:TRUE\nkeyUsage=critical,digitalSignature,cRLSign\n',
    );
    const signer = noSign.issue('signer-under-no-keycertsign', { extensions: CODE_SIGNING });
    expect(checkSigner(bundle(noSign), x509(signer.certPem), new Date()).problems).toEqual([
      'CN=no-keycertsign lacks the keyCertSign key usage yet issued CN=signer-under-no-keycertsign',
    ]);
    expect(opensslVerify(signer, [noSign])).toMatch(/error/);
  });

  it('refuses a leaf (cA false) acting as a CA', () => {
    const leafCa = root.intermediate(
      'leaf-as-ca',
      'basicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=codeSigning\n',
    );
    const signer = leafCa.issue('signer-under-leaf', { extensions: CODE_SIGNING });
    const problems = checkSigner(bundle(leafCa), x509(signer.certPem), new Date()).problems;
    expect(problems).toContain(
      'CN=leaf-as-ca is not a CA (basicConstraints cA is not set) yet issued CN=signer-under-leaf',
    );
    expect(problems).toContain(
      'CN=leaf-as-ca lacks the keyCertSign key usage yet issued CN=signer-under-leaf',
    );
    expect(opensslVerify(signer, [leafCa])).toMatch(/invalid CA certificate/);
  });
});
