import { execFile, spawn } from 'node:child_process';
import { cp, mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from './support/compiled.js';
import { freePort } from './support/hush-server.js';
import { makeTempDir, removeTempDir } from './support/temp-dir.js';

// The packed tarball, installed globally into a temporary prefix and run from an unrelated directory: what a user
// outside the repository gets from `npm install -g @hush-secrets/hush`.

const run = promisify(execFile);
const PACKAGE = '@hush-secrets/hush';

let tmp: string;
let prefix: string;
let elsewhere: string;
let installed: string;

/** Environment of a user outside the repo: no HUSH_*, a private HOME, the prefix's bin first on PATH. */
function userEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('HUSH_')) env[k] = v;
  env['HOME'] = join(tmp, 'home');
  env['XDG_DATA_HOME'] = join(tmp, 'home/.local/share');
  env['PATH'] = `${join(prefix, 'bin')}:${process.env['PATH'] ?? ''}`;
  return env;
}

/** Run the installed `hush` (found on PATH) from the unrelated directory; a non-zero exit is returned, not thrown. */
async function hush(args: readonly string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run('hush', [...args], { cwd: elsewhere, env: userEnv() });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code?: number; stdout?: string; stderr?: string };
    return { code: e.code ?? -1, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
  }
}

beforeAll(async () => {
  tmp = await makeTempDir('pack');
  prefix = join(tmp, 'prefix');
  elsewhere = join(tmp, 'elsewhere');
  await mkdir(elsewhere);
  await mkdir(join(tmp, 'home'));
  // dist/ is built by `npm test` before this runs, so the pack itself skips the prepare script.
  const packed = await run('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', tmp], {
    cwd: REPO_ROOT,
  });
  const [{ filename }] = JSON.parse(packed.stdout) as [{ filename: string }];
  // --prefer-offline: served from the npm cache when it holds the dependencies, from the registry otherwise.
  // --ignore-scripts: native dependencies would compile from source here (minutes); their build is theirs, not
  // the package's, so the already compiled better-sqlite3 addon of this checkout is copied in below instead.
  await run(
    'npm',
    [
      'install',
      '--global',
      '--prefix',
      prefix,
      '--prefer-offline',
      '--ignore-scripts',
      '--no-audit',
      '--no-fund',
      join(tmp, filename),
    ],
    { cwd: elsewhere, env: userEnv(), maxBuffer: 16 * 1024 * 1024 },
  );
  installed = join(prefix, 'lib/node_modules', PACKAGE);
  // The whole package, not only build/: the install resolves the semver range afresh (no lockfile in a tarball),
  // and a newer better-sqlite3 release's JavaScript must not run against this checkout's compiled addon.
  const sqlite = join(installed, 'node_modules/better-sqlite3');
  await rm(sqlite, { recursive: true, force: true });
  await cp(join(REPO_ROOT, 'node_modules/better-sqlite3'), sqlite, { recursive: true });
}, 300_000);

afterAll(async () => {
  if (tmp) await removeTempDir(tmp);
});

describe('the packed tarball, installed globally', () => {
  it('installs under its own unowned name, ships no tests, and keeps the command `hush`', async () => {
    const manifest = JSON.parse(await readFile(join(installed, 'package.json'), 'utf8')) as {
      name: string;
      bin: Record<string, string>;
    };
    expect(manifest.name).toBe(PACKAGE);
    expect(Object.keys(manifest.bin)).toEqual(['hush']);
    expect(await readdir(join(prefix, 'bin'))).toContain('hush');
    const dist = await readdir(join(installed, 'dist'), { recursive: true });
    expect(dist.filter((f) => f.endsWith('.test.js'))).toEqual([]);
  });

  it('runs `hush --version` and `hush scan` from an unrelated directory', async () => {
    const version = await hush(['--version']);
    expect(version.code).toBe(0);
    expect(version.stdout.trim()).toBe('0.1.0');
    await writeFile(join(elsewhere, 'config.env'), `AWS_ACCESS_KEY_ID=AKIA${'Q7RDW3MZ5KXJ2PLN'}\n`);
    const scan = await hush(['scan', '--json', '.']);
    expect(scan.code, scan.stderr).toBe(1);
    expect(scan.stdout).toContain('config.env');
  });

  it('serves with `hush server` from an unrelated directory', async () => {
    const port = await freePort();
    const child = spawn(
      'hush',
      ['server', '--data-dir', join(tmp, 'data'), '--listen', `127.0.0.1:${port}`],
      { cwd: elsewhere, env: userEnv(), stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (c: string) => {
      out += c;
    });
    child.stderr.setEncoding('utf8').on('data', (c: string) => {
      out += c;
    });
    const exited = new Promise((resolve) => child.on('close', resolve));
    try {
      const deadline = Date.now() + 60_000;
      while (!/listening on/.test(out)) {
        if (child.exitCode !== null || Date.now() > deadline)
          throw new Error(`server did not listen: ${out}`);
        await new Promise((r) => setTimeout(r, 100));
      }
      const res = await fetch(`http://127.0.0.1:${port}/v1/sys/health`);
      expect(res.status).toBe(200);
    } finally {
      child.kill('SIGTERM');
      await exited;
    }
  });

  it('imports every export path of the package', async () => {
    const manifest = JSON.parse(await readFile(join(installed, 'package.json'), 'utf8')) as {
      exports: Record<string, string>;
    };
    const specifiers = Object.keys(manifest.exports).map((k) =>
      k === '.' ? PACKAGE : `${PACKAGE}${k.slice(1)}`,
    );
    expect(specifiers.length).toBeGreaterThanOrEqual(3);
    // A module beside the installed packages resolves them as any dependent program would.
    const probe = join(prefix, 'lib', 'probe.mjs');
    await writeFile(
      probe,
      `const out = {};\nfor (const s of ${JSON.stringify(specifiers)}) out[s] = Object.keys(await import(s)).sort();\nconsole.log(JSON.stringify(out));\n`,
    );
    const { stdout } = await run(process.execPath, [probe], { cwd: elsewhere, env: userEnv() });
    const names = JSON.parse(stdout) as Record<string, string[]>;
    expect(names[PACKAGE]).toEqual(expect.arrayContaining(['createHushClient', 'scanText', 'redactText']));
    expect(names[`${PACKAGE}/client`]).toContain('createHushClient');
    expect(names[`${PACKAGE}/alerts`]).toContain('verifyWebhook');
  });
});
