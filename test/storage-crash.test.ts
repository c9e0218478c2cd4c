import { randomInt } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSqliteBackend } from '../src/storage/sqlite/sqlite-backend.js';
import { spawnNodeScript } from './support/child-process.js';
import { assertCompiledBackend, REPO_ROOT } from './support/compiled.js';
import { CRASH_KEY_SLOTS, crashIndex, crashKey, crashValue } from './support/crash-values.mjs';
import { makeTempDir, removeTempDir } from './support/temp-dir.js';

const WRITER = join(REPO_ROOT, 'test/support/crash-writer.mjs');
const KILLS = 60;

/** Assert the file is a sound SQLite database (this also replays the WAL left by the killed writer). */
function assertNotCorrupt(path: string): void {
  const db = new Database(path, { fileMustExist: true });
  try {
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
  } finally {
    db.close();
  }
}

/**
 * Every slot must hold a whole write: the last acknowledged one for that slot, or a later one that committed
 * just before the kill but was not acknowledged yet; never an older, partial or mixed value.
 */
async function assertAcknowledgedWritesIntact(path: string, lastAck: Map<string, number>, issued: number) {
  const backend = await openSqliteBackend({ path });
  try {
    for (let slot = 0; slot < CRASH_KEY_SLOTS; slot++) {
      const key = crashKey(slot);
      const entry = await backend.get(key);
      const acked = lastAck.get(key);
      if (entry === undefined) {
        expect(acked, `${key} was acknowledged (write ${acked}) but is missing`).toBeUndefined();
        continue;
      }
      const n = crashIndex(entry.value);
      expect(n, `${key} has an unreadable value`).toBeDefined();
      expect(crashKey(n!)).toBe(key);
      expect(n!).toBeGreaterThanOrEqual(acked ?? 0);
      expect(n!).toBeLessThanOrEqual(issued);
      expect(entry.value.equals(crashValue(n!)), `${key} holds damaged bytes of write ${n}`).toBe(true);
    }
  } finally {
    await backend.close();
  }
}

describe('sqlite crash safety (kill -9 during writes)', () => {
  let dir: string;
  beforeAll(async () => {
    assertCompiledBackend();
    dir = await makeTempDir('crash');
  });
  afterAll(() => removeTempDir(dir));

  it(`keeps every acknowledged write intact across ${KILLS} SIGKILLs`, async () => {
    const path = join(dir, 'hush.db');
    const lastAck = new Map<string, number>();
    let next = 0;
    let acks = 0;
    for (let round = 0; round < KILLS; round++) {
      const child = spawnNodeScript(WRITER, [path, String(next)]);
      // Mostly kill mid-write; every fifth round kill blindly, which can land while the file is being created,
      // opened or migrated.
      if (round % 5 === 0) await sleep(randomInt(0, 150));
      else {
        await child.waitForLine(/^ready$/);
        await sleep(randomInt(0, 40));
      }
      child.process.kill('SIGKILL');
      const { signal } = await child.exited;
      expect(signal, `writer died on its own: ${child.stderr()}`).toBe('SIGKILL');
      for (const line of child.lines) {
        const m = /^ack (\d+)$/.exec(line);
        if (!m) continue;
        const n = Number(m[1]);
        lastAck.set(crashKey(n), n);
        next = n + 1;
        acks += 1;
      }
      // `next` may have committed unacknowledged; the following round rewrites it with identical bytes.
      if (!existsSync(path)) {
        // Killed before it even created the file: then nothing can have been acknowledged.
        expect(acks).toBe(0);
        continue;
      }
      assertNotCorrupt(path);
      await assertAcknowledgedWritesIntact(path, lastAck, next);
    }
    // Typically ~15 acks per round; a quarter of a round each proves the kills landed among writes.
    expect(acks).toBeGreaterThan(KILLS / 4);
  }, 180_000); // a fresh Node writer per round: start-up dominates, and a loaded 2-core machine triples it
});
