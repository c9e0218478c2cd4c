import { readFileSync } from 'node:fs';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type NodeChild, spawnNodeScript } from './support/child-process.js';
import { assertCompiledCli, HUSH_BIN, hushIn } from './support/run-hush.js';
import { makeTempDir, removeTempDir } from './support/temp-dir.js';
import { until } from './support/until.js';

let dir: string;
let hush: ReturnType<typeof hushIn>;
const children: NodeChild[] = [];
/** Grandchildren started by tests: killed afterwards in case a test failed before they were stopped. */
const grandchildren: number[] = [];

beforeAll(async () => {
  assertCompiledCli();
  dir = await makeTempDir('inject-watch');
  hush = hushIn(dir);
  expect((await hush(['init'])).code).toBe(0);
}, 30_000);
afterEach(() => {
  for (const c of children.splice(0)) {
    c.process.kill('SIGKILL');
    // A SIGKILLed hush cannot stop its children: stop the ones the lines name (grandchildren, watched children).
    for (const line of c.lines) {
      const pid = /^grandchild=(\d+)$/.exec(line)?.[1] ?? / pid=(\d+)$/.exec(line)?.[1];
      if (pid !== undefined) grandchildren.push(Number(pid));
    }
  }
  for (const pid of grandchildren.splice(0)) if (running(pid)) process.kill(pid, 'SIGKILL');
});
afterAll(() => removeTempDir(dir));

/** `hush run --watch` on a prefix; the child prints its TOKEN and pid, then runs `body`. */
function watch(prefix: string, body: string, grace = '300ms', interval = '200ms'): NodeChild {
  const child = spawnNodeScript(HUSH_BIN, [
    'run',
    '--data-dir',
    dir,
    '--prefix',
    prefix,
    '--watch',
    '--interval',
    interval,
    '--grace',
    grace,
    '--',
    'node',
    '-e',
    // The line is printed after `body` installs its handlers: a signal sent on seeing it must find them.
    `${body}; console.log("token=" + process.env.TOKEN + " pid=" + process.pid); setInterval(() => {}, 1000)`,
  ]);
  children.push(child);
  return child;
}

const put = async (address: string, value: string) =>
  expect((await hush(['put', address], { input: value })).code).toBe(0);

describe('hush run --watch (real processes, changes made by another process)', () => {
  it('restarts the child with the new value and names the changed secret (never its value)', async () => {
    await put('w1/dev/token', 'first-value');
    const child = watch('w1/dev', 'process.on("SIGINT", () => process.exit(0))');
    await child.waitForLine(/^token=first-value /);
    await put('w1/dev/token', 'second-value');
    await child.waitForLine(/^token=second-value /);
    expect(child.stderr()).toMatch(/hush: w1\/dev\/token changed; restarting the command/);
    expect(child.stderr()).not.toContain('second-value');
    // A new secret below the prefix also counts as a change.
    await put('w1/dev/other', 'x');
    await until(
      'the restart for w1/dev/other',
      () => child.lines.filter((l) => l.startsWith('token=second-value ')).length === 2,
    );
    expect(child.stderr()).toMatch(/hush: w1\/dev\/other changed; restarting/);
    child.process.kill('SIGINT');
    expect((await child.exited).code).toBe(0);
  });

  it('a child ignoring SIGTERM is SIGKILLed after the grace period', async () => {
    await put('w2/dev/token', 'one');
    const child = watch(
      'w2/dev',
      'process.on("SIGTERM", () => console.log("ignored SIGTERM")); process.on("SIGINT", () => process.exit(5))',
      '1s',
    );
    const first = await child.waitForLine(/^token=one /);
    await put('w2/dev/token', 'two');
    await child.waitForLine(/^ignored SIGTERM$/);
    const termAt = Date.now();
    const second = await child.waitForLine(/^token=two /);
    expect(Date.now() - termAt).toBeGreaterThanOrEqual(800);
    const oldPid = Number(/pid=(\d+)/.exec(first)?.[1]);
    expect(Number(/pid=(\d+)/.exec(second)?.[1])).not.toBe(oldPid);
    expect(alive(oldPid)).toBe(false);
    child.process.kill('SIGINT');
    expect((await child.exited).code).toBe(5);
  });

  it("signals the child's whole process group: a grandchild stops on restart and when hush is stopped", async () => {
    await put('w6/dev/token', 'one');
    // The child starts a grandchild (`sleep`) in its own group, as a shell script or a dev server would.
    const child = watch(
      'w6/dev',
      'console.log("grandchild=" + require("child_process").spawn("sleep", ["300"], { stdio: "ignore" }).pid)',
    );
    const first = Number(/^grandchild=(\d+)$/.exec(await child.waitForLine(/^grandchild=/))?.[1]);
    grandchildren.push(first);
    await child.waitForLine(/^token=one /);
    await put('w6/dev/token', 'two');
    await child.waitForLine(/^token=two /);
    await until('the first grandchild to stop', () => !running(first));
    const second = Number(
      /^grandchild=(\d+)$/.exec(child.lines.filter((l) => l.startsWith('grandchild=')).at(-1) ?? '')?.[1],
    );
    grandchildren.push(second);
    expect(second).not.toBe(first);
    expect(running(second)).toBe(true);
    child.process.kill('SIGTERM');
    await child.exited;
    await until('the second grandchild to stop', () => !running(second));
  });

  it('a stop signal to hush gives the command one grace period, then SIGKILL (it never outlives hush)', async () => {
    await put('w7/dev/token', 'v');
    const child = watch('w7/dev', 'process.on("SIGTERM", () => console.log("ignored SIGTERM"))', '1s');
    const pid = Number(/pid=(\d+)/.exec(await child.waitForLine(/^token=v /))?.[1]);
    const t0 = Date.now();
    child.process.kill('SIGTERM');
    // The grace is long enough for a loaded machine to run the handler before the SIGKILL (as the w2 test above).
    await child.waitForLine(/^ignored SIGTERM$/);
    // 128 + SIGKILL: the command ignored the forwarded SIGTERM and was killed at the end of the grace period.
    expect((await child.exited).code).toBe(137);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(950);
    expect(running(pid)).toBe(false);
  });

  it('when the child exits on its own, hush exits with its code', async () => {
    await put('w3/dev/token', 'v');
    const child = watch('w3/dev', 'setTimeout(() => process.exit(9), 300)');
    await child.waitForLine(/^token=v /);
    expect((await child.exited).code).toBe(9);
  });

  it('a change that cannot be applied (a new name collision) is reported once; the child keeps running', async () => {
    await put('w5/dev/db-pw', 'a');
    const child = watch('w5/dev', 'process.on("SIGINT", () => process.exit(0))');
    await child.waitForLine(/^token=undefined /);
    await put('w5/dev/db.pw', 'b');
    await until('the collision report', () => child.stderr().includes('both map to DB_PW'));
    await new Promise((r) => setTimeout(r, 1000));
    expect(child.stderr().match(/both map to DB_PW/g)).toHaveLength(1);
    expect(child.stderr()).toMatch(
      /hush: watch: cannot read the secrets \(w5\/dev\/db-pw and w5\/dev\/db\.pw both map/,
    );
    expect(child.lines.filter((l) => l.startsWith('token='))).toHaveLength(1);
    child.process.kill('SIGINT');
    expect((await child.exited).code).toBe(0);
  });

  it('a burst of writes (one import of 8 secrets) causes exactly one restart (debounced)', async () => {
    await put('w4/dev/token', 'v0');
    // A 1 s interval debounces for 1 s: room for the import's nine commits (each an fsync) on a slow disk.
    const child = watch('w4/dev', 'process.on("SIGINT", () => process.exit(0))', '300ms', '1s');
    await child.waitForLine(/^token=v0 /);
    const doc = Array.from({ length: 8 }, (_, i) => `K${i}=v${i}`).join('\n');
    const imported = await hush(['import', 'w4/dev', '--format', 'env', '--overwrite'], {
      input: `token=v9\n${doc}\n`,
    });
    expect(imported.code).toBe(0);
    await child.waitForLine(/^token=v9 /);
    // Longer than interval + debounce: a second restart would have happened by now.
    await new Promise((r) => setTimeout(r, 3000));
    expect(child.lines.filter((l) => l.startsWith('token='))).toHaveLength(2);
    expect(child.stderr().match(/restarting the command/g)).toHaveLength(1);
    child.process.kill('SIGINT');
    expect((await child.exited).code).toBe(0);
  });
});

/** Running, not a zombie (an orphan's reaper may be slow to collect it): /proc/PID/stat's state is not Z. */
function running(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
