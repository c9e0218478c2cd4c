#!/usr/bin/env node
/**
 * Precision / recall of `hush scan` on the labelled corpus (bench/scan-corpus). Run `npm run build` first.
 * A finding is a true positive when it lands inside a labelled span; a label is found when any finding lands in it.
 * Uses the real engine (dist/scan/engine/scan-text.js `scanText`, the full catalogue), exactly as `hush scan` does.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeBinaryCases } from './scan-corpus/family-binary.js';
import { generateCorpus } from './scan-corpus/generate.js';
import { independentFiles } from './scan-corpus/independent-files.js';

const dist = new URL('../dist/scan/', import.meta.url);
const { checksumSuffix } = await import(new URL('checksum/checksum-token.js', dist).href);
const { ALL_RULES, RULES_BY_CATEGORY, ruleCategory } = await import(new URL('rules/index.js', dist).href);

async function loadScanner() {
  // Always the real engine (keyword prefilter, regions, false-positive filters, decode layers), as `hush scan` runs.
  const entry = new URL('engine/scan-text.js', dist);
  let engine;
  try {
    engine = await import(entry.href);
  } catch (err) {
    console.error(`cannot load ${entry.pathname} (${err.message}); run \`npm run build\` first`);
    process.exit(2);
  }
  return {
    mode: 'engine scanText (dist/scan/engine/scan-text.js)',
    scan: (text, path) => engine.scanText(text, { path }),
  };
}

const ratio = (a, b) => (b === 0 ? 1 : a / b);
const pct = (x) => `${(x * 100).toFixed(1)}%`;

function evaluate(files, labels, findingsByFile, subset) {
  const inSubset = (file) => subset(file);
  const byCat = new Map();
  const cat = (c) => {
    if (!byCat.has(c)) byCat.set(c, { tp: 0, fp: 0, found: 0, labels: 0 });
    return byCat.get(c);
  };
  const totals = { tp: 0, fp: 0, found: 0, labels: 0 };
  const falsePositives = [];
  const missed = [];
  for (const file of files.filter(inSubset)) {
    const spans = labels.filter((l) => l.file === file);
    for (const f of findingsByFile.get(file) ?? []) {
      const span = spans.find((l) => f.line >= l.line && f.line <= l.endLine);
      const hit = span !== undefined;
      // A true positive counts for the family of the credential it found, a false alarm for the rule's family.
      const c = cat(hit ? span.category : (ruleCategory(f.ruleId) ?? 'unknown'));
      if (hit) {
        totals.tp++;
        c.tp++;
      } else {
        totals.fp++;
        c.fp++;
        falsePositives.push(`${file}:${f.line} ${f.ruleId}`);
      }
    }
    for (const l of spans) {
      const found = (findingsByFile.get(file) ?? []).some((f) => f.line >= l.line && f.line <= l.endLine);
      totals.labels++;
      cat(l.category).labels++;
      if (found) {
        totals.found++;
        cat(l.category).found++;
      } else missed.push(`${file}:${l.line} ${l.kind}`);
    }
  }
  return { totals, byCat, falsePositives, missed };
}

function print(title, { totals, byCat, falsePositives, missed }) {
  console.log(`\n== ${title}`);
  console.log(
    `overall: precision ${pct(ratio(totals.tp, totals.tp + totals.fp))} (${totals.tp} TP / ${totals.fp} FP), recall ${pct(ratio(totals.found, totals.labels))} (${totals.found}/${totals.labels})`,
  );
  for (const [c, s] of [...byCat.entries()].sort()) {
    console.log(
      `  ${c.padEnd(15)} precision ${pct(ratio(s.tp, s.tp + s.fp)).padStart(6)} (${s.tp}/${s.tp + s.fp})  recall ${pct(ratio(s.found, s.labels)).padStart(6)} (${s.found}/${s.labels})`,
    );
  }
  if (falsePositives.length)
    console.log(`  false positives (first 40):\n    ${falsePositives.slice(0, 40).join('\n    ')}`);
  if (missed.length) console.log(`  missed (first 40):\n    ${missed.slice(0, 40).join('\n    ')}`);
}

/** Per-family figures of the author's realistic files beside the independent corpus's. */
function compare(author, indep) {
  const fmt = (s) =>
    s
      ? `P ${pct(ratio(s.tp, s.tp + s.fp)).padStart(6)} R ${pct(ratio(s.found, s.labels)).padStart(6)}`
      : '       -        ';
  console.log('\n== per family: author realistic | independent');
  const cats = new Set([...author.byCat.keys(), ...indep.byCat.keys()]);
  for (const c of [...cats].sort())
    console.log(`  ${c.padEnd(17)} ${fmt(author.byCat.get(c))} | ${fmt(indep.byCat.get(c))}`);
  console.log(`  ${'overall'.padEnd(17)} ${fmt(author.totals)} | ${fmt(indep.totals)}`);
}

/**
 * Binary Hush material (snapshots, BYOK keys and wrapped keys) and same-sized look-alikes, judged by the tree scan
 * (dist/scan/run-scan.js over fsSource) as `hush scan DIR` does: a file is a true positive when the expected rule
 * fires on it, a false positive when any structural rule fires on a look-alike (or the wrong rule on a positive).
 */
async function binaryFamily(root) {
  const { runScan } = await import(new URL('run-scan.js', dist).href);
  const { fsSource } = await import(new URL('sources/fs-source.js', dist).href);
  const cases = writeBinaryCases(root);
  const result = await runScan([fsSource({ roots: [root] })]);
  const binaryRule = /^hush-(snapshot-file|byok-key|byok-wrapped-key)$/;
  const t = { tp: 0, fp: 0, found: 0, labels: 0 };
  const wrong = [];
  for (const c of cases) {
    const hits = result.findings.filter((f) => f.path === join(root, c.file) && binaryRule.test(f.ruleId));
    if (c.expected) t.labels++;
    if (c.expected && hits.some((f) => f.ruleId === c.expected)) t.found++;
    for (const f of hits) {
      if (f.ruleId === c.expected) t.tp++;
      else {
        t.fp++;
        wrong.push(`${c.file} ${f.ruleId}`);
      }
    }
    if (c.expected && !hits.length) wrong.push(`${c.file} missed (${c.expected})`);
  }
  console.log(
    `\n== binary Hush material (${cases.length} files, ${t.labels} labelled; tree scan, head-only reads)`,
  );
  console.log(
    `  hush-binary       precision ${pct(ratio(t.tp, t.tp + t.fp))} (${t.tp}/${t.tp + t.fp})  recall ${pct(ratio(t.found, t.labels))} (${t.found}/${t.labels})`,
  );
  if (wrong.length) console.log(`  errors:\n    ${wrong.join('\n    ')}`);
}

const dir = mkdtempSync(join(tmpdir(), 'hush-scan-corpus-'));
try {
  const { files, labels } = generateCorpus(dir, { checksumSuffix, rulesByCategory: RULES_BY_CATEGORY });
  const { mode, scan } = await loadScanner();
  console.log(`scanner: ${mode}`);
  console.log(
    `corpus: ${files.length} files, ${labels.length} labelled credentials, ${ALL_RULES.length} rules`,
  );
  const findingsByFile = new Map();
  const start = performance.now();
  let bytes = 0;
  for (const file of files) {
    const text = readFileSync(join(dir, file), 'utf8');
    bytes += text.length;
    findingsByFile.set(file, await scan(text, file));
  }
  const ms = performance.now() - start;
  console.log(`scanned ${(bytes / 1024).toFixed(0)} KB in ${ms.toFixed(0)} ms`);
  const realistic = (f) => !f.startsWith('rule-examples/');
  print(
    'realistic files (independent values + hard negatives)',
    evaluate(files, labels, findingsByFile, realistic),
  );
  print(
    'rule examples in context',
    evaluate(files, labels, findingsByFile, (f) => !realistic(f)),
  );
  print(
    'all',
    evaluate(files, labels, findingsByFile, () => true),
  );
  // The reviewer's corpus, written apart from the rules and the corpus above (see independent-files.js).
  const independent = independentFiles({ checksumSuffix });
  const iFiles = independent.map((f) => f.path);
  const iLabels = independent.flatMap((f) => f.labels);
  for (const f of independent) findingsByFile.set(f.path, await scan(f.text(), f.path));
  const authorRealistic = evaluate(files, labels, findingsByFile, realistic);
  const indep = evaluate(iFiles, iLabels, findingsByFile, () => true);
  print(
    `independent (${iFiles.length} files, ${iLabels.length} labelled credentials; reviewer-written)`,
    indep,
  );
  compare(authorRealistic, indep);
  await binaryFamily(join(dir, 'binary'));
} finally {
  rmSync(dir, { recursive: true, force: true });
}
