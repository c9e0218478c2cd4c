import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { chmod, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from './support/compiled.js';
import { type HushServer, startHushServer } from './support/hush-server.js';
import { HUSH_BIN, runHush } from './support/run-hush.js';
import { makeTempDir, removeTempDir } from './support/temp-dir.js';

// Executable docs: a shell block of README.md or docs/*.md preceded by `<!-- doc-run -->` runs here, as written,
// in file order as one bash session per file (exports carry over, as in a terminal), against a real server on a free
// loopback port with a temporary data directory. `<!-- doc-run: skip REASON -->` marks a block that cannot run in
// CI and says why. The blocks are data: a changed flow needs only a doc edit; the placeholders below are the only
// coupling between the docs and this runner.

interface DocBlock {
  readonly file: string;
  readonly line: number;
  readonly code: string;
  readonly skip?: string;
}

const MARKER = /^<!-- doc-run(?:: skip (.+?))? -->$/;

/** The marked blocks of a Markdown file, in order. */
function markedBlocks(file: string): DocBlock[] {
  const lines = readFileSync(join(REPO_ROOT, file), 'utf8').split('\n');
  const blocks: DocBlock[] = [];
  for (let i = 0; i < lines.length; i++) {
    const m = MARKER.exec(lines[i]?.trim() ?? '');
    if (!m) continue;
    if (!/^```(?:sh|bash)\s*$/.test(lines[i + 1] ?? '')) {
      throw new Error(`${file}:${i + 1}: a doc-run marker must be followed by a \`\`\`sh block`);
    }
    const end = lines.indexOf('```', i + 2);
    blocks.push({
      file,
      line: i + 2,
      code: lines.slice(i + 2, end).join('\n'),
      ...(m[1] !== undefined ? { skip: m[1] } : {}),
    });
  }
  return blocks;
}

const DOC_FILES = ['README.md', ...readdirSync(join(REPO_ROOT, 'docs')).map((f) => `docs/${f}`)].filter((f) =>
  f.endsWith('.md'),
);
const ALL = DOC_FILES.flatMap(markedBlocks);

let root: string;
let server: HushServer;

beforeAll(async () => {
  root = await makeTempDir('docs-run');
  // One server for every file (starting one per file would double the run time); each file gets its own token.
  // docs/certificates.md probes its own `openssl s_server` on 127.0.0.1:18443, as its readers allow it.
  server = await startHushServer({
    dataDir: join(root, 'server-data'),
    env: { HUSH_OUTBOUND_ALLOW: 'localhost:18443,127.0.0.1:18443' },
  });
  // The `hush` a reader has on PATH, and the files the examples refer to.
  await mkdir(join(root, 'bin'));
  await writeFile(
    join(root, 'bin/hush'),
    `#!/bin/sh\nexec ${JSON.stringify(process.execPath)} ${JSON.stringify(HUSH_BIN)} "$@"\n`,
  );
  await chmod(join(root, 'bin/hush'), 0o755);
  await mkdir(join(root, 'work'));
  await mkdir(join(root, 'home'));
  await mkdir(join(root, 'tmp'));
  await writeFile(join(root, 'work/pw.txt'), 'pw-from-file');
  await writeFile(
    join(root, 'work/app.js'),
    'console.log(Object.keys(process.env).length > 0 ? "app ran" : "no env");\n',
  );
}, 120_000);

afterAll(async () => {
  await server?.stop();
  if (root) await removeTempDir(root);
});

/**
 * What a reader fills in by hand, for one file: the server address, and a fresh root-policy child token with its
 * accessor (a file that revokes "its" token, as docs/identity.md does, then leaves the other files theirs).
 */
async function placeholdersFor(): Promise<{ token: string; placeholders: Array<[string | RegExp, string]> }> {
  const env = { HUSH_ADDR: server.url, HUSH_TOKEN: server.rootToken ?? '' };
  const created = await runHush(['token', 'create', '--policy', 'root', '--json'], { env });
  expect(created.code, created.stderr).toBe(0);
  const { token, auth } = JSON.parse(created.stdout) as { token: string; auth: { accessor: string } };
  const placeholders: Array<[string | RegExp, string]> = [
    ['http://127.0.0.1:8200', server.url],
    ['https://hush.example:8200', server.url],
    ['/var/lib/hush', join(root, 'server-data')],
    [/hush_s_\.\.\./g, token],
    [/acc_\.\.\./g, auth.accessor],
  ];
  return { token, placeholders };
}

/** Run the blocks of one file as one bash session; a failing block is named by file and line. */
async function runSession(blocks: readonly DocBlock[]): Promise<{ code: number | null; out: string }> {
  const { token, placeholders } = await placeholdersFor();
  const script = ['set -eo pipefail'];
  for (const b of blocks) {
    let code = b.code;
    for (const [from, to] of placeholders) code = code.replaceAll(from, to);
    script.push(`echo "--- doc block ${b.file}:${b.line}" >&2`, code);
  }
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('HUSH_')) env[k] = v;
  Object.assign(env, {
    PATH: `${join(root, 'bin')}:${process.env['PATH'] ?? ''}`,
    HOME: join(root, 'home'),
    XDG_DATA_HOME: join(root, 'home/.local/share'),
    TMPDIR: join(root, 'tmp'),
    DB_PASSWORD: 'db-pass-from-env',
    OPS_TOKEN: token,
    SUSPECTED_TOKEN: 'hush_s_suspected-leak-example',
    // A reader's git knows who they are.
    GIT_AUTHOR_NAME: 'Doc Reader',
    GIT_AUTHOR_EMAIL: 'reader@example.test',
    GIT_COMMITTER_NAME: 'Doc Reader',
    GIT_COMMITTER_EMAIL: 'reader@example.test',
  });
  const r = spawnSync('bash', ['-c', script.join('\n')], {
    cwd: join(root, 'work'),
    env,
    encoding: 'utf8',
    timeout: 120_000,
  });
  return { code: r.status, out: `${r.stdout}\n${r.stderr}` };
}

describe('executable docs', () => {
  it("README.md's every shell block runs here or says why it cannot", () => {
    const lines = readFileSync(join(REPO_ROOT, 'README.md'), 'utf8').split('\n');
    const unmarked = lines.flatMap((l, i) =>
      /^```(?:sh|bash)\s*$/.test(l) && !MARKER.test(lines[i - 1]?.trim() ?? '') ? [`README.md:${i + 1}`] : [],
    );
    expect(unmarked).toEqual([]);
  });

  it('every marked block is a shell block, and every skip says why', () => {
    expect(ALL.filter((b) => b.skip === undefined).length).toBeGreaterThanOrEqual(3);
    for (const b of ALL)
      if (b.skip !== undefined) expect(b.skip.length, `${b.file}:${b.line}`).toBeGreaterThan(10);
  });

  for (const file of DOC_FILES) {
    const blocks = ALL.filter((b) => b.file === file && b.skip === undefined);
    if (blocks.length === 0) continue;
    it(`${file}: the marked blocks run as written`, async () => {
      const { code, out } = await runSession(blocks);
      expect(code, out).toBe(0);
    }, 120_000);
  }
});
