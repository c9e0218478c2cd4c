import { hushError } from '../errors/index.js';

/**
 * DSSE (Dead Simple Signing Envelope, the in-toto attestation wrapper): the signature covers the pre-authentication
 * encoding of payload type and payload, so neither can be swapped without breaking it.
 * Spec: https://github.com/secure-systems-lab/dsse/blob/master/protocol.md
 */

/** One signature of an envelope; `keyid` is a hint only and is never trusted. */
export interface DsseSignature {
  readonly keyid?: string;
  readonly sig: string;
}

/** A DSSE envelope as JSON: payload and signatures in standard base64. */
export interface DsseEnvelope {
  readonly payloadType: string;
  readonly payload: string;
  readonly signatures: readonly DsseSignature[];
}

/**
 * PAE(type, body) = "DSSEv1" SP LEN(type) SP type SP LEN(body) SP body, lengths as ASCII decimal byte counts.
 *
 * @example
 * pae('application/vnd.in-toto+json', Buffer.from('{}')); // "DSSEv1 28 application/vnd.in-toto+json 2 {}"
 */
export function pae(payloadType: string, payload: Uint8Array): Buffer {
  const type = Buffer.from(payloadType, 'utf8');
  return Buffer.concat([
    Buffer.from(`DSSEv1 ${type.length} `, 'utf8'),
    type,
    Buffer.from(` ${payload.length} `, 'utf8'),
    payload,
  ]);
}

const B64 = /^[A-Za-z0-9+/]*={0,2}$/;
/** DSSE allows URL-safe base64 on input; normalise to standard before decoding strictly. */
const b64 = (text: string): Buffer | undefined => {
  const std = text.replace(/-/g, '+').replace(/_/g, '/');
  const padded = std + '='.repeat((4 - (std.length % 4)) % 4);
  return B64.test(padded) && padded.length % 4 === 0 ? Buffer.from(padded, 'base64') : undefined;
};

/** Parse envelope JSON; HUSH_E_INVALID_INPUT naming what is wrong (never echoing the payload). */
export function parseDsseEnvelope(
  text: string,
  source: string,
): {
  envelope: DsseEnvelope;
  payload: Buffer;
  signatures: { keyid?: string; sig: Buffer }[];
} {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    throw hushError('DSSE_ENVELOPE_INVALID', { source, problem: 'it is not JSON' });
  }
  const env = raw as Partial<DsseEnvelope>;
  if (
    typeof env !== 'object' ||
    env === null ||
    typeof env.payloadType !== 'string' ||
    env.payloadType === ''
  )
    throw hushError('DSSE_ENVELOPE_INVALID', { source, problem: 'payloadType is missing' });
  const payload = typeof env.payload === 'string' ? b64(env.payload) : undefined;
  if (!payload) throw hushError('DSSE_ENVELOPE_INVALID', { source, problem: 'payload is not base64' });
  if (!Array.isArray(env.signatures) || env.signatures.length === 0)
    throw hushError('DSSE_ENVELOPE_INVALID', { source, problem: 'it has no signatures' });
  const signatures = env.signatures.map((s: Partial<DsseSignature>, i) => {
    const sig = typeof s?.sig === 'string' ? b64(s.sig) : undefined;
    if (!sig || sig.length === 0)
      throw hushError('DSSE_ENVELOPE_INVALID', { source, problem: `signatures[${i}].sig is not base64` });
    return { ...(typeof s.keyid === 'string' ? { keyid: s.keyid } : {}), sig };
  });
  return { envelope: env as DsseEnvelope, payload, signatures };
}
