import type { CryptAuditRecord } from '../core/crypt/index.js';
import type { RotatedRoot, RotateRootOptions } from './api-types.js';
import { approvalsApi } from './approvals-api.js';
import { approleApi, jwtApi } from './auth-roles-api.js';
import { awsApi } from './aws-api.js';
import { certsApi } from './certs-api.js';
import type {
  ClientListOptions,
  ClientListResult,
  ClientMetadataOptions,
  ClientPutOptions,
  DocumentFormat,
  ExportResult,
  ImportKeyResult,
  ImportReport,
  InitRequest,
  InitResult,
  KeyringSummary,
  KeysStatus,
  MoveResult,
  ProtectorChange,
  PutResult,
  RevokeResult,
  RewrapResult,
  SecretInfo,
  SecretRead,
  SecretValue,
  ServerSealStatus,
  UnsealMaterial,
  UnsealRequest,
  VersionChangeResult,
  WrappingKeyInfo,
} from './client-types.js';
import { credsApi, leasesApi } from './creds-api.js';
import { createTransport, type Transport } from './http-transport.js';
import { accessApi, policiesApi, tokensApi } from './identity-api.js';
import { alertsApi, canariesApi, incidentApi, knownSecretsApi, runbookApi } from './incident-api.js';
import { addr, prefix } from './path-params.js';
import { pkiApi } from './pki-api.js';
import { type CacheOptions, createResponseCache } from './response-cache.js';
import { checkedRetry, type RetryOptions } from './retry-policy.js';
import { rotationApi } from './rotation-api.js';
import { type ClientTlsOptions, createTlsFetch } from './tls-fetch.js';
import { transitApi } from './transit-api.js';
import { trustApi } from './trust-api.js';

/** Options of {@link createHushClient}. */
export interface HushClientOptions {
  /** Server URL, e.g. `https://hush.internal:8200` (HUSH_ADDR). */
  readonly address: string;
  /** Token sent as X-Hush-Token (HUSH_TOKEN); not needed for status/init/unseal. */
  readonly token?: string;
  /** A fetch implementation (default: Node's global fetch, which keeps connections alive). */
  readonly fetch?: typeof fetch;
  /** Retries of idempotent requests (GET/PUT/DELETE) on 503 and network errors. */
  readonly retries?: Partial<RetryOptions>;
  /** Reuse GET replies for `ttlMs`; any write through this client clears the cache. Off by default. */
  readonly cache?: CacheOptions;
  /** Per-attempt timeout (default 30 s). */
  readonly timeoutMs?: number;
  /** Trust this CA (PEM) for an https:// address, e.g. a private CA or a self-signed server (CLI: HUSH_CACERT). */
  readonly tls?: ClientTlsOptions;
}

/** The transport a client with `options` sends through (also the CLI's adapter for endpoints without a method). */
function clientTransport(options: HushClientOptions): Transport {
  return createTransport({
    address: options.address,
    ...(options.token !== undefined ? { token: options.token } : {}),
    fetch: options.fetch ?? (options.tls ? createTlsFetch(options.tls) : globalThis.fetch),
    retry: checkedRetry(options.retries),
    ...(options.cache ? { cache: createResponseCache(options.cache) } : {}),
    timeoutMs: options.timeoutMs ?? 30_000,
  });
}

/**
 * A typed client for the Hush HTTP API v1. Errors come back as `HushError` with the server's code and message.
 *
 * @example
 * const hush = createHushClient({ address: 'http://127.0.0.1:8200', token: process.env.HUSH_TOKEN, cache: { ttlMs: 5000 } });
 * await hush.put('payments/prod/db-password', 's3cret');
 * const { value, version } = await hush.get('payments/prod/db-password');
 */
export function createHushClient(options: HushClientOptions) {
  const call = clientTransport(options);
  const versionsBody = (versions?: readonly number[]) => (versions ? { versions } : {});
  return {
    /** Read the served version (`current` once staged, else the latest), or `version`, or a `label`. */
    get: async (
      address: string,
      opts: { version?: number | undefined; label?: 'pending' | 'current' | 'previous' | undefined } = {},
    ) =>
      call<SecretRead>({
        method: 'GET',
        path: `/v1/secrets/${addr(address)}`,
        query: { version: opts.version, label: opts.label },
      }),
    /** Write a new version (`cas: 0` = create only). */
    put: async (address: string, value: SecretValue, opts: ClientPutOptions = {}) =>
      call<PutResult>({ method: 'PUT', path: `/v1/secrets/${addr(address)}`, body: { value, ...opts } }),
    /** Metadata and version list (no values). */
    versions: async (address: string) =>
      call<SecretInfo>({ method: 'GET', path: `/v1/metadata/${addr(address)}` }),
    /** Change description, tags or expiry without a new version. */
    updateMetadata: async (address: string, opts: ClientMetadataOptions) =>
      call<SecretInfo>({ method: 'PATCH', path: `/v1/metadata/${addr(address)}`, body: opts }),
    /** One page of names below `prefix` ('' = projects), filtered to what the token may read. */
    list: async (text: string, opts: ClientListOptions = {}) => {
      const p = prefix(text);
      return call<ClientListResult>({
        method: 'GET',
        path: p ? `/v1/list/${p}` : '/v1/list',
        query: { recursive: opts.recursive, cursor: opts.cursor, limit: opts.limit },
      });
    },
    /** Soft-delete versions (default the latest). */
    delete: async (address: string, opts: { versions?: readonly number[] } = {}) =>
      call<VersionChangeResult>({
        method: 'DELETE',
        path: `/v1/secrets/${addr(address)}`,
        query: { versions: opts.versions?.join(',') },
      }),
    /** Restore soft-deleted versions. */
    undelete: async (address: string, opts: { versions?: readonly number[] } = {}) =>
      call<VersionChangeResult>({
        method: 'POST',
        path: `/v1/secrets-undelete/${addr(address)}`,
        body: versionsBody(opts.versions),
      }),
    /** Crypto-shred versions for good. */
    destroy: async (address: string, opts: { versions?: readonly number[] } = {}) =>
      call<VersionChangeResult>({
        method: 'POST',
        path: `/v1/secrets-destroy/${addr(address)}`,
        body: versionsBody(opts.versions),
      }),
    /** Write a new version holding the content of `version`. */
    rollback: async (address: string, opts: { version: number; cas?: number }) =>
      call<PutResult>({ method: 'POST', path: `/v1/secrets-rollback/${addr(address)}`, body: opts }),
    /** Move a secret and everything below it. */
    move: async (from: string, to: string, opts: { overwrite?: boolean } = {}) => {
      prefix(from);
      prefix(to);
      return call<MoveResult>({ method: 'POST', path: '/v1/move', body: { from, to, ...opts } });
    },
    /** Import a .env/JSON/YAML document below `prefix`. */
    importSecrets: async (
      text: string,
      opts: { format: DocumentFormat; text: string; overwrite?: boolean },
    ) => call<ImportReport>({ method: 'POST', path: `/v1/import/${prefix(text)}`, body: opts }),
    /** Export latest values below `prefix` (the text is secret). */
    exportSecrets: async (text: string, opts: { format: DocumentFormat; recursive?: boolean }) =>
      call<ExportResult>({
        method: 'GET',
        path: `/v1/export/${prefix(text)}`,
        query: { format: opts.format, recursive: opts.recursive },
      }),
    /** Add a KEK version to `project/env`. */
    rotateKek: async (scope: string) =>
      call<KeyringSummary>({ method: 'POST', path: `/v1/keys/${prefix(scope)}/rotate`, body: {} }),
    /** Rewrap every data key of `project/env` to the current KEK. */
    rewrap: async (scope: string, opts: { prune?: boolean } = {}) =>
      call<RewrapResult>({ method: 'POST', path: `/v1/keys/${prefix(scope)}/rewrap`, body: opts }),
    /** Protector, KEK versions and rotation dates of every keyring (needs `read` on sys/keys). */
    keysStatus: async () => call<KeysStatus>({ method: 'GET', path: '/v1/keys/status' }),
    /** BYOK: the current import wrapping key (public half) of `project/env`. */
    importWrappingKey: async (scope: string) =>
      call<WrappingKeyInfo>({
        method: 'POST',
        path: `/v1/keys/${prefix(scope)}/import-wrapping-key`,
        body: {},
      }),
    /** BYOK: import key material wrapped with the import wrapping key; protects `project/env` with it. */
    importKey: async (scope: string, wrappedKey: Uint8Array, opts: { tokenId?: string } = {}) =>
      call<ImportKeyResult>({
        method: 'POST',
        path: `/v1/keys/${prefix(scope)}/import`,
        body: { wrappedKey: Buffer.from(wrappedKey).toString('base64'), ...opts },
      }),
    /** Crypto-shred the imported key of `project/env`. */
    revokeImported: async (scope: string) =>
      call<RevokeResult>({ method: 'POST', path: `/v1/keys/${prefix(scope)}/revoke-imported`, body: {} }),
    /** Re-seal the keyring of `project/env` under `root` or `hsm:<id>`. */
    setKeyringProtector: async (scope: string, protector: string) =>
      call<ProtectorChange>({
        method: 'POST',
        path: `/v1/keys/${prefix(scope)}/protector`,
        body: { protector },
      }),
    /**
     * New root key under new unseal material of the server's seal kind (new shares, a new RSA public key, a new HSM
     * key; nothing: the configured shape); returns the new one-time material, shown once.
     */
    rotateRoot: async (options: RotateRootOptions = {}) =>
      call<RotatedRoot>({ method: 'POST', path: '/v1/sys/rotate-root', body: options }),
    /** Seal state (no token needed). */
    status: async () => call<ServerSealStatus>({ method: 'GET', path: '/v1/sys/seal-status' }),
    /** Seal the server (needs `sudo`/admin on sys/seal). */
    seal: async () => call<ServerSealStatus>({ method: 'POST', path: '/v1/sys/seal' }),
    /** A new root token for a quorum of shamir shares or the rsa private key (lost root token recovery). */
    generateRoot: async (material: UnsealMaterial) =>
      call<{ rootToken: string }>({ method: 'POST', path: '/v1/sys/generate-root', body: material }),
    /**
     * Unseal with all shares / a private key (`{}` for a key-file seal), or one shamir share per call as `{key}`
     * (progress kept on the node; `{reset: true}` drops it).
     */
    unseal: async (material: UnsealRequest = {}) =>
      call<ServerSealStatus>({ method: 'POST', path: '/v1/sys/unseal', body: material }),
    /** HMAC `value` under the server's audit key, to search HMAC'd audit fields (needs admin on sys/audit). */
    auditHash: async (value: string) =>
      call<{ hmac: string }>({ method: 'POST', path: '/v1/sys/audit/hash', body: { value } }),
    /** Record a `hush crypt` recipient change in the audit trail (names only; needs update on sys/crypt). */
    cryptAudit: async (body: CryptAuditRecord) =>
      call<{ recorded: true }>({ method: 'POST', path: '/v1/crypt/audit', body }),
    /** Initialise the server; returns one-time material once. */
    init: async (request: InitRequest = {}) =>
      call<InitResult>({ method: 'POST', path: '/v1/sys/init', body: request }),
    /** Child tokens; look up, renew and revoke tokens. */
    tokens: tokensApi(call),
    /** Access policies: write, read, list, delete, explain. */
    policies: policiesApi(call),
    /** Access review: who can do what. */
    access: accessApi(call),
    /** AppRole roles and their secret ids (list, revoke, destroy by accessor). */
    approle: approleApi(call),
    /** JWT login roles. */
    jwt: jwtApi(call),
    /** Credential leases: list, renew, revoke. */
    leases: leasesApi(call),
    /** Database engines, role templates and short-lived credentials. */
    creds: credsApi(call),
    /** Rotation policies, rotate now, on-deploy, status. */
    rotation: rotationApi(call),
    /** The leak playbook: revoke an identity, rotate a scope, blast-radius report, lockdown. */
    incident: incidentApi(call),
    /** Security alerts the server raised. */
    alerts: alertsApi(call),
    /** Canaries: decoy secrets and tokens whose every touch alerts. */
    canaries: canariesApi(call),
    /** The incident runbook of this deployment (Markdown and the facts it was rendered from). */
    runbook: runbookApi(call),
    /** Salted-digest matching of candidate values against stored secrets (`hush scan --known`). */
    knownSecrets: knownSecretsApi(call),
    /** Transit: encrypt, decrypt, sign, verify, HMAC with server-held keys. */
    transit: transitApi(call),
    /** AWS access keys for the SDK/CLI endpoint `<address>/v1/aws`. */
    aws: awsApi(call),
    /** The certificate inventory: list, show, add, key reports, secret scans, endpoint probes. */
    certs: certsApi(call),
    /** Approval requests and votes (the two-person rule), deploy gates. */
    approvals: approvalsApi(call),
    /** Trust stores of signer certificates and CRLs (deploy-gate verification against certificates). */
    trust: trustApi(call),
    /** Hush's certificate authority: CA, roles, issue, sign, revoke, CRL. */
    pki: pkiApi(call),
  };
}

/** The client returned by {@link createHushClient}. */
export type HushClient = ReturnType<typeof createHushClient>;
