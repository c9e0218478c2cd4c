import type { MessageTable } from '../message-template.js';

/** Messages raised under src/audit/ (ids are unique across every domain file). */
export const auditMessages = {
  CANNOT_CREATE_AUDIT_KEY_FILE: {
    code: 'HUSH_E_CONFIG',
    template: 'cannot create audit key file {path} ({code})',
    hint: 'check that the data directory is writable',
  },
  CANNOT_READ_AUDIT_KEY_FILE: {
    code: 'HUSH_E_CONFIG',
    template: 'cannot read audit key file {path} ({value})',
    hint: 'check its permissions',
  },
  AUDIT_KEY_FILE_HOLDS_BYTES: {
    code: 'HUSH_E_CONFIG',
    template: 'audit key file {path} holds {length} bytes, expected {keyBytes}',
    hint: 'restore it from a backup (records already written can only be matched with the original key)',
  },
  NO_AUDIT_SINK_CONFIGURED: {
    code: 'HUSH_E_CONFIG',
    template: 'no audit sink is configured',
    hint: 'configure a file or stdout audit sink',
  },
  REQUEST_REFUSED_BECAUSE_COULD_NOT: {
    code: 'HUSH_E_AUDIT_UNAVAILABLE',
    template:
      'the request was refused because it could not be audited ({length} of {length2} sinks failed): {why}',
  },
  AUDIT_LOG_CLOSED_REQUEST_REFUSED: {
    code: 'HUSH_E_AUDIT_UNAVAILABLE',
    template: 'the audit log is closed; the request was refused',
  },
  AUDIT_CHAIN_BROKEN_SEQ_RECORDS: {
    code: 'HUSH_E_INTEGRITY',
    template:
      'audit chain broken ({kind}) at {where}, seq {value}: {message}; {checked} records verified before it',
  },
  AUDIT_SINK_CLOSED: { code: 'HUSH_E_AUDIT_UNAVAILABLE', template: 'audit sink {name} is closed' },
  LAST_LINE_NOT_VALID_AUDIT: {
    code: 'HUSH_E_INTEGRITY',
    template: 'the last line of {path} is not a valid audit record ({reason})',
    hint: 'run `hush audit verify` and repair or move the file before starting',
  },
  CANNOT_WRITE_LOCAL_AUDIT_TRAIL: {
    code: 'HUSH_E_AUDIT_UNAVAILABLE',
    template:
      'cannot write the local audit trail (lock {path}: {why}); nothing was done. Check that the data directory is writable, or remove the lock file if no hush process is running',
  },
  AUDIT_SINKS_BOTH_END_SEQ: {
    code: 'HUSH_E_INTEGRITY',
    template: 'audit sinks {sink} and {name} both end at seq {seq} with different hashes',
    hint: 'run `hush audit verify` on each',
  },
  AUDIT_SINK_COULD_NOT: {
    code: 'HUSH_E_AUDIT_UNAVAILABLE',
    template: 'audit sink {sink} could not {action} ({why}); {hint}',
  },
  AUDIT_HMAC_KEY_KEPT_STORE: {
    code: 'HUSH_E_INTEGRITY',
    template: 'the audit HMAC key kept in the store holds {length} bytes, expected {keyBytes}',
    hint: 'restore the store from a backup',
  },
  AUDIT_TRAIL_NOT_MATCH_HEAD: {
    code: 'HUSH_E_INTEGRITY',
    template: 'audit trail {file} does not match the head kept in the store: {why}',
    hint: 'restore the audit files from a backup and run `hush audit verify`, or start with HUSH_AUDIT_HEAD_CHECK=alert to serve while you investigate',
  },
  SIMULATION_PERIOD_INVALID: {
    code: 'HUSH_E_INVALID_INPUT',
    template: 'the simulation period is empty: until ({until}) is not later than since ({since})',
    hint: 'give --since earlier than --until (e.g. --since 7d)',
  },
  SIMULATION_PERIOD_TOO_LONG: {
    code: 'HUSH_E_INVALID_INPUT',
    template:
      'the simulation period is {days} days; at most {maxDays} days of the trail can be replayed at once',
    hint: 'simulate a shorter period (e.g. --since 7d) and repeat for earlier ones',
  },
  SIMULATION_RECORD_BUDGET_EXCEEDED: {
    code: 'HUSH_E_TOO_LARGE',
    template: 'the period holds more than {maxRecords} audit records, the most one simulation replays',
    hint: 'simulate a shorter period (--since/--until)',
  },
  SIMULATION_DRAFT_NOT_YAML: {
    code: 'HUSH_E_INVALID_INPUT',
    template: 'the draft policy is not valid YAML or JSON (line {line}): {why}',
    hint: 'write it as `hush policy read` prints a policy',
  },
  NO_AUDIT_RECORD_FOR_REQUEST: {
    code: 'HUSH_E_NOT_FOUND',
    template: 'the audit trail holds no record of request {requestId}',
    hint: 'search the trail (GET /v1/sys/audit/records) for the request id',
  },
} as const satisfies MessageTable;
