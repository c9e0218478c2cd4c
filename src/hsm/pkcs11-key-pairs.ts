import { createPublicKey, type JsonWebKey } from 'node:crypto';
import type { Handle, Template } from 'pkcs11js';
import { hushError } from '../core/errors/index.js';
import type { HsmKeyKind } from '../ports/hsm-signer-port.js';
import type { TokenContext } from './pkcs11-token.js';

// pkcs11js 2 names no Edwards-curve constants; these are PKCS#11 3.0's values (SoftHSM2 2.6 implements them).
const CKM_EC_EDWARDS_KEY_PAIR_GEN = 0x1055;
const CKK_EC_EDWARDS = 0x40;

// CKA_EC_PARAMS: the DER OID of each curve (Ed25519 may also be the PrintableString "edwards25519").
const CURVES: Record<string, { readonly kind: HsmKeyKind; readonly crv: string }> = {
  '06082a8648ce3d030107': { kind: 'ecdsa-p256', crv: 'P-256' },
  '06052b81040022': { kind: 'ecdsa-p384', crv: 'P-384' },
  '06032b6570': { kind: 'ed25519', crv: 'Ed25519' },
  '130c656477617264733235353139': { kind: 'ed25519', crv: 'Ed25519' },
};
const PARAMS: Partial<Record<HsmKeyKind, string>> = {
  'ecdsa-p256': '06082a8648ce3d030107',
  'ecdsa-p384': '06052b81040022',
  ed25519: '06032b6570',
};

/**
 * Generate a persistent key pair of `kind` labelled `label`: the private half sensitive, non-extractable and private
 * (it can sign and nothing else, and its value can never be read out); the public half carries the same label.
 */
export function generateKeyPair(ctx: TokenContext, session: Handle, label: string, kind: HsmKeyKind): Handle {
  const { js, api } = ctx;
  const common = [
    { type: js.CKA_TOKEN, value: true },
    { type: js.CKA_LABEL, value: label },
    { type: js.CKA_ID, value: Buffer.from(label) },
  ];
  const params = PARAMS[kind];
  const publicTmpl: Template = [...common, { type: js.CKA_VERIFY, value: true }];
  let mechanism: number;
  if (params !== undefined) {
    mechanism = kind === 'ed25519' ? CKM_EC_EDWARDS_KEY_PAIR_GEN : js.CKM_EC_KEY_PAIR_GEN;
    publicTmpl.push({ type: js.CKA_EC_PARAMS, value: Buffer.from(params, 'hex') });
  } else {
    mechanism = js.CKM_RSA_PKCS_KEY_PAIR_GEN;
    publicTmpl.push(
      { type: js.CKA_MODULUS_BITS, value: Number(kind.slice(4)) },
      { type: js.CKA_PUBLIC_EXPONENT, value: Buffer.from([1, 0, 1]) },
    );
  }
  const privateTmpl: Template = [
    ...common,
    { type: js.CKA_PRIVATE, value: true },
    { type: js.CKA_SENSITIVE, value: true },
    { type: js.CKA_EXTRACTABLE, value: false },
    { type: js.CKA_SIGN, value: true },
  ];
  return api.C_GenerateKeyPair(session, { mechanism }, publicTmpl, privateTmpl).publicKey;
}

/** The one object of `cls` (CKO_PRIVATE_KEY / CKO_PUBLIC_KEY) labelled `label`, or undefined. */
export function findKeyObject(
  ctx: TokenContext,
  session: Handle,
  cls: number,
  label: string,
): Handle | undefined {
  const { js, api } = ctx;
  api.C_FindObjectsInit(session, [
    { type: js.CKA_CLASS, value: cls },
    { type: js.CKA_LABEL, value: label },
  ]);
  let handles: Handle[];
  try {
    handles = api.C_FindObjects(session, 2);
  } finally {
    api.C_FindObjectsFinal(session);
  }
  if (handles.length > 1) throw hushError('HSM_KEY_LABEL_AMBIGUOUS', { label });
  return handles[0];
}

/** The SubjectPublicKeyInfo DER of a public key object (EC, Edwards or RSA), and the kind of key it is. */
export function readPublicKey(
  ctx: TokenContext,
  session: Handle,
  handle: Handle,
  label: string,
): { spki: Buffer; kind: HsmKeyKind } {
  const { js, api } = ctx;
  const get = (...types: number[]): Buffer[] =>
    api
      .C_GetAttributeValue(
        session,
        handle,
        types.map((type) => ({ type })),
      )
      .map((a) => (a.value instanceof Buffer ? a.value : Buffer.alloc(0)));
  const [type = Buffer.alloc(0)] = get(js.CKA_KEY_TYPE);
  const keyType = type.length > 0 ? type.readUIntLE(0, Math.min(type.length, 6)) : undefined;
  let jwk: JsonWebKey;
  let kind: HsmKeyKind;
  if (keyType === js.CKK_RSA) {
    const [n = Buffer.alloc(0), e = Buffer.alloc(0)] = get(js.CKA_MODULUS, js.CKA_PUBLIC_EXPONENT);
    const modulus = stripZeros(n);
    jwk = { kty: 'RSA', n: b64url(modulus), e: b64url(stripZeros(e)) };
    const bits = modulus.length * 8;
    if (bits !== 2048 && bits !== 3072 && bits !== 4096) {
      throw hushError('HSM_KEY_KIND_UNSUPPORTED', { label, kind: `RSA-${bits}` });
    }
    kind = `rsa-${bits}`;
  } else if (keyType === js.CKK_EC || keyType === CKK_EC_EDWARDS) {
    const [params = Buffer.alloc(0), point = Buffer.alloc(0)] = get(js.CKA_EC_PARAMS, js.CKA_EC_POINT);
    const curve = CURVES[params.toString('hex')];
    if (!curve) throw hushError('HSM_KEY_KIND_UNSUPPORTED', { label, kind: 'an EC key on another curve' });
    const raw = unwrapOctetString(point);
    kind = curve.kind;
    if (kind === 'ed25519') jwk = { kty: 'OKP', crv: 'Ed25519', x: b64url(raw) };
    else {
      const half = (raw.length - 1) / 2;
      jwk = {
        kty: 'EC',
        crv: curve.crv,
        x: b64url(raw.subarray(1, 1 + half)),
        y: b64url(raw.subarray(1 + half)),
      };
    }
  } else {
    throw hushError('HSM_KEY_KIND_UNSUPPORTED', { label, kind: `key type ${keyType}` });
  }
  const spki = createPublicKey({ key: jwk, format: 'jwk' }).export({ type: 'spki', format: 'der' });
  return { spki, kind };
}

// CKA_EC_POINT is a DER OCTET STRING holding the point (PKCS#11 2.40); some tokens give the bare point.
function unwrapOctetString(value: Buffer): Buffer {
  if (value[0] === 0x04 && value[1] === value.length - 2) return value.subarray(2);
  if (value[0] === 0x04 && value[1] === 0x81 && value[2] === value.length - 3) return value.subarray(3);
  return value;
}

function stripZeros(b: Buffer): Buffer {
  let i = 0;
  while (i < b.length - 1 && b[i] === 0) i++;
  return b.subarray(i);
}

const b64url = (b: Buffer) => b.toString('base64url');
