/** The ports services own and the HTTP server implements or calls: auth (caller) and audit (denials). */
export type { DenialEvent, DenialHolder, RefusedEvent, ServerAudit } from './audit-port.js';
export type { Caller, ServerAuth } from './auth-port.js';
