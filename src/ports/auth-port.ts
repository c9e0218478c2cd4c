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
  /** Throw HUSH_E_FORBIDDEN unless `caller` holds `capability` on `path` (e.g. 'sudo' on 'sys/seal'). */
  authorize(caller: Caller, path: string, capability: string): void | Promise<void>;
}
