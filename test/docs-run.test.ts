import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { chmod, cp, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from './support/compiled.js';
import { type HushServer, startHushServer } from './support/hush-server.js';
import { HUSH_BIN, runHush } from './support/run-hush.js';
import { makeTempDir, removeTempDir } from './support/temp-dir.js';

// Executable docs: a shell block of README.md or docs/*.md preceded by `<!-- doc-run -->` runs here, as written,
// in file order as one bash session per file (exports carry over, as in a terminal), against a real server on a free
// loopback port with a temporary data directory. `<!-- doc-run: skip REASON -->` marks a block that cannot run in
// CI and says why; every shell block of these files carries one marker or the other, so none is silently left out. The blocks are data: a changed flow needs only a doc edit; the placeholders below are the only
// coupling between the docs and this runner.

interface DocBlock {
  readonly file: string;
  readonly line: number;
  readonly code: string;
  readonly skip?: string;
}

const MARKER = /^<!-- doc-run(?:: skip (.+?))? -->$/;
/** A shell fence, also inside a list item (indented); its code is taken with that indent removed. */
const SHELL_FENCE = /^(\s*)```(?:sh|bash|shell)\s*$/;

interface ShellBlock extends DocBlock {
  readonly marked: boolean;
}

/** Every shell block of a Markdown file, in order, marked or not. */
function shellBlocks(file: string): ShellBlock[] {
  const lines = readFileSync(join(REPO_ROOT, file), 'utf8').split('\n');
  const blocks: ShellBlock[] = [];
  for (let i = 0; i < lines.length; i++) {
    const fence = SHELL_FENCE.exec(lines[i] ?? '');
    if (!fence) continue;
    const indent = fence[1] ?? '';
    let end = i + 1;
    while (end < lines.length && lines[end]?.trim() !== '```') end++;
    const m = MARKER.exec(lines[i - 1]?.trim() ?? '');
    blocks.push({
      file,
      line: i + 2,
      code: lines
        .slice(i + 1, end)
        .map((l) => (l.startsWith(indent) ? l.slice(indent.length) : l))
        .join('\n'),
      marked: m !== null,
      ...(m?.[1] !== undefined ? { skip: m[1] } : {}),
    });
    i = end;
  }
  return blocks;
}

/** The marked blocks of a Markdown file, in order; a marker must stand right above a shell block. */
function markedBlocks(file: string): DocBlock[] {
  const lines = readFileSync(join(REPO_ROOT, file), 'utf8').split('\n');
  lines.forEach((l, i) => {
    if (MARKER.test(l.trim()) && !SHELL_FENCE.test(lines[i + 1] ?? '')) {
      throw new Error(`${file}:${i + 1}: a doc-run marker must be followed by a \`\`\`sh block`);
    }
  });
  return shellBlocks(file).filter((b) => b.marked);
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
  // A reader sees an error reply; the session must stop on one, so curl here fails on an HTTP error (the body is
  // still printed) where a terminal would only show it. Health is the exception: its status is its answer (503
  // while sealed, which docs/incident.md shows on purpose).
  const curl = JSON.stringify(
    spawnSync('bash', ['-c', 'command -v curl'], { encoding: 'utf8' }).stdout.trim(),
  );
  await writeFile(
    join(root, 'bin/curl'),
    `#!/bin/sh\ncase "$*" in *"/v1/sys/health"*) exec ${curl} "$@" ;; esac\nexec ${curl} --fail-with-body "$@"\n`,
  );
  await chmod(join(root, 'bin/curl'), 0o755);
  // The files the examples refer to; each file's session starts from a copy in its own working directory.
  await mkdir(join(root, 'work'));
  await mkdir(join(root, 'tmp'));
  await writeFile(join(root, 'work/pw.txt'), 'pw-from-file');
  await writeFile(join(root, 'work/key.txt'), 'sk_live_from_file');
  await writeFile(join(root, 'work/new-key.txt'), 'sk_live_next_from_file');
  await writeFile(join(root, 'work/secrets.yaml'), 'STRIPE_KEY: sk_live_from_yaml\nRETRIES: "3"\n');
  await writeFile(join(root, 'work/.env'), 'API_URL=https://api.example.test\nLOG_LEVEL=info\n');
  await writeFile(
    join(root, 'work/app.js'),
    'console.log(Object.keys(process.env).length > 0 ? "app ran" : "no env");\n',
  );
  // A reader of a local-mode page has a store in the default data directory (docs/cli.md opens with `hush init`):
  // one is made here once and copied to each file's HOME that does not run `hush init` itself.
  const init = spawnSync(join(root, 'bin/hush'), ['init', '--data-dir', join(root, 'local-store')], {
    encoding: 'utf8',
  });
  expect(init.status, init.stderr).toBe(0);
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
  // Each file is its own reader, with its own HOME and working directory: what one file writes (a local store, an
  // exported .env a later `hush scan .` would find) is not another's.
  const slug = blocks[0]?.file.replace(/[^A-Za-z0-9]/g, '-') ?? 'none';
  const home = join(root, 'homes', slug);
  const cwd = join(root, 'cwd', slug);
  await mkdir(home, { recursive: true, mode: 0o700 });
  await cp(join(root, 'work'), cwd, { recursive: true });
  if (!blocks.some((b) => /^hush init\b/m.test(b.code))) {
    await cp(join(root, 'local-store'), join(home, '.local/share/hush'), { recursive: true });
  }
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
    HOME: home,
    XDG_DATA_HOME: join(home, '.local/share'),
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
    cwd,
    env,
    encoding: 'utf8',
    timeout: 120_000,
  });
  return { code: r.status, out: `${r.stdout}\n${r.stderr}` };
}

describe('executable docs', () => {
  it('every shell block of README.md and docs/*.md runs here or says why it cannot', () => {
    const unmarked = DOC_FILES.flatMap((f) =>
      shellBlocks(f)
        .filter((b) => !b.marked)
        .map((b) => `${b.file}:${b.line - 1}`),
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
