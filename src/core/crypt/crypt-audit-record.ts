/**
 * A `hush crypt` recipient change as the server's audit trail records it (`POST /v1/crypt/audit`): names only,
 * never a value or key material.
 */
export interface CryptAuditRecord {
  readonly operation: 'recipients.add' | 'recipients.remove';
  readonly files: string[];
  /** age recipients (`age1...`) and transit keys (`transit:<name>`) added or removed. */
  readonly recipients: string[];
  /** Store secrets rotated into the files (addresses). */
  readonly rotated: string[];
  /** How many values were left to rotate by hand. */
  readonly rotateByHand: number;
}
