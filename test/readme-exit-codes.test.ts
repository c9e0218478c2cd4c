import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ERROR_CATALOGUE } from '../src/core/errors/error-catalogue.js';

// The README documents exit codes and HTTP statuses; this keeps that table and the catalogue from drifting apart.
describe('README exit code table', () => {
  const readme = readFileSync(join(import.meta.dirname, '..', 'README.md'), 'utf8');
  const rows = new Map<string, { exit: number; status: number }>();
  for (const m of readme.matchAll(/^\| (HUSH_E_[A-Z_]+) \| (\d+) \| (\d+) \|/gm)) {
    rows.set(m[1]!, { exit: Number(m[2]), status: Number(m[3]) });
  }

  it('lists every catalogue code with its exit code and HTTP status', () => {
    for (const [code, entry] of Object.entries(ERROR_CATALOGUE)) {
      expect(rows.get(code), code).toEqual({ exit: entry.exit, status: entry.status });
    }
  });

  it('lists no code the catalogue does not have', () => {
    for (const code of rows.keys()) expect(Object.keys(ERROR_CATALOGUE)).toContain(code);
  });
});
