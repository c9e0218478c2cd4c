import type { AuditValue } from '../../core/audit/audit-record.js';
import type { RequestedCapability } from '../../core/policy/index.js';
import type { Caller } from '../../ports/auth-port.js';

/** What the audit record of one AWS call should say: the native operation it translates to, its path, extras. */
export interface AwsAuditNote {
  readonly path?: string;
  readonly details?: Record<string, AuditValue>;
}

/**
 * One authenticated AWS call as the translation services see it (no HTTP): who calls, in which region (for ARNs),
 * a capability check with the native routes' semantics (denials audited by whoever implements it) and a place to
 * note the audit path and details.
 */
export interface AwsCall {
  readonly caller: Caller;
  readonly region: string;
  authorize(path: string, capability: RequestedCapability): Promise<void>;
  note(note: AwsAuditNote): void;
}

/** The account id in every ARN Hush makes: fixed, so ARNs are stable and never look like a real account's. */
export const HUSH_ACCOUNT_ID = '000000000000';

/** An operation of one AWS service: JSON in, JSON out. */
export type AwsOperation = (
  call: AwsCall,
  input: Record<string, unknown>,
) => Promise<Record<string, unknown>>;

/** A service's operations by name, each with the native audit operation it is recorded as. */
export type AwsOperationTable = Readonly<
  Record<string, { readonly audit: string; readonly run: AwsOperation }>
>;

/** A service's operations as data: name -> [native audit operation, function of (deps, call, input)]. */
export type OperationSpecs<D> = Readonly<
  Record<
    string,
    readonly [
      audit: string,
      run: (deps: D, call: AwsCall, input: unknown) => Promise<Record<string, unknown>>,
    ]
  >
>;

/** Bind a service's operation specs to its dependencies. */
export function operationTable<D>(deps: D, specs: OperationSpecs<D>): AwsOperationTable {
  return Object.fromEntries(
    Object.entries(specs).map(([name, [audit, run]]) => [
      name,
      { audit, run: (call: AwsCall, input: Record<string, unknown>) => run(deps, call, input) },
    ]),
  );
}
