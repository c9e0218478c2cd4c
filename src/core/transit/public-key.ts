import type { JsonWebKey } from 'node:crypto';
import type { PreparedVersion } from './key-material.js';
import type { RsaScheme, TransitHash } from './signature.js';

/** A key version's public half as PEM (SPKI) and JWK. */
export interface ExportedPublicKey {
  readonly version: number;
  readonly pem: string;
  readonly jwk: JsonWebKey & { kid: string; alg: string; use: 'sig' };
}

const RSA_JWS_SUFFIX: Record<TransitHash, string> = {
  'sha2-256': '256',
  'sha2-384': '384',
  'sha2-512': '512',
};

/**
 * The JWS algorithm name a verifier should use with this key version's signatures: RSA by the key's scheme and
 * default hash (sha2-256, what a sign request naming no hash uses), so PS256 or RS256.
 */
export function jwsAlgorithm(
  v: PreparedVersion,
  rsaScheme: RsaScheme = 'pss',
  hash: TransitHash = 'sha2-256',
): string {
  switch (v.type) {
    case 'ed25519':
      return 'EdDSA';
    case 'ecdsa-p256':
      return 'ES256';
    case 'ecdsa-p384':
      return 'ES384';
    default:
      return `${rsaScheme === 'pss' ? 'PS' : 'RS'}${RSA_JWS_SUFFIX[hash]}`;
  }
}

/** PEM and JWK of one asymmetric version; `kid` is `<key name>:v<version>`, `alg` by the key's RSA scheme. */
export function exportPublicKey(
  name: string,
  version: number,
  v: PreparedVersion,
  rsaScheme: RsaScheme = 'pss',
): ExportedPublicKey {
  if (!v.publicKey) throw new TypeError('exportPublicKey needs an asymmetric version');
  const pem = v.publicKey.export({ format: 'pem', type: 'spki' }).toString();
  const jwk = v.publicKey.export({ format: 'jwk' });
  return {
    version,
    pem,
    jwk: { ...jwk, kid: `${name}:v${version}`, alg: jwsAlgorithm(v, rsaScheme), use: 'sig' },
  };
}
