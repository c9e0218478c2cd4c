import { describe, expect, it } from 'vitest';
import { computeRecordHash } from './hash-chain.js';
import { buildChain } from './test-events.js';
import { toAuditLines, verifyChain } from './verify-chain.js';

const lines = (records: readonly unknown[]) => toAuditLines(records);

describe('verifyChain', () => {
  const chain = buildChain(6);

  it('accepts an intact chain and reports its head', () => {
    const r = verifyChain(lines(chain));
    expect(r).toMatchObject({
      ok: true,
      checked: 6,
      head: { seq: 6, hash: chain[5]?.hash },
      outcomeUnknownCount: 0,
    });
    expect(verifyChain([])).toMatchObject({ ok: true, checked: 0, head: { seq: 0 } });
  });

  it('refuses a log rewritten before a noted head and re-hashed, once it has grown past that head', () => {
    const noted = { seq: 4, hash: chain[3]!.hash };
    // Rewrite record 2 and re-hash everything after it: every link is valid again.
    let head = { seq: 1, hash: chain[0]!.hash };
    const forged = [chain[0]!];
    for (const r of chain.slice(1)) {
      const { hash: _h, ...rest } = {
        ...r,
        prev: head.hash,
        ...(r.seq === 2 ? { identity: 'user:nobody' } : {}),
      };
      const hash = computeRecordHash(rest);
      forged.push({ ...rest, hash });
      head = { seq: r.seq, hash };
    }
    expect(verifyChain(lines(forged)).ok).toBe(true); // the links alone cannot tell
    const r = verifyChain(lines(forged), { expectHead: noted });
    expect(r).toMatchObject({ ok: false, problem: { kind: 'edited', seq: 4, line: 4 } });
    expect(r.problem?.message).toMatch(/differs from the head noted earlier/);
    expect(verifyChain(lines(chain), { expectHead: noted }).ok).toBe(true);
  });

  it('names an edited record', () => {
    const edited = chain.map((r) => (r.seq === 3 ? { ...r, outcome: 'allowed', path: 'x/y' } : r));
    const r = verifyChain(lines(edited));
    expect(r).toMatchObject({ ok: false, checked: 2, problem: { kind: 'edited', seq: 3, line: 3 } });
    expect(r.problem?.message).toBe('line 3 (seq 3) was edited: its content no longer matches its hash');
  });

  it('names an edited and re-hashed record by the broken link', () => {
    const forged = chain.map((r) => {
      if (r.seq !== 3) return r;
      const { hash: _h, ...rest } = { ...r, identity: 'user:nobody' };
      return { ...rest, hash: computeRecordHash(rest) };
    });
    const r = verifyChain(lines(forged));
    expect(r.problem).toMatchObject({ kind: 'edited', seq: 3, line: 3 });
    expect(r.problem?.message).toMatch(/chain breaks between line 3 \(seq 3\) and line 4 \(seq 4\)/);
  });

  it('names a deleted record (middle and start)', () => {
    const r = verifyChain(lines(chain.filter((x) => x.seq !== 4)));
    expect(r.problem).toMatchObject({ kind: 'deleted', seq: 5, line: 4 });
    expect(r.problem?.message).toBe('record seq 4 is missing before line 4 (seq 5): records were deleted');
    const s = verifyChain(lines(chain.slice(2)));
    expect(s.problem).toMatchObject({ kind: 'deleted', seq: 3, line: 1 });
    expect(s.problem?.message).toMatch(/seqs 1-2 are missing/);
  });

  it('names reordered records', () => {
    const swapped = [chain[0], chain[1], chain[3], chain[2], chain[4], chain[5]];
    const r = verifyChain(lines(swapped));
    expect(r.problem).toMatchObject({ kind: 'reordered', seq: 4, line: 3 });
    expect(r.problem?.message).toBe(
      'record seq 4 at line 3 comes before seq 3 at line 4: records were reordered',
    );
  });

  it('names inserted or duplicated records', () => {
    const dup = [...chain.slice(0, 3), chain[1], ...chain.slice(3)];
    expect(verifyChain(lines(dup)).problem).toMatchObject({ kind: 'inserted', seq: 2, line: 4 });
  });

  it('names malformed lines', () => {
    const l = lines(chain);
    l[2] = { text: '{"seq":3, garbage', line: 3 };
    expect(verifyChain(l).problem).toMatchObject({ kind: 'malformed', seq: 3, line: 3 });
  });

  it('detects truncation of the tail against a recorded head, and supports a mid-chain start', () => {
    const head = verifyChain(lines(chain)).head;
    const cut = verifyChain(lines(chain.slice(0, 4)), { expectHead: head });
    expect(cut.problem).toMatchObject({ kind: 'deleted', line: 4 });
    expect(cut.problem?.message).toMatch(/ends at seq 4 but seq 6 was recorded earlier/);
    expect(verifyChain(lines(chain.slice(2)), { start: 'any' })).toMatchObject({ ok: true, checked: 4 });
    expect(verifyChain(lines(chain.slice(2)), { start: { seq: 2, hash: chain[1]!.hash } }).ok).toBe(true);
  });

  it('includes the file name when lines carry one', () => {
    const l = lines(chain).map((x) => ({ ...x, file: 'audit.log.1' }));
    l[1] = { ...l[1]!, text: l[1]!.text.replace('secret.read', 'secret.list') };
    expect(verifyChain(l).problem?.message).toMatch(/^audit\.log\.1:2 \(seq 2\) was edited/);
  });
});
