import { describe, expect, it } from 'vitest';
import { toolMissing, underCi } from './require-tool.js';

describe('require-tool', () => {
  it('counts any CI value but empty, 0 and false as CI, so a missing tool fails there instead of skipping', () => {
    for (const ci of ['true', '1', 'yes', 'TRUE', 'woodpecker']) expect(underCi({ CI: ci }), ci).toBe(true);
    for (const ci of [undefined, '', '0', 'false', 'False'])
      expect(underCi({ CI: ci }), String(ci)).toBe(false);
  });

  it('names the apt package of a missing command', () => {
    expect(toolMissing('hush-no-such-tool', 'some-package')).toBe(
      'hush-no-such-tool is not installed: apt-get install -y some-package',
    );
    expect(toolMissing(process.execPath, 'nodejs')).toBeUndefined();
  });
});
