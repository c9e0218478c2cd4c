import { buildCrl, type RevokedEntry } from '../core/certs/crl-build.js';
import { toPem } from '../core/certs/pem.js';
import { hushError } from '../core/errors/index.js';
import { retryCas, type SealedView } from '../store/sealed-view/index.js';
import type { PkiCa } from './pki-ca.js';
import type { IssuedRecord } from './pki-issue.js';
import { pkiKeys } from './pki-records.js';

/** A revoked serial, kept on the CRL until the certificate would have expired anyway. */
interface RevokedRow {
  readonly serialHex: string;
  readonly revokedAt: string;
  readonly notAfter: string;
}

/** The CRL as last signed: kept so every fetch does not sign again, and numbered so a newer one is told apart. */
interface CrlRow {
  readonly number: number;
  readonly der: string;
  readonly thisUpdate: string;
  readonly nextUpdate: string;
}

/** How long a CRL is valid; it is signed again after half of it, or at once after a revocation. */
export const CRL_LIFETIME_MS = 24 * 3_600_000;

/** Revocation and the CRL of the intermediate (which issues every leaf). */
export function createPkiRevocation(deps: {
  readonly records: SealedView;
  readonly ca: PkiCa;
  readonly now: () => Date;
}) {
  const { records, ca, now } = deps;

  async function sign(revoked: readonly RevokedRow[]): Promise<CrlRow> {
    return retryCas(async () => {
      const prev = await records.get<CrlRow>(pkiKeys.crl);
      const signer = await ca.signer();
      const at = now();
      const entries: RevokedEntry[] = revoked.map((r) => ({
        serial: Buffer.from(r.serialHex, 'hex'),
        revokedAt: new Date(r.revokedAt),
      }));
      const number = (prev?.value.number ?? 0) + 1;
      const next = new Date(at.getTime() + CRL_LIFETIME_MS);
      const der = buildCrl(
        {
          issuer: signer.name,
          issuerSpki: signer.spki,
          number,
          thisUpdate: at,
          nextUpdate: next,
          revoked: entries,
        },
        signer.key,
      );
      const row: CrlRow = {
        number,
        der: Buffer.from(der).toString('base64'),
        thisUpdate: at.toISOString(),
        nextUpdate: next.toISOString(),
      };
      await records.batch([
        { op: 'put', key: pkiKeys.crl, value: row, expectedRevision: prev?.revision ?? 0 },
      ]);
      return row;
    });
  }

  async function revokedRows(): Promise<readonly RevokedRow[]> {
    return (await records.get<readonly RevokedRow[]>(pkiKeys.revoked))?.value ?? [];
  }

  return {
    /** Revoke an issued certificate by serial (hex, colons allowed); the CRL is signed again at once. */
    async revoke(serial: string): Promise<{ serial: string; revokedAt: string }> {
      const hex = serial.replace(/:/g, '').toLowerCase();
      if (!/^[0-9a-f]{2,40}$/.test(hex))
        throw hushError('PKI_SERIAL_INVALID', { serial: serial.slice(0, 64) });
      const issued = await records.get<IssuedRecord>(pkiKeys.issued(hex.padStart(32, '0')));
      if (!issued) throw hushError('PKI_SERIAL_NOT_FOUND', { serial: serial.slice(0, 64) });
      const at = now();
      const key = hex.padStart(32, '0');
      const rows = await retryCas(async () => {
        const prev = await records.get<readonly RevokedRow[]>(pkiKeys.revoked);
        const old = prev?.value ?? [];
        const same = old.find((r) => r.serialHex === key);
        // Expired certificates leave the list: nobody accepts them anyway, and the CRL stays small.
        const kept = old.filter((r) => r !== same && Date.parse(r.notAfter) > at.getTime());
        const row = same ?? { serialHex: key, revokedAt: at.toISOString(), notAfter: issued.value.notAfter };
        const next = [...kept, row];
        await records.batch([
          { op: 'put', key: pkiKeys.revoked, value: next, expectedRevision: prev?.revision ?? 0 },
        ]);
        return next;
      });
      await sign(rows);
      return {
        serial: issued.value.serial,
        revokedAt: rows.find((r) => r.serialHex === key)?.revokedAt ?? '',
      };
    },
    /** The current CRL (DER), signed again when past half its lifetime. */
    async crl(): Promise<{ der: Buffer; pem: string; number: number; nextUpdate: string }> {
      const cached = (await records.get<CrlRow>(pkiKeys.crl))?.value;
      const t = now().getTime();
      const fresh =
        cached &&
        t < (Date.parse(cached.thisUpdate) + Date.parse(cached.nextUpdate)) / 2 &&
        t >= Date.parse(cached.thisUpdate) - 60_000;
      const row = fresh
        ? cached
        : await sign((await revokedRows()).filter((r) => Date.parse(r.notAfter) > t));
      const der = Buffer.from(row.der, 'base64');
      return { der, pem: toPem('X509 CRL', der), number: row.number, nextUpdate: row.nextUpdate };
    },
  };
}

export type PkiRevocation = ReturnType<typeof createPkiRevocation>;
