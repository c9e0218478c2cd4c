/** The ports services own and the HTTP server implements or calls: auth (caller), audit (denials), HSM signing. */
export type { DenialEvent, DenialHolder, RefusedEvent, ServerAudit } from './audit-port.js';
export type { Caller, ServerAuth } from './auth-port.js';
export type { HsmKeyKind, HsmSigner } from './hsm-signer-port.js';
