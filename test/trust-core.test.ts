import { X509Certificate } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pemBlocks } from '../src/core/certs/pem.js';
import {
  checkSigner,
  crlSignedBy,
  normalSerial,
  parseCrl,
  type TrustBundle,
} from '../src/core/trust/index.js';
import { makeCa, type TestCa } from './support/openssl-certs.js';
import { makeTempDir, removeTempDir } from './support/temp-dir.js';

const CODE_SIGNING = ['extendedKeyUsage=codeSigning'];
let dir = '';
let root: TestCa;
let inter: TestCa;

const x509 = (pem: string) => new X509Certificate(pem);
const crlOf = (pem: string) => parseCrl(pemBlocks(pem)[0]?.der ?? Buffer.alloc(0), 'test.crl');

beforeAll(async () => {
  dir = await makeTempDir('trust-core');
  root = makeCa(dir, 'root');
  inter = root.intermediate('inter');
}, 60_000);
afterAll(async () => {
  if (dir) await removeTempDir(dir);
});

describe('signer certificates against a trust bundle (certificates and CRLs by the openssl CLI)', () => {
  it('a code-signing leaf under an intermediate chains to the root; the EKU, validity and the chain are checked', () => {
    const good = inter.issue('signer-good', { extensions: CODE_SIGNING, key: 'ec:P-256' });
    const bundle: TrustBundle = {
      roots: [x509(root.certPem)],
      intermediates: [x509(inter.certPem)],
      crls: [],
    };
    const verdict = checkSigner(bundle, x509(good.certPem), new Date());
    expect(verdict.problems).toEqual([]);
    expect(verdict.chain.map((c) => c.subject)).toEqual(['CN=signer-good', 'CN=inter', 'CN=root']);

    const tls = inter.issue('signer-tls', { extensions: ['extendedKeyUsage=serverAuth'] });
    expect(checkSigner(bundle, x509(tls.certPem), new Date()).problems).toEqual([
      'it lacks the code-signing extended key usage',
    ]);
    const expired = inter.issue('signer-old', {
      extensions: CODE_SIGNING,
      start: '20200101000000Z',
      end: '20210101000000Z',
    });
    expect(checkSigner(bundle, x509(expired.certPem), new Date()).problems.join('; ')).toContain(
      'expired at 2021-01-01',
    );
    // Without the intermediate, or under another root, there is no chain.
    const noInter = checkSigner({ ...bundle, intermediates: [] }, x509(good.certPem), new Date());
    expect(noInter.problems.join('; ')).toContain('does not reach a root');
    const other = makeCa(`${dir}/other`, 'other-root');
    const foreign = other.issue('foreign-signer', { extensions: CODE_SIGNING });
    expect(checkSigner(bundle, x509(foreign.certPem), new Date()).problems.join('; ')).toContain(
      'does not reach a root',
    );
  });

  it('a CRL signed by the issuer revokes the leaf; a CRL by anyone else counts for nothing', () => {
    const victim = inter.issue('signer-revoked', { extensions: CODE_SIGNING });
    const kept = inter.issue('signer-kept', { extensions: CODE_SIGNING });
    inter.revoke(victim);
    const crl = crlOf(inter.crl());
    expect(crl.revoked).toContain(normalSerial(x509(victim.certPem).serialNumber));
    expect(crlSignedBy(crl, x509(inter.certPem))).toBe(true);
    expect(crlSignedBy(crl, x509(root.certPem))).toBe(false);
    expect(crl.nextUpdate && Date.parse(crl.nextUpdate) > Date.now()).toBe(true);

    const bundle: TrustBundle = {
      roots: [x509(root.certPem)],
      intermediates: [x509(inter.certPem)],
      crls: [crl],
    };
    const verdict = checkSigner(bundle, x509(victim.certPem), new Date());
    expect(verdict.revoked).toBe(true);
    expect(verdict.problems.join('; ')).toContain('is revoked');
    expect(checkSigner(bundle, x509(kept.certPem), new Date()).problems).toEqual([]);
    // A CRL past its nextUpdate: revocation is unknown, so it is a problem.
    const later = new Date(Date.parse(crl.nextUpdate ?? '') + 1000);
    expect(checkSigner(bundle, x509(kept.certPem), later).problems.join('; ')).toContain('stale');
    // A tampered CRL does not verify.
    const tampered = Buffer.from(crl.der);
    tampered[tampered.length - 5] = (tampered[tampered.length - 5] ?? 0) ^ 1;
    expect(crlSignedBy(parseCrl(tampered, 'tampered'), x509(inter.certPem))).toBe(false);
  });

  it('refuses bytes that are not a CRL with one coded line', () => {
    expect(() => parseCrl(Buffer.from('not a crl'), 'x.crl')).toThrow(/x.crl is not a usable CRL/);
    expect(() => parseCrl(pemBlocks(root.certPem)[0]?.der ?? Buffer.alloc(0), 'cert.pem')).toThrow(
      /not a usable CRL/,
    );
  });
});
