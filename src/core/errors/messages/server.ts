import type { MessageTable } from '../message-template.js';

/** Messages raised under src/server/ (ids are unique across every domain file). */
export const serverMessages = {
  KEYS_HSM_TOKEN_NEEDS_PIN: {
    code: 'HUSH_E_CONFIG',
    template:
      'keys.hsm or keys.hsmTokens "{id}" (token "{tokenLabel}") needs a PIN: set {pinEnv} or its pinFile',
  },
  SERVER_WRITES_NO_AUDIT_FILE: {
    code: 'HUSH_E_CONFIG',
    template:
      'this server writes no audit file (audit.file is not configured), so there is no trail to report from; search your stdout audit collector instead',
  },
  ONE_SHARE_PER_CALL_KEY: {
    code: 'HUSH_E_USAGE',
    template: 'one share per call (`key`) applies to the shamir seal; this server uses {kind}',
  },
  SEAL_NEEDS_NO_OPERATOR_MATERIAL: {
    code: 'HUSH_E_USAGE',
    template:
      'a {kind} seal needs no operator material, so nothing sent over HTTP can prove authority; on the server host run `hush operator generate-root --data-dir DIR` (it reads the seal itself)',
  },
  LOCKED_DOWN_UNLOCK_WITH_ADMIN_TOKEN: {
    code: 'HUSH_E_LOCKED_DOWN',
    template:
      'an operator sealed or locked down this store; an unseal does not lift that: run `hush incident unlock` with a token that has admin on sys/seal',
  },
  LOCKED_DOWN_UNLOCK_WITH_UNSEAL_MATERIAL: {
    code: 'HUSH_E_LOCKED_DOWN',
    template:
      'an operator sealed or locked down this store; an unseal does not lift that: run `hush incident unlock` with the unseal material',
  },
  SHARES_THRESHOLD_APPLY_SHAMIR_SEAL: {
    code: 'HUSH_E_INVALID_INPUT',
    template: 'shares/threshold apply to the shamir seal; this server uses {kind}',
  },
  SERVER_SPLITS_ROOT_KEY_INTO: {
    code: 'HUSH_E_INVALID_INPUT',
    template: 'this server splits the root key into {shares} shares with threshold {threshold}',
    hint: 'set seal.shares/seal.threshold in the config to change that',
  },
  CANNOT_READ_SEAL_PUBLIC_KEY: {
    code: 'HUSH_E_CONFIG',
    template: 'cannot read seal.publicKeyPath {publicKeyPath} ({code})',
  },
  UNSEAL_NONCE_UNKNOWN: {
    code: 'HUSH_E_INVALID_INPUT',
    template:
      'the nonce does not name the unseal under way on this node ({length} of {threshold} shares given)',
    hint: 'send its nonce, or reset',
  },
  NO_UNSEAL_UNDER_WAY_NODE: {
    code: 'HUSH_E_INVALID_INPUT',
    template: 'no unseal is under way on this node, so the nonce names nothing',
    hint: 'send the share without a nonce to start one',
  },
  AUDIT_FAILED_NOTHING_CHANGED: {
    code: 'HUSH_E_AUDIT_UNAVAILABLE',
    template: 'the request could not be audited before it ran, so nothing was changed',
    hint: 'check the audit sinks, then retry',
  },
  AUDIT_FAILED_RESULT_WITHHELD: {
    code: 'HUSH_E_AUDIT_UNAVAILABLE',
    template: 'the request could not be audited, so its result is withheld',
    hint: 'check the audit sinks, then retry',
  },
  SERVER_NO_TOKEN_AUTHENTICATOR_CONFIGURED: {
    code: 'HUSH_E_UNAUTHENTICATED',
    template: 'this server has no token authenticator configured',
  },
  AUDIT_TRAIL_COULD_NOT_RECORD: {
    code: 'HUSH_E_AUDIT_UNAVAILABLE',
    template: 'the audit trail could not record this request',
    hint: 'check audit sinks',
  },
  REQUEST_BODY_OVER_BYTE_LIMIT: {
    code: 'HUSH_E_TOO_LARGE',
    template: 'request body is over the {bodyBytes}-byte limit',
    hint: 'send less, or raise limits.bodyBytes',
  },
  REQUEST_BODY_NOT_JSON: {
    code: 'HUSH_E_UNSUPPORTED_MEDIA',
    template: 'request body must be JSON',
    hint: 'send it with Content-Type: application/json',
  },
  URL_PATH_NOT_VALID_PERCENT: {
    code: 'HUSH_E_USAGE',
    template:
      'the URL path is not valid percent-encoding; encode a literal % as %25 and use %XX with two hex digits',
  },
  URL_NAME_TOO_LONG: {
    code: 'HUSH_E_USAGE',
    template: 'a name in the URL path is over the 100-character limit',
    hint: 'use a shorter name',
  },
  REQUEST_BODY_EMPTY_BUT_CONTENT: {
    code: 'HUSH_E_USAGE',
    template: 'request body is empty but Content-Type is JSON',
    hint: 'send {} or drop the header',
  },
  MALFORMED_REQUEST_MESSAGE: { code: 'HUSH_E_USAGE', template: 'malformed request: {message}' },
  UNEXPECTED_INTERNAL_ERROR_SERVER_LOG: {
    code: 'HUSH_E_INTERNAL',
    template: 'unexpected internal error; the server log has details under request id {requestId}',
  },
  AUDIT_FAILED_REQUEST_REFUSED: {
    code: 'HUSH_E_AUDIT_UNAVAILABLE',
    template: 'the request could not be audited, so it was refused',
    hint: 'check the audit sinks, then retry',
  },
  NO_ENDPOINT_API_DESCRIBED_V1: {
    code: 'HUSH_E_NOT_FOUND',
    template: 'no endpoint {method} {path}; the API is described at /v1/openapi.json',
  },
  SERVER_NOT_ANSWER_HOST_REQUEST: {
    code: 'HUSH_E_HOST_NOT_ALLOWED',
    template:
      'this server does not answer for the Host in the request; reach it by an allowed name, or add the name to allowedHosts (HUSH_ALLOWED_HOSTS)',
  },
  REQUEST_BODY_NOT_UTF8_JSON: {
    code: 'HUSH_E_UNSUPPORTED_MEDIA',
    template: 'request body must be UTF-8 JSON',
    hint: 'send Content-Type: application/json (charset=utf-8 or none)',
  },
  REQUEST_BODY_NOT_VALID_UTF: {
    code: 'HUSH_E_USAGE',
    template: 'request body is not valid UTF-8',
    hint: 'send UTF-8 JSON',
  },
  TAKES_NO_REQUEST_BODY: {
    code: 'HUSH_E_USAGE',
    template: '{method} {path} takes no request body',
    hint: 'send none (or {}) — see /v1/openapi.json',
  },
  STORE_NOT_INITIALISED: {
    code: 'HUSH_E_NOT_INITIALIZED',
    template: 'the store is not initialised',
    hint: 'run `hush init` (POST /v1/sys/init on a server) first',
  },
  STORE_SEALED: {
    code: 'HUSH_E_SEALED',
    template: 'the store is sealed',
    hint: 'unseal it with `hush unseal` (POST /v1/sys/unseal on a server), then retry',
  },
  ENDPOINT_NEEDS_HUSH_TOKEN: {
    code: 'HUSH_E_UNAUTHENTICATED',
    template: 'this endpoint needs a Hush token',
    hint: 'send X-Hush-Token',
  },
  KNOWN_SECRETS_SESSIONS_OPEN_SERVER: {
    code: 'HUSH_E_RATE_LIMITED',
    template: '{maxKnownSessions} known-secrets sessions are open on this server',
    hint: 'retry in {seconds} s',
  },
  NO_SUCH_KNOWN_SECRETS_SESSION: {
    code: 'HUSH_E_NOT_FOUND',
    template: 'no such known-secrets session (expired after 60 s, or started by another token)',
    hint: 'start a new one',
  },
  GIVE_EITHER_TOKEN_ACCESSOR_NOT: {
    code: 'HUSH_E_USAGE',
    template: 'give either token or accessor, not both',
  },
  NO_LIVE_TOKEN_MATCHES_REVOKED: {
    code: 'HUSH_E_NOT_FOUND',
    template: 'no live token matches; it was revoked, expired, or never existed',
  },
  ADDRESS_CONTAINS_ENCODED_2F_5C: {
    code: 'HUSH_E_INVALID_ADDRESS',
    template: 'the address contains an encoded "/" or "\\" (%2F/%5C)',
    hint: 'write path separators as plain "/"',
  },
  ADDRESS_MALFORMED_ESCAPE_ENCODE: {
    code: 'HUSH_E_INVALID_ADDRESS',
    template: 'the address has a malformed %-escape; encode "%" as %25',
  },
  NO_VALID_TOKEN_PRESENTED: {
    code: 'HUSH_E_UNAUTHENTICATED',
    template: 'no valid token was presented',
    hint: 'pass X-Hush-Token',
  },
  VERSIONS_MUST_COMMA_SEPARATED_LIST: {
    code: 'HUSH_E_USAGE',
    template: 'versions must be a comma-separated list of positive integers (e.g. 1,2), found "{text}"',
  },
  SUBTREE_CAPABILITY_MISSING: {
    code: 'HUSH_E_FORBIDDEN',
    template:
      'this operation acts on everything below {prefix}, so it needs "{capability}" on {prefix}/** and no deny rule below it; {value}',
  },
  CREATE_ONLY_SECRET_EXISTS: {
    code: 'HUSH_E_FORBIDDEN',
    template:
      '{address} already exists and the token may only create secrets there; writing a new version needs "update"',
  },
  TOO_MANY_FAILED_UNSEAL_ATTEMPTS: {
    code: 'HUSH_E_RATE_LIMITED',
    template: 'too many failed unseal attempts from this address',
    hint: 'retry in {seconds} s',
  },
  CANNOT_READ_TLS_CERTIFICATE_KEY: {
    code: 'HUSH_E_CONFIG',
    template: 'cannot read TLS certificate/key ({code})',
    hint: 'check tls.cert and tls.key',
  },
  CANNOT_LISTEN_WHERE_CODE: {
    code: 'HUSH_E_CONFIG',
    template: 'cannot listen on {where} ({code})',
    hint: 'pick a free port or another address',
  },
  ROTATION_FAILED_WITH_CODE: {
    code: 'HUSH_E_ROTATION_FAILED',
    template: 'rotation of {path} failed ({code})',
  },
  NOTHING_VISIBLE_LIST_BELOW_PATH: {
    code: 'HUSH_E_NOT_FOUND',
    template: 'nothing visible to list below this path',
  },
  NOT_SUPPORTED_PER_SECRET_HUSH: {
    code: 'HUSH_E_INVALID_INPUT',
    template: '{asked}: not supported per secret by Hush (version limits are a store setting)',
    hint: 'see docs/compat.md',
  },
  BATCH_INPUT_MUST_LIST_OBJECTS: {
    code: 'HUSH_E_INVALID_INPUT',
    template: 'batch_input must be a list of objects',
  },
} as const satisfies MessageTable;
