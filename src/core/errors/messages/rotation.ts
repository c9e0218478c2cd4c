import type { MessageTable } from '../message-template.js';

/** Messages raised under src/rotation/ (ids are unique across every domain file). */
export const rotationMessages = {
  NO_ROTATION_POLICY: {
    code: 'HUSH_E_NOT_FOUND',
    template: 'no rotation policy for {kind} {target}',
    hint: 'set one with `hush rotate policy set`, or run `hush rotate policy list` to see them',
  },
  CONNECTION_SECRET_MUST_HOLD_ADMIN: {
    code: 'HUSH_E_ROTATION_FAILED',
    template: 'the connection secret {connection} must hold the admin URL as its value or in a "url" field',
  },
  ROLE_PASSWORD_MUST_STRING: { code: 'HUSH_E_ROTATION_FAILED', template: 'a role password must be a string' },
  NO_ROTATION_POLICY_COVERS: {
    code: 'HUSH_E_NOT_FOUND',
    template: 'no rotation policy covers {path}',
    hint: 'set one with `hush rotate policy set --path {path} --interval 30d`',
  },
  HOOK_COMMAND_COULD_NOT_START: {
    code: 'HUSH_E_ROTATION_FAILED',
    template: 'hook command {name} could not start ({code})',
    hint: "check the policy's hook argv",
  },
  HOOK_COMMAND_STOPPED_TIMEOUT_MS: {
    code: 'HUSH_E_ROTATION_FAILED',
    template:
      'hook command {name} was stopped by {signal} (timeout {timeoutMs} ms?); the pending version was not promoted',
  },
  HOOK_COMMAND_EXITED_CODE_PENDING: {
    code: 'HUSH_E_ROTATION_FAILED',
    template: 'hook command {name} exited with code {code}; the pending version was not promoted',
  },
  HOOK_PENDING_VERSION_NOT_PROMOTED: {
    code: 'HUSH_E_ROTATION_FAILED',
    template: 'hook {where} {detail}; the pending version was not promoted',
  },
  HOOK_DELIVERY_FAILED_PENDING_VERSION: {
    code: 'HUSH_E_ROTATION_FAILED',
    template: 'hook delivery failed; the pending version was not promoted (the server log has the details)',
  },
  HOOK_URL_NOT_URL: {
    code: 'HUSH_E_INVALID_INPUT',
    template: 'hook url "{text}" is not a URL',
    hint: 'use e.g. https://deploy.example/rotated',
  },
  HOOK_URL_MUST_HTTPS_HTTP: {
    code: 'HUSH_E_INVALID_INPUT',
    template: 'hook url must be https:// (or http:// to 127.0.0.1/localhost), found {protocol}//{hostname}',
  },
  ROTATION_POLICY_PATH_MESSAGE: {
    code: 'HUSH_E_INVALID_INPUT',
    template: 'rotation policy: {path}: {message}',
  },
  ROTATION_POLICY_NEEDS_EXACTLY_ONE: {
    code: 'HUSH_E_INVALID_INPUT',
    template: 'a rotation policy needs exactly one of path or prefix',
  },
  POSTGRES_ROLE_ROTATOR_NEEDS_CONNECTION: {
    code: 'HUSH_E_INVALID_INPUT',
    template: 'the postgres-role rotator needs connection (path of the admin URL secret) and role',
  },
  POSTGRES_ROLE_ROTATOR_ROTATES_ONE: {
    code: 'HUSH_E_INVALID_INPUT',
    template: 'the postgres-role rotator rotates one role: give path, not prefix',
  },
  DATABASE_PASSWORD_CANNOT: {
    code: 'HUSH_E_INVALID_INPUT',
    template: 'a database password cannot be a {kind}',
    hint: 'use password, bytes or api-key',
  },
  CONNECTION_ROLE_APPLY_ONLY_ROTATOR: {
    code: 'HUSH_E_INVALID_INPUT',
    template: 'connection and role apply only to rotator postgres-role',
  },
  CONNECTION_SECRET_NOT_HOLD_URL: {
    code: 'HUSH_E_ROTATION_FAILED',
    template: 'the connection secret does not hold a URL',
    hint: 'store e.g. postgres://admin:...@db:5432/postgres',
  },
  CONNECTION_SECRET_MUST_HOLD_POSTGRES: {
    code: 'HUSH_E_ROTATION_FAILED',
    template: 'the connection secret must hold a postgres:// URL, found {protocol}//',
  },
  ALTER_ROLE_FAILED_DATABASE_PASSWORD: {
    code: 'HUSH_E_ROTATION_FAILED',
    template: 'ALTER ROLE {role} failed ({err}); the database password is unchanged',
  },
  ROLE_COULD_NOT_LOG_NEW: {
    code: 'HUSH_E_ROTATION_FAILED',
    template: 'role {role} could not log in with the new password; {value}',
  },
} as const satisfies MessageTable;
