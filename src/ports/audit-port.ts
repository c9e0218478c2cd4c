/**
 * The audit port: how denials reach the audit trail. Services that decide a denial themselves (identity's per-name
 * checks, failed logins) and the server's guards both take this slice; the server's audit plugin implements it.
 */

/** A denial, as handed to the audit trail (no token, no body). */
export interface DenialEvent {
  readonly requestId: string;
  readonly method: string;
  readonly route: string;
  readonly code: string;
  readonly callerId?: string;
  /** The accessor of the refused token, when known (a revoked token's, from its tombstone). */
  readonly tokenAccessor?: string;
  /** Why a presented token was refused (`token-expired`, `token-revoked`...), from the error's details. */
  readonly reason?: string;
}

/**
 * Where a request's denial note is kept: the request itself (Fastify's request object, decorated by the audit
 * plugin), never a map keyed by the request id, which clients may choose.
 */
export interface DenialHolder {
  auditDenial?: DenialEvent | null;
}

/** The audit sink slice the framework uses: denials take the same path to the audit append as successes. */
export interface ServerAudit {
  /** Note `event` for `request`'s own audit record (the first denial of a request wins). */
  recordDenial(request: DenialHolder, event: DenialEvent): Promise<void>;
  /**
   * Append the record of a request the router refused before any hook ran (bad URL encoding, an over-long name);
   * resolves once it is durable, throws when it cannot be written (the reply is then 503).
   */
  recordRefused?(event: RefusedEvent): Promise<void>;
}

/** A request refused by the router itself: no route, no caller, and never its URL. */
export interface RefusedEvent {
  readonly requestId: string;
  readonly method: string;
  readonly sourceAddress: string | null;
  readonly status: number;
  readonly code: string;
}
