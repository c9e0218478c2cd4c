import { chmod, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertCompiledCli, hushIn, oneLineError, runHush } from './support/run-hush.js';
import { makeTempDir, removeTempDir } from './support/temp-dir.js';

let dir: string;
let hush: ReturnType<typeof hushIn>;

beforeAll(async () => {
  assertCompiledCli();
  dir = await makeTempDir('small-holes');
  hush = hushIn(join(dir, 'data'));
  expect((await hush(['init'])).code).toBe(0);
  expect((await hush(['put', 'app/prod/db'], { input: 'v' })).code).toBe(0);
}, 60_000);
afterAll(() => removeTempDir(dir));

describe('smaller holes (issue 13.13)', () => {
  it('a JSON parse error does not echo the value', async () => {
    const res = await hush(['put', 'app/prod/json', '--json-value'], {
      input: '{"password": hunter2-secret-value}',
    });
    expect(res.code).toBe(2);
    expect(oneLineError(res)).toMatch(/--json-value: the value is not valid JSON/);
    expect(res.stderr).not.toContain('hunter2');
  });

  it('a render template cannot read HUSH_TOKEN or other credential variables', async () => {
    const tpl = join(dir, 'leak.tpl');
    for (const name of ['HUSH_TOKEN', 'AWS_SECRET_ACCESS_KEY', 'GITHUB_TOKEN']) {
      await writeFile(tpl, `t={{ env "${name}" }}\n`);
      const res = await hush(['render', tpl, '--out', '-', '--reveal'], {
        env: { [name]: 'hush_s_canary-token-value' },
      });
      expect(res.code).toBe(2);
      expect(oneLineError(res)).toContain(`environment variable ${name} looks like a credential`);
      expect(res.stdout + res.stderr).not.toContain('canary-token-value');
    }
    await writeFile(tpl, 'r={{ env "REGION" }}\n');
    const ok = await hush(['render', tpl, '--out', '-', '--reveal'], { env: { REGION: 'eu-west-1' } });
    expect(ok.code, ok.stderr).toBe(0);
    expect(ok.stdout).toBe('r=eu-west-1\n');
  });

  it('k8s-secret output refuses a namespace that is not an RFC 1123 label', async () => {
    for (const ns of ['a.b', 'Payments', `${'a'.repeat(64)}`, '-x']) {
      const res = await hush(['export', 'app/prod', '--format', 'k8s-secret', '--namespace', ns, '--reveal']);
      expect(res.code, ns).toBe(2);
      expect(oneLineError(res)).toMatch(/--namespace must be an RFC 1123 label/);
    }
    const ok = await hush([
      'export',
      'app/prod',
      '--format',
      'k8s-secret',
      '--namespace',
      'pay-1',
      '--reveal',
    ]);
    expect(ok.code, ok.stderr).toBe(0);
    expect(ok.stdout).toContain('namespace: pay-1');
  });

  it('hush init refuses a folder others may write to', async () => {
    const open = join(dir, 'open');
    await mkdir(open);
    await chmod(open, 0o777);
    const res = await runHush(['init', '--data-dir', open]);
    expect(res.code).toBe(2);
    expect(oneLineError(res)).toMatch(
      /data directory .*open is writable by other users \(mode 0777\); run chmod 700/,
    );
  });

  it('a root.key readable by others is refused, saying how to fix it', async () => {
    const key = join(dir, 'data', 'root.key');
    await chmod(key, 0o644);
    try {
      const res = await hush(['get', 'app/prod/db', '--reveal']);
      expect(res.code).not.toBe(0);
      expect(oneLineError(res)).toMatch(/root\.key has mode 0644, .*run chmod 600/);
      expect(res.stdout).toBe('');
    } finally {
      await chmod(key, 0o600);
    }
    expect((await hush(['get', 'app/prod/db', '--reveal'])).stdout.trim()).toBe('v');
  });

  it('--max-file-size 0 means no limit, as documented', async () => {
    const scanned = join(dir, 'scanned');
    await mkdir(scanned);
    await writeFile(join(scanned, 'a.txt'), 'nothing to see\n');
    const res = await runHush(['scan', scanned, '--max-file-size', '0']);
    expect(res.code, res.stderr).toBe(0);
    const bad = await runHush(['scan', scanned, '--max-file-size', '-1']);
    expect(oneLineError(bad)).toMatch(/0 = no limit/);
  });
});
