import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { GENERIC_FACTS, renderRunbook } from './runbook.js';

describe('runbook', () => {
  it('names the deployment and warns about a key-file seal', () => {
    const text = renderRunbook({
      storage: 'postgres (db.internal:5432/hush)',
      seal: 'key-file',
      audit: '/var/lib/hush/audit.jsonl',
      address: 'https://hush.internal:8200',
      rotationPolicies: 3,
    });
    expect(text).toContain('Storage: postgres (db.internal:5432/hush)');
    expect(text).toContain('export HUSH_ADDR=https://hush.internal:8200');
    expect(text).toContain('Configured: 3 rotation policies');
    expect(text).toMatch(/key file beside the data/);
    expect(text).toMatch(/hush incident revoke --identity/);
  });

  it('docs/RUNBOOK.md is the generic rendering (regenerate it with `hush runbook --generic > docs/RUNBOOK.md`)', () => {
    const doc = readFileSync(new URL('../../../docs/RUNBOOK.md', import.meta.url), 'utf8');
    expect(doc).toBe(renderRunbook(GENERIC_FACTS));
  });
});
