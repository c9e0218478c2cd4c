import type { MessageTable } from '../message-template.js';

/** Messages raised under src/identity/ (ids are unique across every domain file). */
export const identityMessages = {
  ROLE_NO_SECRET_ID_ACCESSOR: {
    code: 'HUSH_E_NOT_FOUND',
    template: 'role "{name}" has no secret id with accessor {accessor}',
    hint: 'list them with hush approle secret-id list {name}',
  },
  SECRET_ID_ALREADY_GONE: { code: 'HUSH_E_NOT_FOUND', template: 'secret id {accessor} is already gone' },
  SECRET_ID_REVOKED_GET_NEW: {
    code: 'HUSH_E_UNAUTHENTICATED',
    template: 'the secret id was revoked; get a new one from whoever provisions this role',
  },
  SECRET_ID_EXPIRED: {
    code: 'HUSH_E_UNAUTHENTICATED',
    template: 'the secret id expired at {value}',
    hint: 'generate a new one',
  },
  NO_APP_ROLE_ROLE_NAMED: {
    code: 'HUSH_E_NOT_FOUND',
    template: 'no AppRole role named "{name}"',
    hint: 'create it with hush approle role write {name} --policy NAME (or POST /v1/auth/approle/role/{name})',
  },
  LOGINS_ROLE_NOT_ALLOWED_NOT: {
    code: 'HUSH_E_UNAUTHENTICATED',
    template: 'logins for role "{name}" are not allowed from {sourceIp} (not in its CIDR list)',
  },
  CIDR_INVALID: {
    code: 'HUSH_E_INVALID_INPUT',
    template: '{field}[{i}] "{c}" is not a CIDR block',
    hint: 'use e.g. "10.0.0.0/8", "192.168.1.7" or "2001:db8::/32"',
  },
  DURATION_INVALID: {
    code: 'HUSH_E_INVALID_INPUT',
    template: '{field} must be a number followed by s, m, h or d (e.g. "30m", "1h", "7d"), got "{text}"',
  },
  DURATION_NOT_POSITIVE: {
    code: 'HUSH_E_INVALID_INPUT',
    template: '{field} must be longer than 0, got "{text}"',
  },
  JWT_KEY_URL_TOO_LONG: {
    code: 'HUSH_E_INVALID_INPUT',
    template: '{field} is {length} characters; at most {maxKeyUrlLength} are allowed',
  },
  JWT_KEY_URL_NOT_ABSOLUTE: {
    code: 'HUSH_E_INVALID_INPUT',
    template: '{field} is not an absolute URL',
    hint: 'use e.g. https://issuer.example/.well-known/jwks.json',
  },
  JWT_KEY_URL_HAS_CREDENTIALS: {
    code: 'HUSH_E_INVALID_INPUT',
    template:
      '{field} must not carry credentials (user:password@); signing keys are public, give the plain URL',
  },
  JWT_KEY_URL_NOT_HTTPS: {
    code: 'HUSH_E_INVALID_INPUT',
    template:
      '{field} {protocol}//{host} is not allowed: use https://, or http:// only to a loopback address (127.0.0.1, ::1, localhost)',
  },
  JWKS_URI_MUST_USE_HTTPS: {
    code: 'HUSH_E_INVALID_INPUT',
    template: 'its jwks_uri must use https:// like the discovery URL, not {origin}',
  },
  OIDC_DISCOVERY_FETCH_FAILED: {
    code: 'HUSH_E_UPSTREAM',
    template: "could not fetch the JWT role's OIDC discovery document from {origin} ({reason})",
    hint: 'check oidcDiscoveryUrl and that the server can reach it',
  },
  OIDC_DISCOVERY_DOCUMENT_NO_STRING: {
    code: 'HUSH_E_UPSTREAM',
    template: 'the OIDC discovery document from {origin} has no string "issuer" and "jwks_uri"',
    hint: 'check oidcDiscoveryUrl points at the issuer',
  },
  OIDC_DISCOVERY_DOCUMENT_NOT_USABLE: {
    code: 'HUSH_E_UPSTREAM',
    template: 'the OIDC discovery document from {origin} is not usable: {why}',
  },
  OIDC_DISCOVERY_DOCUMENT_NAMES_ISSUER: {
    code: 'HUSH_E_UPSTREAM',
    template:
      "the OIDC discovery document from {origin} names issuer {issuer}, not the role's boundIssuer {boundIssuer}",
    hint: 'set boundIssuer to the issuer exactly, or fix oidcDiscoveryUrl',
  },
  JWT_KEYS_FETCH_FAILED: {
    code: 'HUSH_E_UPSTREAM',
    template:
      "could not fetch the JWT role's keys from {origin} ({reason}); {hint} and that the server can reach it",
  },
  NO_JWT_ROLE_NAMED: {
    code: 'HUSH_E_NOT_FOUND',
    template: 'no JWT role named "{name}"',
    hint: 'create it with hush jwt role write {name} FILE (or POST /v1/auth/jwt/role/{name})',
  },
  BOUND_AUDIENCES_MUST_LIST_LEAST: {
    code: 'HUSH_E_INVALID_INPUT',
    template: 'boundAudiences must list at least one audience, so JWTs minted for other services are refused',
  },
  JWT_LOGIN_FAILED_NO_JWT: {
    code: 'HUSH_E_UNAUTHENTICATED',
    template: 'JWT login failed: no JWT role named "{name}"',
  },
  JWT_USER_CLAIM_MISSING: {
    code: 'HUSH_E_UNAUTHENTICATED',
    template: 'JWT login failed: the JWT has no string "{userClaim}" claim (the role\'s userClaim)',
  },
  JWT_LOGIN_FAILED: { code: 'HUSH_E_UNAUTHENTICATED', template: 'JWT login failed: {reason}' },
  GIVE_EXACTLY_ONE_JWKS_JSON: {
    code: 'HUSH_E_INVALID_INPUT',
    template:
      'give exactly one of "jwks" (a JSON Web Key Set), "publicKeys" (PEM), "jwksUrl" (where the issuer publishes its JWKS) or "oidcDiscoveryUrl" (the issuer URL, for OIDC discovery)',
  },
  JWKS_NOT_VALID_JSON_WEB: {
    code: 'HUSH_E_INVALID_INPUT',
    template: 'jwks is not a valid JSON Web Key Set ({"keys": [...]}) ',
  },
  PUBLIC_KEYS_NOT_PEM_PUBLIC: {
    code: 'HUSH_E_INVALID_INPUT',
    template: 'publicKeys[{i}] is not a PEM public key (-----BEGIN PUBLIC KEY-----)',
  },
  TOO_MANY_FAILED_LOGINS: {
    code: 'HUSH_E_RATE_LIMITED',
    template: 'too many failed logins {what}',
    hint: 'retry in {seconds} s',
  },
  ROLE_NAME_NOT_VALID: {
    code: 'HUSH_E_INVALID_INPUT',
    template: '{kind} role name "{name}" is not valid',
    hint: 'use 1-64 characters of a-z, 0-9, ".", "_", "-", starting with a letter or digit',
  },
  ROOT_POLICY_BUILT_CANNOT_CHANGED: {
    code: 'HUSH_E_FORBIDDEN',
    template: 'the "root" policy is built in and cannot be changed or deleted',
    hint: 'write a policy under another name',
  },
  DOCUMENT_NAMES_POLICY_BUT_BEING: {
    code: 'HUSH_E_INVALID_INPUT',
    template: 'the document names policy "{name}" but it is being written as "{name2}"',
    hint: 'make them agree',
  },
  NO_POLICY_NAMED: {
    code: 'HUSH_E_NOT_FOUND',
    template: 'no policy named "{name}"',
    hint: 'run `hush policy list` to see them',
  },
  TOKEN_REVOKED_GET_NEW_ONE: {
    code: 'HUSH_E_UNAUTHENTICATED',
    template: 'the token was revoked; get a new one from whoever issued it',
  },
  TOKEN_NOT_VALID_REVOKED_EXPIRED: {
    code: 'HUSH_E_UNAUTHENTICATED',
    template: 'the token is not valid: it was revoked, has expired, or was never issued',
    hint: 'log in again',
  },
  TOKEN_NO_LONGER_VALID: {
    code: 'HUSH_E_UNAUTHENTICATED',
    template: 'token {id} is no longer valid',
    hint: 'log in again',
  },
  TOKEN_ACCESSOR_LACKS_CAPABILITY_PATH: {
    code: 'HUSH_E_FORBIDDEN',
    template: 'token {accessor} lacks {capability} on {path} ({why})',
  },
  NO_LIVE_TOKEN_ACCESSOR_REVOKED: {
    code: 'HUSH_E_NOT_FOUND',
    template: 'no live token has accessor {a}; it was revoked, expired, or never existed',
  },
  TOKEN_NOT_LIVE: { code: 'HUSH_E_NOT_FOUND', template: 'that token is not a live Hush token' },
  PARENT_TOKEN_REVOKED: {
    code: 'HUSH_E_UNAUTHENTICATED',
    template: 'the parent token was revoked',
    hint: 'log in again',
  },
  NO_TOKEN_PRESENTED: {
    code: 'HUSH_E_UNAUTHENTICATED',
    template: 'no token was presented',
    hint: 'send X-Hush-Token or Authorization: Bearer',
  },
  APPROLE_BAD_CREDENTIALS: {
    code: 'HUSH_E_UNAUTHENTICATED',
    template: 'invalid role id or secret id',
    hint: 'check both values, or generate a new secret id',
  },
} as const satisfies MessageTable;
