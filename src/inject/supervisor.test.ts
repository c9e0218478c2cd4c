import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseDuration } from './duration.js';
import { exitCodeOf, startChild } from './supervisor.js';

describe('parseDuration', () => {
  it('reads ms, s, m and bare seconds; refuses junk and out-of-range values', () => {
    expect(parseDuration('500ms', '--x')).toBe(500);
    expect(parseDuration('5s', '--x')).toBe(5000);
    expect(parseDuration('1.5', '--x')).toBe(1500);
    expect(parseDuration('2m', '--x')).toBe(120_000);
    expect(() => parseDuration('soon', '--interval')).toThrow(/--interval expects a duration like 500ms/);
    expect(() => parseDuration('50ms', '--interval', 100)).toThrow(/between 100 ms and 1 hour, found "50ms"/);
    expect(() => parseDuration('2h', '--x')).toThrow(/found "2h"/);
  });
});

describe('supervisor', () => {
  it('exit codes follow the shell convention', () => {
    expect(exitCodeOf({ code: 3, signal: null })).toBe(3);
    expect(exitCodeOf({ code: null, signal: 'SIGTERM' })).toBe(143);
    expect(exitCodeOf({ code: null, signal: 'SIGKILL' })).toBe(137);
    expect(exitCodeOf({ code: null, signal: null, spawnError: 'ENOENT' })).toBe(127);
    expect(exitCodeOf({ code: null, signal: null, spawnError: 'EACCES' })).toBe(126);
  });

  it('stop: SIGTERM first, SIGKILL after the grace period (real child processes)', async () => {
    const env = { PATH: process.env['PATH'] ?? '' };
    const polite = startChild({
      command: process.execPath,
      args: ['-e', 'setInterval(() => {}, 1000)'],
      env,
    });
    await new Promise((r) => setTimeout(r, 200));
    expect(await polite.stop(5000)).toMatchObject({ signal: 'SIGTERM' });
    // The child says when its SIGTERM handler is in place (a fixed sleep races Node's start-up on a loaded machine).
    const ready = join(await mkdtemp(join(tmpdir(), 'hush-supervisor-')), 'ready');
    const stubborn = startChild({
      command: process.execPath,
      args: [
        '-e',
        'process.on("SIGTERM", () => {}); require("fs").writeFileSync(process.argv[1], ""); setInterval(() => {}, 1000)',
        ready,
      ],
      env,
    });
    const deadline = Date.now() + 15_000;
    while (!existsSync(ready) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    expect(existsSync(ready)).toBe(true);
    const t0 = Date.now();
    expect(await stubborn.stop(400)).toMatchObject({ signal: 'SIGKILL' });
    expect(Date.now() - t0).toBeGreaterThanOrEqual(350);
    await rm(dirname(ready), { recursive: true, force: true });
  });

  it('stop gives the child and the rest of its group ONE grace period together: one SIGTERM, then SIGKILL', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'hush-supervisor-'));
    const terms = join(dir, 'terms');
    const ready = join(dir, 'ready');
    // The grandchild notes every SIGTERM and ignores it; the leader exits once the grandchild has noted it (no timer
    // racing the deadline). Granting the group a fresh grace period after the leader exits (the old behaviour) sent
    // the group a second SIGTERM.
    const grandchild = `process.on("SIGTERM", () => fs.appendFileSync(${JSON.stringify(terms)}, "TERM\\n")); fs.writeFileSync(${JSON.stringify(ready)}, ""); setInterval(() => {}, 1000)`;
    const leader = [
      'const fs = require("fs")',
      `const g = require("child_process").spawn(process.execPath, ["-e", ${JSON.stringify(`const fs = require("fs"); ${grandchild}`)}], { stdio: "ignore" })`,
      `fs.writeFileSync(${JSON.stringify(join(dir, 'grandchild'))}, String(g.pid))`,
      `process.on("SIGTERM", () => setInterval(() => fs.existsSync(${JSON.stringify(terms)}) && process.exit(0), 10))`,
      'setInterval(() => {}, 1000)',
    ].join('; ');
    const child = startChild({
      command: process.execPath,
      args: ['-e', leader],
      env: { PATH: process.env['PATH'] ?? '' },
      ownGroup: true,
    });
    await until(() => existsSync(ready));
    const grandPid = Number(readFileSync(join(dir, 'grandchild'), 'utf8'));
    const t0 = Date.now();
    expect(await child.stop(1000)).toMatchObject({ code: 0 });
    // The grandchild ignores SIGTERM, so only the SIGKILL at the deadline ends it: the stop waited the grace period.
    expect(Date.now() - t0).toBeGreaterThanOrEqual(950);
    await until(() => !running(grandPid));
    expect(readFileSync(terms, 'utf8')).toBe('TERM\n');
    await rm(dir, { recursive: true, force: true });
  });
});

async function until(cond: () => boolean): Promise<void> {
  const deadline = Date.now() + 15_000;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error('condition not reached within 15 s');
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Alive and not a zombie (a killed orphan may wait for its reaper). */
function running(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
}
