import type { JsonWebKey } from 'node:crypto';
import type { PreparedVersion } from './key-material.js';
import type { RsaScheme } from './signature.js';

/** A key version's public half as PEM (SPKI) and JWK. */
export interface ExportedPublicKey {
  readonly version: number;
  readonly pem: string;
  readonly jwk: JsonWebKey & { kid: string; alg: string; use: 'sig' };
}

/** The JWS algorithm name a verifier should use with this key version's signatures (sha2-256 defaults). */
export function jwsAlgorithm(v: PreparedVersion, rsaScheme: RsaScheme = 'pss'): string {
  switch (v.type) {
    case 'ed25519':
      return 'EdDSA';
    case 'ecdsa-p256':
      return 'ES256';
    case 'ecdsa-p384':
      return 'ES384';
    default:
      return rsaScheme === 'pss' ? 'PS256' : 'RS256';
  }
}

/** PEM and JWK of one asymmetric version; `kid` is `<key name>:v<version>`. */
export function exportPublicKey(name: string, version: number, v: PreparedVersion): ExportedPublicKey {
  if (!v.publicKey) throw new TypeError('exportPublicKey needs an asymmetric version');
  const pem = v.publicKey.export({ format: 'pem', type: 'spki' }).toString();
  const jwk = v.publicKey.export({ format: 'jwk' });
  return { version, pem, jwk: { ...jwk, kid: `${name}:v${version}`, alg: jwsAlgorithm(v), use: 'sig' } };
}
