#!/usr/bin/env node
/**
 * Labelled corpus for `hush scan` accuracy: realistic files with planted fake credentials (labelled by file, line
 * span and category), hard negatives, and every rule's own examples placed in context.
 * Usage: node bench/scan-corpus/generate.js <out-dir> [seed]   (run `npm run build` first)
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { FAMILY_FILES } from './families.js';
import { createFamilyValues } from './family-values.js';
import { FileBuilder } from './file-builder.js';
import { NEGATIVE_FILES } from './negatives.js';
import { POSITIVE_FILES } from './positives.js';
import { createPrng } from './prng.js';
import { SYNTAX_FILES } from './syntax-variety.js';
import { createValues } from './values.js';

/** Wrap each rule example in a file with unrelated lines around it; the whole example is the labelled span. */
function exampleFiles(rulesByCategory, v) {
  const files = [];
  for (const [category, rules] of Object.entries(rulesByCategory)) {
    for (const rule of rules) {
      rule.examples.forEach((example, k) => {
        // Path-aware rules (credential files, key-only files) are shown their examples under their own path.
        const f = new FileBuilder(
          `rule-examples/${category}/${rule.id}-${k}/${rule.examplePath ?? 'example.txt'}`,
        );
        // A key-only file is the example alone: lines around it would make it another kind of file.
        if (rule.paths && rule.keywords.length === 0) {
          files.push(f.secret(example.replace(/\n$/, ''), category, rule.id, ''));
          return;
        }
        f.add(
          `# fixture for ${category}\nservice_name = "svc-${v.b62(6).toLowerCase()}"\nrequest_id = "${v.uuid()}"`,
        )
          .secret(example.replace(/\n$/, ''), category, rule.id, '')
          .add(`build = "${v.hex(40)}"\n# end`);
        files.push(f);
      });
    }
  }
  return files;
}

/**
 * Generate the corpus into `outDir`: returns the labels (also written to labels.json) and the file list.
 * `deps.checksumSuffix` and `deps.rulesByCategory` come from the built scanner (or the sources, in tests).
 */
export function generateCorpus(
  outDir,
  { seed = 20261123, copies = 3, checksumSuffix, rulesByCategory = {} } = {},
) {
  if (typeof checksumSuffix !== 'function') throw new TypeError('generateCorpus needs deps.checksumSuffix');
  const rng = createPrng(seed);
  const v = createValues(rng, checksumSuffix);
  const fv = createFamilyValues(rng, checksumSuffix);
  const builders = [];
  for (let copy = 0; copy < copies; copy++) {
    for (const make of POSITIVE_FILES) builders.push(make(v, copy));
    for (const make of NEGATIVE_FILES) builders.push(make(v, copy));
    for (const make of SYNTAX_FILES) builders.push(make(v, copy));
    for (const make of FAMILY_FILES) builders.push(make(fv, copy));
  }
  builders.push(...exampleFiles(rulesByCategory, v));
  const labels = [];
  const files = [];
  for (const f of builders) {
    const path = join(outDir, f.path);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, f.text(), { mode: 0o600 });
    files.push(f.path);
    labels.push(...f.labels);
  }
  writeFileSync(join(outDir, 'labels.json'), `${JSON.stringify({ seed, files, labels }, null, 1)}\n`, {
    mode: 0o600,
  });
  return { files, labels };
}

async function main() {
  const [outDir, seedArg] = process.argv.slice(2);
  if (!outDir) {
    console.error('usage: node bench/scan-corpus/generate.js <out-dir> [seed]');
    process.exit(2);
  }
  const { checksumSuffix } = await import('../../dist/scan/checksum/checksum-token.js');
  const { RULES_BY_CATEGORY } = await import('../../dist/scan/rules/index.js');
  const seed = seedArg === undefined ? undefined : Number(seedArg);
  const { files, labels } = generateCorpus(outDir, {
    seed,
    checksumSuffix,
    rulesByCategory: RULES_BY_CATEGORY,
  });
  console.log(`wrote ${files.length} files, ${labels.length} labelled credentials to ${outDir}`);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await main();
