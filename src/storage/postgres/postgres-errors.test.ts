import { describe, expect, it } from 'vitest';
import { HushError } from '../../core/errors/hush-error.js';
import { isRetryable, toPostgresError } from './postgres-errors.js';

const ctx = { target: 'db:5432/hush', statementTimeoutMs: 1000, connectTimeoutMs: 2000 };
const withCode = (code: string, message = 'raw pg text with s3cr3t') =>
  Object.assign(new Error(message), { code });

describe('toPostgresError', () => {
  it.each([
    ['ECONNREFUSED', 'HUSH_E_STORAGE', 'unavailable (ECONNREFUSED)'],
    ['57P01', 'HUSH_E_STORAGE', 'unavailable (57P01)'],
    ['08006', 'HUSH_E_STORAGE', 'unavailable (08006)'],
    ['57014', 'HUSH_E_STORAGE', 'statementTimeoutMs (1000 ms)'],
    ['28P01', 'HUSH_E_STORAGE', 'authentication failed'],
    ['53100', 'HUSH_E_STORAGE', 'disk is full'],
    ['XX001', 'HUSH_E_INTEGRITY', 'restore the database'],
    ['42P01', 'HUSH_E_STORAGE', 'storage failure (42P01)'],
  ])('maps %s to %s', (code, hush, text) => {
    const err = toPostgresError(withCode(code), ctx, 'reading');
    expect(err).toBeInstanceOf(HushError);
    expect((err as HushError).code).toBe(hush);
    expect(err.message).toContain(text);
    expect(err.message).toContain('db:5432/hush');
    expect(err.message).not.toContain('s3cr3t');
  });

  it('maps pg connection messages without a code, and passes coded and programmer errors through', () => {
    const timeout = toPostgresError(new Error('timeout exceeded when trying to connect'), ctx, 'reading');
    expect(timeout.message).toContain('no connection within 2000 ms');
    const silent = toPostgresError(new Error('Query read timeout'), ctx, 'reading');
    expect(silent.message).toContain('no answer within 3000 ms');
    const lost = toPostgresError(new Error('Connection terminated unexpectedly'), ctx, 'writing');
    expect((lost as HushError).code).toBe('HUSH_E_STORAGE');
    const coded = new HushError('HUSH_E_CAS_CONFLICT', 'x');
    expect(toPostgresError(coded, ctx, 'writing')).toBe(coded);
    const range = new RangeError('bad');
    expect(toPostgresError(range, ctx, 'writing')).toBe(range);
  });

  it('retries serialization failures and deadlocks only', () => {
    expect(isRetryable(withCode('40001'))).toBe(true);
    expect(isRetryable(withCode('40P01'))).toBe(true);
    expect(isRetryable(withCode('23505'))).toBe(false);
    expect(isRetryable(new Error('x'))).toBe(false);
  });
});
