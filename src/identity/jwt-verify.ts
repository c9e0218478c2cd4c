import {
  createLocalJWKSet,
  decodeProtectedHeader,
  errors,
  importSPKI,
  type JSONWebKeySet,
  type JWTPayload,
  type JWTVerifyGetKey,
  jwtVerify,
} from 'jose';
import { HushError } from '../core/errors/hush-error.js';
import { hushError } from '../core/errors/index.js';
import { parseKeyUrl } from './jwt-key-url.js';
import type { RemoteKeys } from './jwt-remote-keys.js';

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

/** How a role's JWTs are checked. Exactly one key source is set. */
export interface JwtCheck {
  readonly jwks?: JSONWebKeySet;
  readonly publicKeys?: readonly string[];
  /** Where the issuer publishes its JWKS (fetched, cached, refetched on an unknown kid). */
  readonly jwksUrl?: string;
  /** The issuer URL; `<url>/.well-known/openid-configuration` names the JWKS (`jwks_uri`) and must name `boundIssuer`. */
  readonly oidcDiscoveryUrl?: string;
  readonly boundIssuer: string;
  readonly boundAudiences: readonly string[];
  readonly clockSkewSeconds: number;
}

/** The ways a role can give its keys, in the order the "exactly one of" message names them. */
const KEY_SOURCES = ['jwks', 'publicKeys', 'jwksUrl', 'oidcDiscoveryUrl'] as const;

/** Which key source a role uses. */
export type KeySource = (typeof KEY_SOURCES)[number];

/** The key source set on `check` (checkKeyMaterial has made sure there is exactly one). */
export function keySourceOf(check: Pick<JwtCheck, KeySource>): KeySource {
  return KEY_SOURCES.find((k) => check[k] !== undefined) ?? 'publicKeys';
}

/**
 * Validate a role's key material at configuration time (HUSH_E_INVALID_INPUT naming what is wrong). URLs are checked
 * for shape only (https, or http to loopback); they are fetched at the first login, so a role can be written before
 * its issuer is reachable.
 */
export async function checkKeyMaterial(check: Pick<JwtCheck, KeySource>): Promise<void> {
  if (KEY_SOURCES.filter((k) => check[k] !== undefined).length !== 1) {
    throw hushError('GIVE_EXACTLY_ONE_JWKS_JSON');
  }
  if (check.jwksUrl !== undefined) parseKeyUrl(check.jwksUrl, 'jwksUrl');
  if (check.oidcDiscoveryUrl !== undefined) parseKeyUrl(check.oidcDiscoveryUrl, 'oidcDiscoveryUrl');
  try {
    if (check.jwks) createLocalJWKSet(check.jwks);
  } catch {
    throw hushError('JWKS_NOT_VALID_JSON_WEB');
  }
  for (const [i, pem] of (check.publicKeys ?? []).entries()) {
    const ok = await Promise.any(
      ['RS256', 'ES256', 'ES384', 'ES512', 'EdDSA'].map((alg) => importSPKI(pem, alg)),
    ).then(
      () => true,
      () => false,
    );
    if (!ok) {
      throw hushError('PUBLIC_KEYS_NOT_PEM_PUBLIC', { i });
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

/** The key resolver of a JWKS role (inline or fetched); undefined for PEM keys. */
function resolverOf(check: JwtCheck, remote: Pick<RemoteKeys, 'resolver'>): JWTVerifyGetKey | undefined {
  if (check.jwks) return createLocalJWKSet(check.jwks);
  if (check.jwksUrl !== undefined) return remote.resolver({ jwksUrl: check.jwksUrl });
  if (check.oidcDiscoveryUrl !== undefined) {
    return remote.resolver({ oidcDiscoveryUrl: check.oidcDiscoveryUrl, boundIssuer: check.boundIssuer });
  }
  return undefined;
}

/**
 * Verify a JWT's signature (JWKS, PEM or fetched keys), issuer, audience, exp and nbf (with `clockSkewSeconds`
 * leeway) at `now`. Throws HUSH_E_UNAUTHENTICATED with the reason, or HUSH_E_UPSTREAM when fetched keys could not be
 * had (the caller's JWT may be fine; the issuer's key endpoint is not).
 */
export async function verifyJwt(
  jwt: string,
  check: JwtCheck,
  now: Date,
  remote: Pick<RemoteKeys, 'resolver'>,
): Promise<JWTPayload> {
  const options = {
    issuer: check.boundIssuer,
    ...(check.boundAudiences.length > 0 ? { audience: [...check.boundAudiences] } : {}),
    clockTolerance: check.clockSkewSeconds,
    currentDate: now,
    algorithms: JWT_ALGORITHMS,
  };
  const fail = (err: unknown) => hushError('JWT_LOGIN_FAILED', { reason: reasonOf(err) });
  try {
    const resolver = resolverOf(check, remote);
    if (resolver) return (await jwtVerify(jwt, resolver, options)).payload;
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
    if (err instanceof HushError) throw err;
    throw fail(err);
  }
}
