import { looksLikePkcs12 } from '../core/certs/der.js';
import { isHushError } from '../core/errors/hush-error.js';
import { pkcs12Certificates } from './sources/pkcs12-openssl.js';

/** Fields of a secret object whose string value is taken as the bundle's password. */
const PASSWORD_FIELDS = ['password', 'passphrase', 'pass', 'p12Password', 'pfxPassword'];
const BASE64 = /^[A-Za-z0-9+/\r\n]+={0,2}\s*$/;

/** The base64 strings of a secret value (a string, or an object's string fields) that decode to a PKCS#12 bundle. */
function bundlesIn(value: unknown): { bundle: Buffer; password: string }[] {
  const fields: [string, unknown][] =
    typeof value === 'string'
      ? [['', value]]
      : value && typeof value === 'object'
        ? Object.entries(value)
        : [];
  const pwField = fields.find(([k, v]) => PASSWORD_FIELDS.includes(k) && typeof v === 'string');
  const password = (pwField?.[1] as string | undefined) ?? '';
  const out: { bundle: Buffer; password: string }[] = [];
  for (const [, v] of fields) {
    if (typeof v !== 'string' || v.length < 64 || !BASE64.test(v)) continue;
    const bytes = Buffer.from(v, 'base64');
    if (looksLikePkcs12(bytes)) out.push({ bundle: bytes, password });
  }
  return out;
}

/**
 * The certificates of PKCS#12 bundles held in a secret value (base64, the password in a `password` field or none),
 * as PEM; a bundle that cannot be read is a per-secret error, never the end of the scan. Keys never come out.
 */
export async function pkcs12FromSecret(
  value: unknown,
  label: string,
): Promise<{ pem: string; errors: { code: string; message: string }[] }> {
  let pem = '';
  const errors: { code: string; message: string }[] = [];
  for (const { bundle, password } of bundlesIn(value)) {
    try {
      pem += await pkcs12Certificates(bundle, password, label);
    } catch (err) {
      if (!isHushError(err)) throw err;
      errors.push({ code: err.code, message: err.message });
    }
  }
  return { pem, errors };
}
