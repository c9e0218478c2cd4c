import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { createRegexSandbox, SANDBOX_BUDGET } from '../src/scan/config/regex-sandbox.js';
import { ScanInterrupted } from '../src/scan/engine/types.js';
import type { Rule } from '../src/scan/rules/rule.js';
import { REPO_ROOT } from './support/compiled.js';
import { assertCompiledCli } from './support/run-hush.js';

// The worker runs compiled code (a worker thread cannot load the TypeScript sources).
const WORKER = pathToFileURL(join(REPO_ROOT, 'dist/scan/config/regex-worker.js'));

const rule = (id: string, source: string): Rule => ({
  id,
  title: id,
  severity: 'high',
  keywords: [],
  pattern: new RegExp(source),
  examples: [],
  falsePositives: [],
});

describe('regex sandbox', () => {
  beforeAll(() => assertCompiledCli());

  it('answers every call of a fast rule: a late wake-up from one call is not taken for the next reply', () => {
    // The worker raises the flag and then notifies; when the scanning thread saw the flag before the notify came,
    // that notify woke the next call's wait before its reply existed ("the regex worker did not answer").
    const box = createRegexSandbox(SANDBOX_BUDGET, WORKER);
    const guarded = box.guard(rule('acme', 'acme_[a-z]+'));
    let found = 0;
    try {
      for (let i = 0; i < 150_000 && box.failures.length === 0; i++) {
        found += guarded.matchOutside!(['x acme_abc y'])[0]!.length;
      }
    } finally {
      box.close();
    }
    expect(box.failures).toEqual([]);
    expect(found).toBe(150_000);
  }, 600_000);

  it('a rule that overdraws its account but answers within the round-trip slack keeps its hits and is stopped', () => {
    // No credit per MiB and a slack far above what the regex takes: every answer comes back, each one overdrawn.
    const box = createRegexSandbox(
      { ...SANDBOX_BUDGET, baseMs: 1, msPerMiB: 0, slackMs: 600_000, poolBaseMs: 600_000 },
      WORKER,
    );
    const guarded = box.guard(rule('cubic', '\\w*\\w*\\w*='));
    const text = `k=v ${'a'.repeat(200)}`;
    try {
      expect(guarded.matchOutside!([text])[0]!.map((h) => h.match)).toEqual(['k=']);
      // Without the check each call could spend the slack again, so the account would bound nothing.
      expect(box.failures).toEqual([
        expect.stringMatching(/rule "cubic" was stopped: its regex ran past its time budget/),
      ]);
      expect(guarded.matchOutside!([text])).toEqual([[]]);
    } finally {
      box.close();
    }
  }, 600_000);

  it('many hostile rules share one account: once it is spent, the rest are not run (no stall per rule)', () => {
    // Each rule alone may spend 300 ms, the config as a whole 500 ms: the first rule overdraws its own account, the
    // second the shared one, and the other eight never run. Without the shared account all ten would each wait out
    // their own 300 ms (fifty rules of a real config: about two minutes before any --time-budget).
    const box = createRegexSandbox(
      { ...SANDBOX_BUDGET, baseMs: 300, msPerMiB: 0, slackMs: 100, poolBaseMs: 500, poolMsPerMiB: 0 },
      WORKER,
    );
    const rules = Array.from({ length: 10 }, (_, i) => box.guard(rule(`slow-${i}`, '\\w*\\w*\\w*\\w*\\w*=')));
    const text = 'a'.repeat(3000);
    try {
      for (const r of rules) expect(r.matchOutside!([text])).toEqual([[]]);
    } finally {
      box.close();
    }
    expect(box.failures).toHaveLength(10);
    expect(box.failures[0]).toMatch(/rule "slow-0" was stopped: its regex ran past its time budget/);
    expect(box.failures[1]).toMatch(/rule "slow-1" was stopped: the repository rules together ran past/);
    for (const f of box.failures.slice(2))
      expect(f).toMatch(/was not run further: the repository rules' shared/);
  }, 600_000);

  it("stops at the scan's deadline however much a rule has left, and says the scan was interrupted", () => {
    // An account far above the deadline (as one grows on megabytes searched quickly): the deadline decides.
    const box = createRegexSandbox({ ...SANDBOX_BUDGET, baseMs: 20_000 }, WORKER);
    const guarded = box.guard(rule('slow', '\\w*\\w*\\w*\\w*\\w*='));
    box.guard(rule('after', 'x')).matchOutside!(['warm the worker up']);
    box.stopBy(Date.now() + 500);
    try {
      // Without the deadline this waits 20 s (its account) on a regex that would run for hours.
      expect(() => guarded.matchOutside!(['a'.repeat(30_000)])).toThrow(ScanInterrupted);
      // The rule is not to blame: the scan's time ran out (the report says so, not that the rule was stopped).
      expect(box.failures).toEqual([]);
    } finally {
      box.close();
    }
  }, 120_000);

  it('stops a rule that floods: past 10,000 hits in one call it is named and sends nothing more', () => {
    // `[a-z]` on a 30 MB file sent a million hits per MiB window between threads: 820 MB and 107 s, no warning.
    const box = createRegexSandbox(SANDBOX_BUDGET, WORKER);
    const every = box.guard(rule('every', '[a-z]'));
    const acme = box.guard(rule('acme', 'acme_[a-z]+'));
    try {
      expect(every.matchOutside!(['ab'.repeat(2_500), 'ab'.repeat(2_500)]).flat()).toHaveLength(10_000);
      expect(every.matchOutside!(['ab'.repeat(2_500), 'ab'.repeat(2_501)])).toEqual([[], []]);
      expect(box.failures).toEqual([
        expect.stringMatching(/rule "every" failed: it matched more than 10000 times/),
      ]);
      // The other rules go on.
      expect(acme.matchOutside!(['acme_key'])[0]!.map((h) => h.secret)).toEqual(['acme_key']);
    } finally {
      box.close();
    }
  }, 120_000);
});
