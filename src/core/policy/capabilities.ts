/**
 * The capabilities a policy rule can grant. `admin` implies every other granting capability; `deny` is not a grant
 * but a veto: a matching, currently valid `deny` rule refuses every capability on the path, whatever else allows it.
 */
export const CAPABILITIES = [
  'read',
  'list',
  'create',
  'update',
  'delete',
  'destroy',
  'rotate',
  // Transit key operations (see docs/transit.md): separate, so encrypting never implies decrypting, nor verifying
  // signing.
  'encrypt',
  'decrypt',
  'sign',
  'verify',
  // Grants a vote on approval requests for the path (docs/transit.md, approvals); `admin` implies it.
  'approve',
  'admin',
  'deny',
] as const;

/** One policy capability, e.g. `read`. */
export type Capability = (typeof CAPABILITIES)[number];

/** A capability a caller can ask for (everything except the `deny` veto). */
export type RequestedCapability = Exclude<Capability, 'deny'>;

/** The capabilities a caller can request, in catalogue order. */
export const REQUESTABLE_CAPABILITIES: readonly RequestedCapability[] = CAPABILITIES.filter(
  (c): c is RequestedCapability => c !== 'deny',
);

/** True when `value` is a known capability name. */
export function isCapability(value: string): value is Capability {
  return (CAPABILITIES as readonly string[]).includes(value);
}

/** True when a rule granting `granted` satisfies a request for `wanted` (`admin` implies all grants). */
export function grants(granted: readonly Capability[], wanted: RequestedCapability): boolean {
  return granted.includes(wanted) || granted.includes('admin');
}
