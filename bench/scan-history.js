// `hush scan --git` against `git log -p --all` on a generated repository with thousands of commits, with the peak
// RSS of the scan. Usage: npm run build && node bench/scan-history.js [COMMITS=3000] [FILES=300]
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const bin = resolve(here, '../bin/hush.js');
const commits = Number(process.argv[2] ?? 3000);
const files = Number(process.argv[3] ?? 300);
const repo = mkdtempSync(join(tmpdir(), 'hush-history-bench-'));
const env = { ...process.env, GIT_CONFIG_GLOBAL: '/dev/null', GIT_CONFIG_NOSYSTEM: '1' };

// Deterministic pseudo-random text (no secrets needed from a CSPRNG here: this is filler).
let seed = 42;
const rnd = (n) => {
  seed = (seed * 1103515245 + 12345) & 0x7fffffff;
  return seed % n;
};
const words = 'alpha beta gamma delta config value server client token cache queue worker retry limit'.split(
  ' ',
);
const line = () => Array.from({ length: 8 }, () => words[rnd(words.length)]).join(' ');

// Build the history with git fast-import: one process, thousands of commits in a second or two.
const contents = Array.from({ length: files }, () => Array.from({ length: 60 }, line));
const parts = [];
const push = (s) => parts.push(s);
const data = (s) => push(`data ${Buffer.byteLength(s)}\n${s}\n`);
for (let c = 1; c <= commits; c++) {
  push(`commit refs/heads/${c % 10 === 0 ? 'side' : 'main'}\nmark :${c}\n`);
  push(
    `author Bench <bench@example.com> ${1700000000 + c} +0000\ncommitter Bench <bench@example.com> ${1700000000 + c} +0000\n`,
  );
  data(`commit ${c}`);
  if (c > 1) push(`from :${c - 1}\n`);
  for (let k = 0; k < 3; k++) {
    const f = rnd(files);
    const body = contents[f];
    body[rnd(body.length)] =
      c % 250 === 0
        ? `aws_key = AKIAZ4XQ7RZ2L${String(c)
            .padStart(7, 'Q')
            .replace(/[0189]/g, 'K')}`
        : line();
    push(`M 100644 inline src/mod${f}/file${f}.txt\n`);
    data(`${body.join('\n')}\n`);
  }
}
execFileSync('git', ['init', '-q', '-b', 'main', repo], { env });
execFileSync('git', ['fast-import', '--quiet'], {
  cwd: repo,
  input: parts.join(''),
  env,
  maxBuffer: 1 << 30,
});

function timed(cmd, args, opts = {}) {
  const t = process.hrtime.bigint();
  const r = spawnSync('/usr/bin/time', ['-f', '%U %S %M', cmd, ...args], {
    cwd: repo,
    env,
    encoding: 'utf8',
    maxBuffer: 1 << 30,
    ...opts,
  });
  const secs = Number(process.hrtime.bigint() - t) / 1e9;
  const [user, sys, rssKb] = (r.stderr.trim().split('\n').pop() ?? '').split(' ').map(Number);
  return { secs, cpu: user + sys, rssMb: rssKb / 1024, r };
}

spawnSync('git', ['log', '-p', '--all'], { cwd: repo, stdio: 'ignore' }); // warm caches
// Best of three runs each: the machine may be shared, and the minimum is the least noisy estimate.
const best = (runs) => runs.reduce((a, b) => (b.secs < a.secs ? b : a));
const gitLog = best([1, 2, 3].map(() => timed('sh', ['-c', 'git log -p --all > /dev/null'])));
const hush = best(
  [1, 2, 3].map(() => timed(process.execPath, [bin, 'scan', '--git', '.', '--format', 'json'])),
);
const report = JSON.parse(hush.r.stdout);
const mb = report.stats.bytes / 1e6;
console.log(
  `repo: ${commits} commits, ${files} files; ${report.stats.items} unique text blobs, ${mb.toFixed(1)} MB`,
);
console.log(`git log -p --all: ${gitLog.secs.toFixed(2)} s (CPU ${gitLog.cpu.toFixed(2)} s)`);
console.log(
  `hush scan --git:  ${hush.secs.toFixed(2)} s (${(mb / hush.secs).toFixed(1)} MB/s), ${report.findings.length} findings, peak RSS ${hush.rssMb.toFixed(0)} MB`,
);
console.log(`hush CPU (node and its git children): ${hush.cpu.toFixed(2)} s`);
console.log(
  `ratio hush/git-log: ${(hush.secs / gitLog.secs).toFixed(2)}x wall, ${(hush.cpu / gitLog.cpu).toFixed(2)}x CPU (target <= 2x); RSS target <= 300 MB`,
);
if (process.env.KEEP) console.log(`kept ${repo}`);
else rmSync(repo, { recursive: true, force: true });
