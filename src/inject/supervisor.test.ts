import { existsSync } from 'node:fs';
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
});
