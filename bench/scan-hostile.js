// Hostile-input bench for `hush scan` / `hush redact`: builds each input of issue 13's "stays within bounds" list in
// a temp dir, runs the CLI on it as a child process, and prints peak RSS and wall time per input, then a linearity
// check (time at size N and 2N). Run with `npm run bench:scan-hostile` (builds first).
// HUSH_HOSTILE_SCALE scales the big inputs (default 1 = the sizes of the issue: 70 MB tgz, 95 MB tar, 97 MB push,
// 100 MB lines; 0.1 for a quick run). Peak RSS comes from GNU time (`/usr/bin/time -v`, Debian package `time`); without
// it only times are printed.
import { execFileSync, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import {
  closeSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';

const SCALE = Number(process.env.HUSH_HOSTILE_SCALE ?? 1);
const MB = 1 << 20;
// Test values built from parts, so the repository's own scan (test/scan-self) does not flag this script.
const KEY = ['AKIA', 'Z4XQ7RZ2LMNBVC3D'].join('');
const BIN = resolve(import.meta.dirname, '../bin/hush.js');
const TIME = existsSync('/usr/bin/time') ? '/usr/bin/time' : undefined;
const dir = mkdtempSync(join(tmpdir(), 'hush-hostile-'));
const size = (mb) => Math.max(1, Math.round(mb * SCALE)) * MB;

/** Run the CLI under /usr/bin/time; returns peak RSS (MB), wall seconds and the exit code. */
function measure(args, { stdin, timeoutS = 900 } = {}) {
  const out = join(dir, 'time.txt');
  const input = stdin ? openSync(stdin, 'r') : 'ignore';
  const started = process.hrtime.bigint();
  const cmd = TIME
    ? [TIME, ['-v', '-o', out, process.execPath, BIN, ...args]]
    : [process.execPath, [BIN, ...args]];
  const r = spawnSync(cmd[0], cmd[1], {
    stdio: [input, 'ignore', 'pipe'],
    timeout: timeoutS * 1000,
    env: { ...process.env, GIT_CONFIG_GLOBAL: '/dev/null', GIT_CONFIG_NOSYSTEM: '1' },
    maxBuffer: 256 * MB,
  });
  if (typeof input === 'number') closeSync(input);
  const secs = Number(process.hrtime.bigint() - started) / 1e9;
  let rss = Number.NaN;
  let cpu = Number.NaN;
  let code = r.status;
  if (TIME && existsSync(out)) {
    const text = readFileSync(out, 'utf8');
    rss = Number(/Maximum resident set size \(kbytes\): (\d+)/.exec(text)?.[1] ?? Number.NaN) / 1024;
    // CPU time is the steadier measure on a shared machine: wall time also counts waiting for a core.
    const field = (name) => Number(new RegExp(`${name} time \\(seconds\\): ([\\d.]+)`).exec(text)?.[1]);
    cpu = field('User') + field('System');
    code = Number(/Exit status: (\d+)/.exec(text)?.[1] ?? code);
    rmSync(out, { force: true });
  }
  const note = r.error
    ? ` (${r.error.code === 'ETIMEDOUT' ? `killed after ${timeoutS} s` : r.error.message})`
    : '';
  return { rss, secs, cpu, code, note, stderr: r.stderr?.toString('utf8') ?? '' };
}

/** A text file of `bytes` bytes: config-like lines of random hex (compresses about 2:1, like source code). */
function textFile(path, bytes, secretEvery = 50_000) {
  mkdirSync(dirname(path), { recursive: true });
  const fd = openSync(path, 'w');
  let written = 0;
  let n = 0;
  while (written < bytes) {
    const lines = [];
    for (let i = 0; i < 1000; i++, n++) {
      lines.push(
        n % secretEvery === 7 ? `aws_key = ${KEY}\n` : `setting_${n} = ${randomBytes(24).toString('hex')}\n`,
      );
    }
    const chunk = lines.join('');
    writeSync(fd, chunk);
    written += chunk.length;
  }
  closeSync(fd);
}

/** A ustar archive of the files under `src` (GNU tar, as users make them). */
function tarOf(src, out, gzip) {
  execFileSync('tar', [gzip ? '-czf' : '-cf', out, '-C', src, '.']);
}

/** One line of `bytes` bytes, built by repeating `unit`, written in pieces. */
function lineFile(path, bytes, unit) {
  const fd = openSync(path, 'w');
  const block = unit.repeat(Math.ceil(MB / unit.length));
  for (let w = 0; w < bytes; w += block.length) writeSync(fd, block);
  writeSync(fd, '\n');
  closeSync(fd);
}

const DENSE = `${'pass'}word = "${'Xk9pQ2vL'}mN8rT4wZ" `;
const rows = [];
function row(name, input, result) {
  rows.push({ name, input, ...result });
  const rss = Number.isNaN(result.rss) ? 'n/a' : `${result.rss.toFixed(0)} MB`;
  console.log(
    `${name.padEnd(34)} ${input.padEnd(12)} peak RSS ${rss.padStart(8)}  ${result.secs.toFixed(1).padStart(6)} s  cpu ${result.cpu.toFixed(1).padStart(6)} s  exit ${result.code}${result.note}`,
  );
}

console.log(
  `hostile-input bench, scale ${SCALE}, temp dir ${dir}${TIME ? '' : ' (no /usr/bin/time: RSS n/a)'}`,
);

// Archives.
const tree = join(dir, 'tree');
textFile(join(tree, 'a/app.conf'), size(40));
textFile(join(tree, 'b/big.log'), size(30));
textFile(join(tree, 'c/more.txt'), size(25));
tarOf(tree, join(dir, 'big.tar'), false);
tarOf(tree, join(dir, 'big.tgz'), true);
rmSync(tree, { recursive: true });
const tarMb = (statSync(join(dir, 'big.tar')).size / MB).toFixed(0);
const tgzMb = (statSync(join(dir, 'big.tgz')).size / MB).toFixed(0);
row(
  'scan .tar',
  `${tarMb} MB`,
  measure(['scan', '--max-file-size', String(2048 * MB), join(dir, 'big.tar')]),
);
row(
  'scan .tgz',
  `${tgzMb} MB`,
  measure(['scan', '--max-file-size', String(2048 * MB), join(dir, 'big.tgz')]),
);

// Special files.
const specials = join(dir, 'specials');
mkdirSync(specials);
execFileSync('mkfifo', [join(specials, 'fifo')]);
symlinkSync('/dev/zero', join(specials, 'zero-link'));
row('scan FIFO', 'fifo', measure(['scan', join(specials, 'fifo')], { timeoutS: 60 }));
row('scan symlink to /dev/zero', 'link', measure(['scan', join(specials, 'zero-link')], { timeoutS: 60 }));
row('scan /dev/zero', 'device', measure(['scan', '/dev/zero'], { timeoutS: 60 }));
row('scan /dev/urandom', 'device', measure(['scan', '/dev/urandom'], { timeoutS: 60 }));

// Long keyword-dense lines.
const lineSize = size(100);
lineFile(join(dir, 'dense.txt'), lineSize, DENSE);
row(
  'scan keyword-dense line',
  `${lineSize / MB} MB`,
  measure(['scan', '--max-file-size', String(2048 * MB), join(dir, 'dense.txt')]),
);
row(
  'redact keyword-dense line',
  `${lineSize / MB} MB`,
  measure(['redact'], { stdin: join(dir, 'dense.txt') }),
);

// Names and depth.
const names = join(dir, 'names');
mkdirSync(names);
writeFileSync(Buffer.from(`${names}/bad-\xff-name.env`, 'latin1'), `k=${KEY}\n`);
let deep = join(dir, 'deep');
for (let i = 0; i < 1900; i++) deep = join(deep, 'd');
mkdirSync(deep, { recursive: true });
writeFileSync(join(deep, 'k.env'), `k=${KEY}\n`);
row('scan invalid UTF-8 name', 'tree', measure(['scan', names]));
row('scan 1,900 levels deep', 'tree', measure(['scan', join(dir, 'deep')]));

// An OCI image folder holding a blob over 2 GB (sparse: costs no disk).
const oci = join(dir, 'oci');
mkdirSync(join(oci, 'blobs/sha256'), { recursive: true });
const layer = 'a1b2c3d4e5f6'.padEnd(64, '0');
const manifest = 'abcabcabcabc'.padEnd(64, '3');
writeFileSync(join(oci, 'oci-layout'), '{"imageLayoutVersion":"1.0.0"}');
writeFileSync(join(oci, 'index.json'), JSON.stringify({ manifests: [{ digest: `sha256:${manifest}` }] }));
writeFileSync(
  join(oci, `blobs/sha256/${manifest}`),
  JSON.stringify({ layers: [{ digest: `sha256:${layer}` }] }),
);
execFileSync('truncate', ['-s', '2200M', join(oci, `blobs/sha256/${layer}`)]);
row('scan image folder, 2.2 GB blob', 'folder', measure(['scan', oci]));

// A push: a repository whose last commit adds the files, scanned as pre-receive.
const repo = join(dir, 'repo');
mkdirSync(repo);
const g = (...args) =>
  execFileSync('git', args, {
    cwd: repo,
    env: {
      ...process.env,
      GIT_AUTHOR_NAME: 'b',
      GIT_AUTHOR_EMAIL: 'b@x',
      GIT_COMMITTER_NAME: 'b',
      GIT_COMMITTER_EMAIL: 'b@x',
    },
  })
    .toString()
    .trim();
g('init', '-q', '-b', 'main');
writeFileSync(join(repo, 'README'), 'base\n');
g('add', '.');
g('commit', '-qm', 'base');
const base = g('rev-parse', 'HEAD');
textFile(join(repo, 'data/one.conf'), size(50));
textFile(join(repo, 'data/two.conf'), size(47));
g('add', '.');
g('commit', '-qm', 'big');
const head = g('rev-parse', 'HEAD');
const refs = join(dir, 'refs.txt');
writeFileSync(refs, `${base} ${head} refs/heads/main\n`);
row(
  'scan --pre-receive push',
  `${Math.round(size(97) / MB)} MB`,
  measure(['scan', '--pre-receive', repo], { stdin: refs }),
);

// Linearity: every input whose size can grow, at N and 2N (the specials and the bad name have no size).
console.log(
  '\nlinearity (2N / N; about 2 is linear, about 4 quadratic; CPU time is the steadier measure on a shared machine):',
);
const n = size(16);
const denseArgs = (f) => ['scan', '--max-file-size', String(2048 * MB), f];
const linear = [
  [
    'scan .tar',
    `${n / MB} MB`,
    (k, at) => {
      textFile(join(at, 't/f.conf'), k * n);
      tarOf(join(at, 't'), join(at, 'x.tar'), false);
      return measure(['scan', '--max-file-size', String(2048 * MB), join(at, 'x.tar')]);
    },
  ],
  [
    'scan .tgz',
    `${n / MB} MB`,
    (k, at) => {
      textFile(join(at, 't/f.conf'), k * n);
      tarOf(join(at, 't'), join(at, 'x.tgz'), true);
      return measure(['scan', join(at, 'x.tgz')]);
    },
  ],
  [
    'scan keyword-dense line',
    `${n / MB} MB`,
    (k, at) => {
      lineFile(join(at, 'd.txt'), k * n, DENSE);
      return measure(denseArgs(join(at, 'd.txt')));
    },
  ],
  [
    'redact keyword-dense line',
    `${n / MB} MB`,
    (k, at) => {
      lineFile(join(at, 'd.txt'), k * n, DENSE);
      return measure(['redact'], { stdin: join(at, 'd.txt') });
    },
  ],
  [
    'scan levels deep',
    '1,900 lv',
    (k, at) => {
      // Level by level (relative chdir): the full path of 3,800 levels is over PATH_MAX for mkdir.
      const back = process.cwd();
      process.chdir(at);
      for (let i = 0; i < k * 1900 + 1; i++) {
        mkdirSync(i === 0 ? 'deep' : 'd');
        process.chdir(i === 0 ? 'deep' : 'd');
      }
      writeFileSync('k.env', `k=${KEY}\n`);
      process.chdir(back);
      return measure(['scan', join(at, 'deep')]);
    },
  ],
  [
    'scan image folder, big blob',
    '2.2 GB',
    (k, at) => {
      const o = join(at, 'oci');
      mkdirSync(join(o, 'blobs/sha256'), { recursive: true });
      writeFileSync(join(o, 'oci-layout'), '{"imageLayoutVersion":"1.0.0"}');
      writeFileSync(join(o, 'index.json'), JSON.stringify({ manifests: [{ digest: `sha256:${manifest}` }] }));
      writeFileSync(
        join(o, `blobs/sha256/${manifest}`),
        JSON.stringify({ layers: [{ digest: `sha256:${layer}` }] }),
      );
      execFileSync('truncate', ['-s', `${k * 2200}M`, join(o, `blobs/sha256/${layer}`)]);
      return measure(['scan', o]);
    },
  ],
  [
    'scan --pre-receive push',
    `${n / MB} MB`,
    (k, at) => {
      const r = join(at, 'repo');
      mkdirSync(r);
      const run = (...args) =>
        execFileSync('git', args, {
          cwd: r,
          env: {
            ...process.env,
            GIT_AUTHOR_NAME: 'b',
            GIT_AUTHOR_EMAIL: 'b@x',
            GIT_COMMITTER_NAME: 'b',
            GIT_COMMITTER_EMAIL: 'b@x',
          },
        })
          .toString()
          .trim();
      run('init', '-q', '-b', 'main');
      writeFileSync(join(r, 'README'), 'base\n');
      run('add', '.');
      run('commit', '-qm', 'base');
      const from = run('rev-parse', 'HEAD');
      textFile(join(r, 'data/one.conf'), k * n);
      run('add', '.');
      run('commit', '-qm', 'big');
      writeFileSync(join(at, 'refs.txt'), `${from} ${run('rev-parse', 'HEAD')} refs/heads/main\n`);
      return measure(['scan', '--pre-receive', r], { stdin: join(at, 'refs.txt') });
    },
  ],
];
for (const [name, input, build] of linear) {
  const runs = [1, 2].map((k) => {
    const at = join(dir, `lin-${k}`);
    mkdirSync(at);
    const r = build(k, at);
    execFileSync('rm', ['-rf', at]);
    return r;
  });
  const [a, b] = runs;
  const rss = runs.map((r) => (Number.isNaN(r.rss) ? 'n/a' : `${r.rss.toFixed(0)} MB`)).join(' / ');
  console.log(
    `${name.padEnd(34)} N=${input.padEnd(9)} wall ${a.secs.toFixed(1)} -> ${b.secs.toFixed(1)} s (${(b.secs / a.secs).toFixed(2)}), cpu ${a.cpu.toFixed(1)} -> ${b.cpu.toFixed(1)} s (${(b.cpu / a.cpu).toFixed(2)}), peak RSS ${rss}, exit ${a.code}/${b.code}`,
  );
  rows.push({ name: `${name} 2N`, rss: b.rss });
}

const worst = Math.max(...rows.map((r) => r.rss).filter((x) => !Number.isNaN(x)));
console.log(`\nworst peak RSS ${worst.toFixed(0)} MB (target <= 300 MB)`);
// rm -rf, not rmSync: Node's recursive removal overflows its stack on the 1,900-level tree.
execFileSync('rm', ['-rf', dir]);
