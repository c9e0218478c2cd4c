// Throughput of `hush scan` on a large tree, next to ripgrep searching the same tree for a handful of the same
// patterns. Usage: npm run build && node bench/scan-speed.js [DIR]   (default: this repo's node_modules)
import { spawnSync } from 'node:child_process';
import { realpathSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runScan } from '../dist/scan/run-scan.js';
import { fsSource } from '../dist/scan/sources/fs-source.js';

const here = dirname(fileURLToPath(import.meta.url));
const target = realpathSync(resolve(process.argv[2] ?? resolve(here, '../node_modules')));

if (spawnSync('rg', ['--version']).error) {
  console.log('ripgrep (rg) is not installed; install it with: apt-get install -y ripgrep');
  process.exit(0);
}

const PATTERNS = [
  '(AKIA|ASIA)[A-Z2-7]{16}',
  'ghp_[A-Za-z0-9]{36}',
  'xox[bp]-[0-9]{10,13}-[0-9]{10,13}',
  '-----BEGIN [A-Z ]*PRIVATE KEY-----',
  '(?i)(password|passwd|pwd)["\']?\\s*[:=]',
];

function time(fn) {
  const t = process.hrtime.bigint();
  const out = fn();
  return { out, secs: Number(process.hrtime.bigint() - t) / 1e9 };
}

// rg gets --no-ignore: hush reads the .gitignore files inside packages but rg (in a git checkout) also
// applies the parent's, which hides the whole tree. Warm the page cache once so neither tool pays for cold reads.
spawnSync('rg', ['--hidden', '--no-ignore-vcs', '-c', 'zzzz-warm', target], { stdio: 'ignore' });

// Best of three runs each: the machine may be shared, and the minimum is the least noisy estimate.
let result;
let hushSecs = Number.POSITIVE_INFINITY;
// CPU time of each run (user + system of this process, where the scan runs): less sensitive to other load than wall.
const hushCpu = [];
for (let i = 0; i < 3; i++) {
  const t0 = process.hrtime.bigint();
  const c0 = process.cpuUsage();
  result = await runScan([fsSource({ roots: [target] })]);
  const c = process.cpuUsage(c0);
  hushCpu.push((c.user + c.system) / 1e6);
  hushSecs = Math.min(hushSecs, Number(process.hrtime.bigint() - t0) / 1e9);
}
const mb = result.bytes / 1e6;

const rgArgs = ['--hidden', '--no-ignore', '-c', ...PATTERNS.flatMap((p) => ['-e', p]), target];
const bestOf = (fn) => [fn(), fn(), fn()].reduce((a, b) => (b.secs < a.secs ? b : a));
const rg = bestOf(() => time(() => spawnSync('rg', rgArgs, { stdio: 'ignore' })));
const rg1 = bestOf(() => time(() => spawnSync('rg', ['-j1', ...rgArgs], { stdio: 'ignore' })));

const rss = process.memoryUsage().rss / 1e6;
console.log(`target: ${target}`);
console.log(
  `hush scan: ${result.units} files, ${mb.toFixed(1)} MB in ${hushSecs.toFixed(2)} s = ${(mb / hushSecs).toFixed(1)} MB/s, ${result.findings.length} findings, RSS ${rss.toFixed(0)} MB`,
);
console.log(`hush CPU per run: ${hushCpu.map((c) => c.toFixed(2)).join(', ')} s`);
console.log(
  `rg (${PATTERNS.length} patterns, all cores): ${rg.secs.toFixed(2)} s = ${(mb / rg.secs).toFixed(1)} MB/s`,
);
console.log(`rg -j1 (one thread):      ${rg1.secs.toFixed(2)} s = ${(mb / rg1.secs).toFixed(1)} MB/s`);
console.log(
  `ratio hush/rg: ${(hushSecs / rg.secs).toFixed(1)}x (target <= 20x); hush/rg -j1: ${(hushSecs / rg1.secs).toFixed(1)}x`,
);
