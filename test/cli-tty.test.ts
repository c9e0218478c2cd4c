import { spawnSync } from 'node:child_process';

import { afterAll, beforeAll, expect, it } from 'vitest';
import { REPO_ROOT } from './support/compiled.js';
import { describeWithTool } from './support/require-tool.js';
import { assertCompiledCli, HUSH_BIN, hushIn } from './support/run-hush.js';
import { makeTempDir, removeTempDir } from './support/temp-dir.js';

const VALUE = 'tty-visible-secret-value-42';
let dir: string;

/** Run hush with stdout on a real pseudo-terminal (util-linux `script`), returning what the terminal showed. */
function onTty(args: readonly string[]): { code: number; text: string } {
  const quoted = [process.execPath, HUSH_BIN, ...args, '--data-dir', dir].map((a) => `'${a}'`).join(' ');
  const res = spawnSync('script', ['-qec', quoted, '/dev/null'], { cwd: REPO_ROOT, encoding: 'utf8' });
  return { code: res.status ?? -1, text: `${res.stdout}${res.stderr}` };
}

beforeAll(async () => {
  assertCompiledCli();
  dir = await makeTempDir('cli-tty');
  const hush = hushIn(dir);
  await hush(['init']);
  await hush(['put', 'tty/dev/s'], { input: VALUE });
  await hush(['put', 'tty/dev/obj', 'user=app', `password=${VALUE}`]);
});
afterAll(() => removeTempDir(dir));

describeWithTool('script', 'bsdutils', ['--version'], 'masked output on a terminal', () => {
  it('get masks on a TTY; --reveal and --field show the value', () => {
    const masked = onTty(['get', 'tty/dev/s']);
    expect(masked.code).toBe(0);
    expect(masked.text).toContain('masked; --reveal to show');
    expect(masked.text).toContain('tty********42');
    expect(masked.text).not.toContain(VALUE);
    const obj = onTty(['get', 'tty/dev/obj']);
    expect(obj.text).toMatch(/password: tty\*{8}42/);
    expect(obj.text).not.toContain(VALUE);
    expect(onTty(['get', 'tty/dev/s', '--reveal']).text).toContain(VALUE);
    expect(onTty(['get', 'tty/dev/obj', '--field', 'password']).text).toContain(VALUE);
  });

  it('export refuses to print values to a terminal unless --reveal', () => {
    const refused = onTty(['export', 'tty/dev']);
    expect(refused.code).toBe(2);
    expect(refused.text).toMatch(/export would print secret values to the terminal.*\[HUSH_E_USAGE\]/);
    expect(refused.text).not.toContain(VALUE);
    expect(onTty(['export', 'tty/dev', '--reveal']).text).toContain(VALUE);
  });
});
