import { readFile, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { hushError } from '../core/errors/index.js';
import type { RegexSandbox } from './config/regex-sandbox.js';
import type { ScanConfig } from './config/scan-config.js';
import { type Baseline, parseBaseline } from './engine/baseline.js';
import { ALL_RULES } from './rules/index.js';
import type { Rule } from './rules/rule.js';
import type { ScanSource, SourceWarning } from './sources/source.js';

/** What the user asked for, as parsed by the CLI. */
export interface ScanRequest {
  readonly targets: readonly string[];
  readonly git?: boolean;
  readonly staged?: boolean;
  readonly range?: string;
  readonly preReceive?: boolean;
  readonly exclude?: readonly string[];
  readonly config?: string;
  readonly baseline?: string;
  readonly maxFileSize?: number;
  readonly archives?: boolean;
  /** Let a repository's own `.hush-scan.yaml` disable built-in rules (the operator trusts the repository). */
  readonly trustRepoConfig?: boolean;
}

/** The resolved plan: sources, rules and baseline. */
export interface ScanPlan {
  readonly sources: ScanSource[];
  readonly rules: readonly Rule[];
  readonly baseline?: Baseline;
  /** The config file used, if any, with who wrote it (reports name it). */
  readonly config?: Pick<ScanConfig, 'path' | 'trust' | 'rules' | 'exclude' | 'disable' | 'refused'>;
  /** What the plan left out (parts of a repository config), as scan warnings. */
  readonly warnings: readonly SourceWarning[];
  /**
   * Where the repository config's rules run (a worker under a time budget); after the scan, its `failures` are
   * rules that were stopped, so the scan is not complete. Absent when no repository rule is in play.
   */
  readonly sandbox?: Pick<RegexSandbox, 'failures' | 'stopBy' | 'close'>;
}

const DEFAULT_CONFIGS = ['.hush-scan.yaml', '.hush-scan.yml', '.hush-scan.json'];

/**
 * The operator's `--config FILE` (trusted), else the first default config in the scanned directory (or the current
 * one): that file belongs to the repository being scanned, so it is parsed as `repository` config (limited) unless
 * the operator passed --trust-repo-config.
 */
async function loadConfig(
  explicit: string | undefined,
  dirs: readonly string[],
  trustRepo: boolean,
): Promise<ScanConfig | undefined> {
  const candidates = explicit ? [explicit] : dirs.flatMap((d) => DEFAULT_CONFIGS.map((f) => join(d, f)));
  for (const file of candidates) {
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch {
      if (explicit) throw hushError('NO_SCAN_CONFIG', { file });
      continue;
    }
    // zod and yaml load only when there is a config: most scans have none, and startup time counts in hooks.
    const { parseScanConfig } = await import('./config/scan-config.js');
    const trust = explicit ? 'operator' : trustRepo ? 'trusted-repository' : 'repository';
    return parseScanConfig(text, file, trust);
  }
  return undefined;
}

/** Where a repository's own scan config is looked for: the scanned directory, then the current one. */
async function configDirs(req: ScanRequest): Promise<string[]> {
  const first = req.targets.find((t) => t !== '-');
  const dirs: string[] = [];
  if (first && (await stat(first).catch(() => undefined))?.isDirectory()) dirs.push(first);
  if (!dirs.some((d) => resolve(d) === resolve('.'))) dirs.push('.');
  return dirs;
}

async function readAll(stream: NodeJS.ReadableStream): Promise<string> {
  const parts: Buffer[] = [];
  for await (const c of stream) parts.push(Buffer.isBuffer(c) ? c : Buffer.from(String(c)));
  return Buffer.concat(parts).toString('utf8');
}

/** The patterns of `<dir>/.hushignore` (none when absent). */
async function topHushignore(dir: string): Promise<string[]> {
  const text = await readFile(join(dir, '.hushignore'), 'utf8').catch(() => '');
  return text.split(/\r?\n/).filter((l) => l.trim() !== '' && !l.startsWith('#'));
}

/** Resolve a scan request into sources (I/O at the edge), the rule set (built-in + config) and the baseline. */
export async function planScan(req: ScanRequest, stdin: NodeJS.ReadableStream): Promise<ScanPlan> {
  const modes = [req.git, req.staged, req.range !== undefined, req.preReceive].filter(Boolean).length;
  if (modes > 1) {
    throw hushError('CHOOSE_ONE_GIT_STAGED_RANGE');
  }
  const config = await loadConfig(req.config, await configDirs(req), req.trustRepoConfig === true);
  const disabled = new Set(config?.disable ?? []);
  let custom = config?.rules ?? [];
  let sandbox: RegexSandbox | undefined;
  if (config && config.trust !== 'operator' && custom.length > 0) {
    // A repository's regexes may backtrack for minutes (`\w*\w*\w*=` passes every syntactic check): run them in
    // a worker under a time budget. The operator's own rules (--config) run in this thread.
    const { createRegexSandbox } = await import('./config/regex-sandbox.js');
    const box = createRegexSandbox();
    custom = custom.map((r) => box.guard(r));
    sandbox = box;
  }
  const rules = [...ALL_RULES.filter((r) => !disabled.has(r.id)), ...custom];
  const baseline = req.baseline
    ? parseBaseline(
        await readFile(req.baseline, 'utf8').catch(() => {
          throw hushError('SCAN_BASELINE_MISSING', { baseline: req.baseline });
        }),
        req.baseline,
      )
    : undefined;
  const cwd = req.targets[0] ?? '.';
  const gitMode = req.git || req.staged || req.range !== undefined || req.preReceive;
  const exclude = [
    ...(req.exclude ?? []),
    ...(config?.exclude ?? []),
    // Tree scans read .hushignore at every level; history has no tree, so git modes use the repository's top one.
    ...(gitMode ? await topHushignore(cwd) : []),
  ];
  let sources: ScanSource[];
  // Each mode loads only its own source module: startup time matters in hooks.
  if (req.git) {
    const { gitHistorySource } = await import('./sources/git-history-source.js');
    sources = [gitHistorySource({ cwd, exclude })];
  } else if (req.staged) {
    const { gitStagedSource } = await import('./sources/git-staged-source.js');
    sources = [gitStagedSource({ cwd, exclude })];
  } else if (req.range !== undefined) {
    const { gitRangeSource, rangeArgs } = await import('./sources/git-range-source.js');
    sources = [gitRangeSource({ cwd, revArgs: [rangeArgs(req.range)], exclude })];
  } else if (req.preReceive) {
    const { parseRefUpdates } = await import('./sources/git-range-source.js');
    const { gitPushSource } = await import('./sources/git-push-source.js');
    const updates = parseRefUpdates(await readAll(stdin));
    sources = [gitPushSource({ cwd, updates, exclude })];
  } else {
    const targets = req.targets.length > 0 ? req.targets : ['.'];
    const files = targets.filter((t) => t !== '-');
    sources = [];
    if (targets.includes('-')) {
      const { streamSource } = await import('./sources/stream-source.js');
      sources.push(streamSource(stdin));
    }
    if (files.length > 0) {
      const { fsSource } = await import('./sources/fs-source.js');
      sources.push(
        fsSource({
          roots: files,
          exclude,
          ...(req.maxFileSize !== undefined ? { maxFileBytes: req.maxFileSize } : {}),
          ...(req.archives === false ? { archives: false } : {}),
        }),
      );
    }
  }
  const warnings = (config?.refused ?? []).map((message) => ({ path: config!.path, message }));
  return {
    sources,
    rules,
    ...(baseline ? { baseline } : {}),
    ...(config ? { config } : {}),
    warnings,
    ...(sandbox ? { sandbox } : {}),
  };
}
