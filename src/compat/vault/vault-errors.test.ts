import { describe, expect, it } from 'vitest';
import { HushError } from '../../core/errors/index.js';
import { unknownPathError, vaultErrorOf } from './vault-errors.js';

describe('Hush errors in Vault shape', () => {
  it.each([
    ['HUSH_E_UNAUTHENTICATED', 403, ['permission denied']],
    ['HUSH_E_FORBIDDEN', 403, ['permission denied']],
    ['HUSH_E_NOT_FOUND', 404, []],
    ['HUSH_E_DELETED', 404, []],
    ['HUSH_E_DESTROYED', 404, []],
    ['HUSH_E_CAS_CONFLICT', 400, ['check-and-set parameter did not match the current version']],
    ['HUSH_E_SEALED', 503, ['Vault is sealed']],
  ] as const)('%s -> %i %j (Vault wording, no Hush detail)', (code, status, errors) => {
    expect(vaultErrorOf(new HushError(code, 'detail that must not show'))).toEqual({
      status,
      body: { errors },
    });
  });

  it('anything else keeps the catalogue status and the coded one-line message', () => {
    expect(vaultErrorOf(new HushError('HUSH_E_TOO_LARGE', 'value is 3 bytes over'))).toEqual({
      status: 413,
      body: { errors: ['HUSH_E_TOO_LARGE: value is 3 bytes over'] },
    });
    expect(vaultErrorOf(new HushError('HUSH_E_RATE_LIMITED', 'wait 4 s')).status).toBe(429);
  });

  it('an unknown path is named as Vault names it, cut to a readable length', () => {
    expect(unknownPathError('sys/mounts')).toEqual({
      status: 404,
      body: { errors: ['no handler for route "sys/mounts". route entry not found.'] },
    });
    expect(unknownPathError('a'.repeat(5000)).body.errors[0]?.length).toBeLessThan(260);
  });
});
