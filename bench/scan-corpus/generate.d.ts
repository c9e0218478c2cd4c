import type { Rule } from '../../src/scan/rules/rule.js';

/** One planted credential: lines `line`..`endLine` (1-based) of `file` hold it; `needle` is a substring of it. */
export interface CorpusLabel {
  readonly file: string;
  readonly line: number;
  readonly endLine: number;
  readonly category: string;
  readonly kind: string;
  readonly needle: string;
}

export interface CorpusOptions {
  readonly seed?: number;
  readonly copies?: number;
  readonly checksumSuffix: (text: string) => string;
  readonly rulesByCategory?: Readonly<Record<string, readonly Rule[]>>;
}

/** Generate the labelled corpus into `outDir` and return its file list and labels. */
export function generateCorpus(
  outDir: string,
  options: CorpusOptions,
): { files: string[]; labels: CorpusLabel[] };
