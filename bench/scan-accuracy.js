#!/usr/bin/env node
/**
 * Precision / recall of `hush scan` on the labelled corpus (bench/scan-corpus). Run `npm run build` first.
 * A finding is a true positive when it lands inside a labelled span; a label is found when any finding lands in it.
 * Uses the real engine (dist/scan/engine/scan-text.js `scanText`, the full catalogue), exactly as `hush scan` does.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateCorpus } from './scan-corpus/generate.js';

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
} finally {
  rmSync(dir, { recursive: true, force: true });
}
