/**
 * The auth port: what the HTTP server asks of whoever authenticates and authorises requests. It lives below both
 * the server (which calls it) and identity (which implements it), so identity never imports the server.
 */

/**
 * The authenticated caller attached to a request by the auth guard, as the authenticator built it once: the audit
 * trail and secret metadata read it as is.
 */
export interface Caller {
  /** Who asked: a stable, non-secret id (`root`, `user:amy`, `approle:ci`) — safe for logs and audit. */
  readonly id: string;
  /** The accessor of the token presented, when the caller is a token's (non-secret, names the token itself). */
  readonly accessor?: string;
  /** How the caller authenticated (`token`). */
  readonly authMethod?: string;
}

/** Token authentication and authorisation, provided by the token/policy modules. */
export interface ServerAuth {
  /**
   * Resolve a presented token (undefined when none) to a caller, or fail with HUSH_E_UNAUTHENTICATED. May answer
   * synchronously (a cached token) or with a promise; a failure may be a throw or a rejection.
   */
  authenticate(token: string | undefined): Caller | Promise<Caller>;
  /**
   * Throw HUSH_E_FORBIDDEN unless `caller` holds `capability` on `path` (e.g. 'sudo' on 'sys/seal'). `digest`, when
   * the route computes one, yields the request's `requestDigest` (called only when an approval is to be spent, so
   * unguarded requests never hash their body): an approval pinned to a digest covers only that one request.
   */
  authorize(caller: Caller, path: string, capability: string, digest?: () => string): void | Promise<void>;
  /**
   * A probe that never spends anything: true when `caller` may use `capability` on `path` now without an approval
   * (a use a policy rule guards with approvals answers false). For checks that only look (which error to show,
   * which secrets a background scan may open), so they neither consume an approval nor fail on one. Absent: the
   * port knows no approvals and `authorize` decides.
   */
  mayUse?(caller: Caller, path: string, capability: string): Promise<boolean>;
}
