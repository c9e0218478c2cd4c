// hush crypt: decrypt 500 encrypted YAML files (one file set), against `age -d` of the same 500 plaintexts.
//
//   npx tsc -p tsconfig.build.json && node bench/crypt-bench.js [--files 500]
//
// Hush opens the set in one process with one data-key unwrap (the per-command cache); the baseline runs the real
// age CLI once per file, as a per-file tool does. Both sides are measured here, in the same run, and the ratio is
// printed; nothing is asserted (speed targets live in bench/, not in tests).
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(fileURLToPath(import.meta.url), '../..');
const { createDataKeys, encryptFiles, loadAgeIdentities, openFile } = await import(
  join(root, 'dist/crypt/index.js')
);

const n = Number(process.argv[process.argv.indexOf('--files') + 1]) || 500;
const dir = mkdtempSync(join(tmpdir(), 'hush-crypt-bench-'));
try {
  execFileSync('age-keygen', ['-o', join(dir, 'key.txt')], { stdio: 'ignore' });
  const recipient = /age1\w+/.exec(readFileSync(join(dir, 'key.txt'), 'utf8'))[0];
  const files = [];
  for (let i = 0; i < n; i++) {
    const text = `service: svc-${i}\ndb:\n  user: app${i}\n  password: pw-${i}-${'x'.repeat(24)}\n  port: ${5000 + i}\napi:\n  token: tok-${i}-${'y'.repeat(32)}\n  retries: 3\n`;
    const f = join(dir, `f${i}.yaml`);
    writeFileSync(f, text);
    writeFileSync(`${f}.plain`, text);
    files.push(f);
  }
  const env = { SOPS_AGE_KEY_FILE: join(dir, 'key.txt'), HOME: dir };
  const ctx = async () => ({
    dataKeys: createDataKeys(await loadAgeIdentities(env), undefined),
    now: () => new Date(),
    cwd: dir,
  });
  for (const o of await encryptFiles(files, { recipients: { age: [recipient], transit: [] } }, await ctx()))
    writeFileSync(o.file, o.text);
  for (const f of files) execFileSync('age', ['-r', recipient, '-o', `${f}.age`, `${f}.plain`]);

  const t0 = process.hrtime.bigint();
  const c = await ctx();
  for (const f of files) await openFile(f, undefined, c);
  const hushMs = Number(process.hrtime.bigint() - t0) / 1e6;

  const t1 = process.hrtime.bigint();
  for (const f of files) {
    const r = spawnSync('age', ['-d', '-i', join(dir, 'key.txt'), `${f}.age`]);
    if (r.status !== 0) throw new Error(`age -d failed on ${f}`);
  }
  const ageMs = Number(process.hrtime.bigint() - t1) / 1e6;

  const t2 = process.hrtime.bigint();
  const cli = spawnSync(process.execPath, [join(root, 'bin/hush.js'), 'crypt', 'decrypt', '-i', ...files], {
    env: { ...process.env, ...env },
  });
  if (cli.status !== 0) throw new Error(`hush crypt decrypt failed: ${cli.stderr}`);
  const cliMs = Number(process.hrtime.bigint() - t2) / 1e6;

  console.log(`files: ${n} YAML files of 6 values, one file set (one age-wrapped data key)`);
  console.log(
    `hush crypt, in process (values + MAC checked): ${hushMs.toFixed(0)} ms (${(hushMs / n).toFixed(2)} ms/file)`,
  );
  console.log(
    `hush crypt decrypt -i, one CLI run:           ${cliMs.toFixed(0)} ms (includes node start-up and ${n} atomic writes)`,
  );
  console.log(
    `age -d, one run per file (baseline):          ${ageMs.toFixed(0)} ms (${(ageMs / n).toFixed(2)} ms/file)`,
  );
  console.log(
    `ratio age/hush: in process ${(ageMs / hushMs).toFixed(1)}x, CLI ${(ageMs / cliMs).toFixed(1)}x`,
  );
} finally {
  rmSync(dir, { recursive: true, force: true });
}
