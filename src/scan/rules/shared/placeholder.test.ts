import { describe, expect, it } from 'vitest';
import { scanText } from '../../engine/scan-text.js';
import { looksPlaceholder } from './placeholder.js';

describe('looksPlaceholder', () => {
  it('takes placeholder words written as words, in any usual casing', () => {
    for (const v of [
      'fake-password',
      'FAKE_TOKEN',
      'myFakeToken',
      'ChangeMe',
      'TODO',
      'your_api_key',
      'Sample1',
      'tbd',
    ])
      expect(looksPlaceholder(v), v).toBe(true);
  });

  it('does not take a placeholder word that random mixed case spelled by chance', () => {
    // 'UVXTBd!ogRgcnN' holds "TBd", 'q8fAkEz1' holds "fAkE": chance letters of a random password, not a stand-in.
    for (const v of ['UVXTBd!ogRgcnN', 'q8fAkEz1Lm9Wx', 'RtOdOq7!Vn3Kp'])
      expect(looksPlaceholder(v), v).toBe(false);
  });

  it('a random password that spells a placeholder word in mixed case is still reported', () => {
    const f = scanText('ARG PIP_INDEX_PASSWORD=UVXTBd!ogRgcnN\n', { path: 'Dockerfile' });
    expect(f.map((x) => x.ruleId)).toEqual(['generic-password-assignment']);
  });
});
