import { type KeyObject, X509Certificate } from 'node:crypto';
import { CsrError, readCsr } from '../core/certs/csr-read.js';
import { pemBlocks, toPem } from '../core/certs/pem.js';
import {
  checkKeyType,
  checkNames,
  checkTtl,
  keyTypeOf,
  MIN_TTL_SECONDS,
  type PkiRole,
} from '../core/certs/pki-role.js';
import { buildCertificate } from '../core/certs/x509-build.js';
import { isHushError } from '../core/errors/hush-error.js';
import { hushError } from '../core/errors/index.js';
import type { SealedView } from '../store/sealed-view/index.js';
import { newKeyPair, newSerial, type PkiCa, spkiOf } from './pki-ca.js';
import { pkiKeys } from './pki-records.js';
import type { PkiRoles } from './pki-roles.js';

/** What to issue: names and lifetime (the role bounds both), and for `issue` the key type. */
export interface IssueInput {
  readonly commonName?: string;
  readonly altNames?: readonly string[];
  readonly ttlSeconds?: number;
  readonly keyType?: string;
}

/** An issued certificate: PEM certificate, chain (intermediate then root), and for `issue` the new private key. */
export interface IssuedCert {
  readonly serial: string;
  readonly certificate: string;
  readonly chain: readonly string[];
  readonly privateKey?: string;
  readonly notAfter: string;
  readonly fingerprintSha256: string;
}

/** What Hush remembers of each certificate it issued: enough to revoke it and to drop it from the CRL once expired. */
export interface IssuedRecord {
  readonly serial: string;
  readonly role: string;
  readonly commonName?: string;
  readonly notAfter: string;
  readonly fingerprintSha256: string;
  readonly issuedAt: string;
}

/** RFC 5280's upper bound on a common name. */
const MAX_CN_LENGTH = 64;

/** Colon-separated upper-case hex, as openssl prints serials. */
export const serialText = (bytes: Uint8Array) =>
  Buffer.from(bytes).toString('hex').toUpperCase().match(/../g)?.join(':') ?? '';

/** Issuing and CSR signing under a role's bounds; issued certificates are remembered and handed to the inventory. */
export function createPkiIssuer(deps: {
  readonly records: SealedView;
  readonly ca: PkiCa;
  readonly roles: PkiRoles;
  readonly now: () => Date;
  /** Most issued certificates kept on record (the server's `pki.maxIssued`). */
  readonly maxIssued: number;
  /** Called with each issued certificate (the server adds it to the certificate inventory). */
  readonly onIssued?: (cert: IssuedCert, role: string) => Promise<void>;
}) {
  const { records, ca, roles, now } = deps;

  /** Refuse before any signing when the records of issued certificates are at `maxIssued`. */
  async function checkRoom(): Promise<void> {
    const count = (await records.keys(pkiKeys.ISSUED)).length;
    if (count >= deps.maxIssued) throw hushError('PKI_ISSUED_LIMIT', { count, max: deps.maxIssued });
  }

  async function make(role: PkiRole, input: IssueInput, subjectKey: KeyObject): Promise<IssuedCert> {
    const names = checkNames(role, input.commonName, input.altNames ?? []);
    const ttl = checkTtl(role, input.ttlSeconds);
    const signer = await ca.signer();
    const at = now();
    // Never past the intermediate: a leaf outliving its issuer fails validation at the issuer's expiry anyway.
    const caNotAfter = Date.parse(signer.cert.validTo);
    // An expired (or about to expire) intermediate would sign a certificate already dead on arrival.
    if (caNotAfter - at.getTime() < MIN_TTL_SECONDS * 1000)
      throw hushError('PKI_CA_EXPIRED', { notAfter: new Date(caNotAfter).toISOString() });
    const notAfter = new Date(Math.min(at.getTime() + ttl * 1000, caNotAfter));
    const serial = newSerial();
    const cn = input.commonName?.trim().toLowerCase() ?? names.dns[0] ?? names.ip[0] ?? '';
    const der = buildCertificate(
      {
        serial,
        issuer: signer.name,
        // A CN holds at most 64 characters (RFC 5280 ub-common-name); a longer name lives in the SANs alone.
        subject: cn && cn.length <= MAX_CN_LENGTH ? [{ type: 'CN', value: cn }] : [],
        // A minute back, so a relying party whose clock is slightly behind accepts a certificate at once.
        notBefore: new Date(at.getTime() - 60_000),
        notAfter,
        spki: spkiOf(subjectKey),
        issuerSpki: signer.spki,
        altNames: names,
        usages: role.usages,
        crlUrls: signer.crlUrls,
      },
      signer.key,
    );
    const x = new X509Certificate(der);
    const fingerprintSha256 = x.fingerprint256.replace(/:/g, '').toLowerCase();
    const issued: IssuedCert = {
      serial: serialText(serial),
      certificate: toPem('CERTIFICATE', der),
      chain: signer.chainPem,
      notAfter: notAfter.toISOString(),
      fingerprintSha256,
    };
    const record: IssuedRecord = {
      serial: issued.serial,
      role: role.name,
      ...(cn ? { commonName: cn } : {}),
      notAfter: issued.notAfter,
      fingerprintSha256,
      issuedAt: at.toISOString(),
    };
    await records.batch([
      { op: 'put', key: pkiKeys.issued(serial.toString('hex')), value: record, expectedRevision: 0 },
    ]);
    await deps.onIssued?.(issued, role.name);
    return issued;
  }

  return {
    /**
     * Forget issued certificates expired over a day ago (revocation of them means nothing any more; the CRL drops
     * them too). Returns how many; the server runs it as a leader-only job.
     */
    async tidy(): Promise<number> {
      const cutoff = now().getTime() - 86_400_000;
      let removed = 0;
      for (const key of await records.keys(pkiKeys.ISSUED)) {
        const row = await records.get<IssuedRecord>(key);
        if (!row || Date.parse(row.value.notAfter) > cutoff) continue;
        await records.batch([{ op: 'delete', key, expectedRevision: row.revision }]).catch((err: unknown) => {
          if (!isHushError(err, 'HUSH_E_CAS_CONFLICT')) throw err; // another node tidied it first
        });
        removed++;
      }
      return removed;
    },
    /** A new key pair and its certificate; the private key is returned once and not kept. */
    async issue(roleName: string, input: IssueInput): Promise<IssuedCert> {
      const role = await roles.get(roleName);
      const type = checkKeyType(role, input.keyType ?? (role.keyTypes[0] as string));
      // Bounds first, so a refused request costs no key generation.
      checkNames(role, input.commonName, input.altNames ?? []);
      checkTtl(role, input.ttlSeconds);
      await checkRoom();
      const pair = await newKeyPair(type);
      const cert = await make(role, input, pair.publicKey);
      return { ...cert, privateKey: pair.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString() };
    },
    /** Sign a PKCS#10 request (PEM or DER): the names come from the request unless the caller gives them. */
    async sign(roleName: string, csr: string | Uint8Array, input: IssueInput = {}): Promise<IssuedCert> {
      const role = await roles.get(roleName);
      const der =
        typeof csr === 'string'
          ? pemBlocks(csr).find(
              (b) => b.label === 'CERTIFICATE REQUEST' || b.label === 'NEW CERTIFICATE REQUEST',
            )?.der
          : csr;
      if (!der) throw hushError('PKI_CSR_INVALID', { reason: 'no CERTIFICATE REQUEST block' });
      let req: ReturnType<typeof readCsr>;
      try {
        req = readCsr(der);
      } catch (err) {
        if (err instanceof CsrError) throw hushError('PKI_CSR_INVALID', { reason: err.message });
        throw err;
      }
      const type = keyTypeOf(req.publicKey);
      checkKeyType(
        role,
        type ?? `${req.publicKey.asymmetricKeyType ?? 'unknown'} (unsupported size or curve)`,
      );
      const given = input.commonName !== undefined || (input.altNames?.length ?? 0) > 0;
      const names = given
        ? input
        : {
            ...input,
            ...(req.commonName ? { commonName: req.commonName } : {}),
            altNames: [...req.dns, ...req.ip],
          };
      await checkRoom();
      return make(role, names, req.publicKey);
    },
  };
}

export type PkiIssuer = ReturnType<typeof createPkiIssuer>;
