import {
  createLocalJWKSet,
  decodeProtectedHeader,
  errors,
  importSPKI,
  type JSONWebKeySet,
  type JWTPayload,
  jwtVerify,
} from 'jose';
import { HushError } from '../core/errors/hush-error.js';

/** Asymmetric algorithms a role's keys may sign with (HMAC and `none` are never accepted). */
export const JWT_ALGORITHMS = [
  'RS256',
  'RS384',
  'RS512',
  'PS256',
  'PS384',
  'PS512',
  'ES256',
  'ES384',
  'ES512',
  'EdDSA',
];

/** How a role's JWTs are checked. */
export interface JwtCheck {
  readonly jwks?: JSONWebKeySet;
  readonly publicKeys?: readonly string[];
  readonly boundIssuer: string;
  readonly boundAudiences: readonly string[];
  readonly clockSkewSeconds: number;
}

/** Validate a role's key material at configuration time (HUSH_E_INVALID_INPUT naming what is wrong). */
export async function checkKeyMaterial(check: Pick<JwtCheck, 'jwks' | 'publicKeys'>): Promise<void> {
  if (!check.jwks === !check.publicKeys) {
    throw new HushError(
      'HUSH_E_INVALID_INPUT',
      'give exactly one of "jwks" (a JSON Web Key Set) or "publicKeys" (PEM)',
    );
  }
  try {
    if (check.jwks) createLocalJWKSet(check.jwks);
  } catch {
    throw new HushError('HUSH_E_INVALID_INPUT', 'jwks is not a valid JSON Web Key Set ({"keys": [...]}) ');
  }
  for (const [i, pem] of (check.publicKeys ?? []).entries()) {
    const ok = await Promise.any(
      ['RS256', 'ES256', 'ES384', 'ES512', 'EdDSA'].map((alg) => importSPKI(pem, alg)),
    ).then(
      () => true,
      () => false,
    );
    if (!ok) {
      throw new HushError(
        'HUSH_E_INVALID_INPUT',
        `publicKeys[${i}] is not a PEM public key (-----BEGIN PUBLIC KEY-----)`,
      );
    }
  }
}

/** Turn a jose failure into a one-line reason (never the JWT or a claim value). */
function reasonOf(err: unknown): string {
  if (err instanceof errors.JWTExpired) return 'the JWT has expired (exp is in the past); get a fresh one';
  if (err instanceof errors.JWTClaimValidationFailed) {
    switch (err.claim) {
      case 'iss':
        return "the JWT's issuer does not match the role's bound issuer";
      case 'aud':
        return "the JWT's audience does not include any of the role's bound audiences";
      case 'nbf':
        return 'the JWT is not valid yet (nbf is in the future)';
      default:
        return `the JWT's "${err.claim}" claim is not valid (${err.reason})`;
    }
  }
  if (err instanceof errors.JWSSignatureVerificationFailed || err instanceof errors.JWKSNoMatchingKey) {
    return "the JWT's signature does not verify with the role's keys";
  }
  if (err instanceof errors.JOSEAlgNotAllowed)
    return `the JWT's algorithm is not allowed; use one of ${JWT_ALGORITHMS.join(', ')}`;
  return 'the JWT is malformed (expected a signed compact JWS: header.payload.signature)';
}

/**
 * Verify a JWT's signature (JWKS or PEM keys), issuer, audience, exp and nbf (with `clockSkewSeconds` leeway) at
 * `now`. Throws HUSH_E_UNAUTHENTICATED with the reason.
 */
export async function verifyJwt(jwt: string, check: JwtCheck, now: Date): Promise<JWTPayload> {
  const options = {
    issuer: check.boundIssuer,
    ...(check.boundAudiences.length > 0 ? { audience: [...check.boundAudiences] } : {}),
    clockTolerance: check.clockSkewSeconds,
    currentDate: now,
    algorithms: JWT_ALGORITHMS,
  };
  const fail = (err: unknown) =>
    new HushError('HUSH_E_UNAUTHENTICATED', `JWT login failed: ${reasonOf(err)}`);
  try {
    if (check.jwks) return (await jwtVerify(jwt, createLocalJWKSet(check.jwks), options)).payload;
    const alg = decodeProtectedHeader(jwt).alg ?? '';
    if (!JWT_ALGORITHMS.includes(alg)) throw new errors.JOSEAlgNotAllowed('alg');
    let last: unknown = new errors.JWSSignatureVerificationFailed();
    for (const pem of check.publicKeys ?? []) {
      let key: Awaited<ReturnType<typeof importSPKI>>;
      try {
        key = await importSPKI(pem, alg);
      } catch {
        continue; // a key of another type cannot have signed it
      }
      try {
        return (await jwtVerify(jwt, key, options)).payload;
      } catch (err) {
        last = err;
        if (!(err instanceof errors.JWSSignatureVerificationFailed)) break;
      }
    }
    throw last;
  } catch (err) {
    throw fail(err);
  }
}
