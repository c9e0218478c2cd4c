import type { Command } from 'commander';
import type { RemediationResult } from '../../client/api-types.js';
import { hushError } from '../../core/errors/index.js';
import { writeSecretFileAtomic } from '../../fs/atomic-file.js';
import type { Finding } from '../../scan/engine/types.js';
import type { KnownCollector, KnownMatches } from '../../scan/known/known-collector.js';
import type { HushStore } from '../../store/index.js';
import { reportCliError } from '../cli-error.js';
import { type LocalFlags, withLocalOptions } from '../local/local-options.js';

interface ScanFlags {
  git?: boolean;
  staged?: boolean;
  range?: string;
  preReceive?: boolean;
  timeBudget?: string;
  onTimeout: string;
  format?: string;
  reveal?: boolean;
  baseline?: string;
  writeBaseline?: string;
  exclude: string[];
  config?: string;
  maxFileSize?: string;
  archives: boolean;
  progress: boolean;
  known?: boolean;
  remediate?: boolean;
  report?: string | boolean;
  yes?: boolean;
  trustRepoConfig?: boolean;
}

function positive(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw hushError('ENV_NEEDS_POSITIVE_NUMBER', { name, value });
  return n;
}

/** A byte count where 0 means "no limit" (as --max-file-size documents). */
function nonNegative(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw hushError('ENV_NEEDS_BYTE_COUNT', { name, value });
  return n;
}

/** `hush scan`: find secrets in files, history, staged changes, pushes, archives, images or stdin. */
export function registerScan(program: Command): void {
  const cmd = program
    .command('scan')
    .description('find secrets in files, git history, staged changes, pushes, archives, images or stdin (-)')
    .argument(
      '[targets...]',
      'files or directories (default .); - reads stdin; with git modes, the repository',
    )
    .option('--git', 'scan the whole history of all refs (each unique blob once)')
    .option('--staged', 'scan the lines added in the index (pre-commit)')
    .option('--range <A..B>', 'scan the lines added by the commits in a range')
    .option('--pre-receive', 'read "old new ref" lines from stdin and scan what the push adds')
    .option('--time-budget <seconds>', 'stop after this long and report what was scanned')
    .option(
      '--on-timeout <fail|pass>',
      'exit 2 (fail) or pass with a warning when the budget runs out',
      'fail',
    )
    .option('--format <human|json|sarif>', 'output format (default human; --json means json)')
    .option('--reveal', 'print secrets in full instead of masked')
    .option('--baseline <file>', 'ignore findings recorded in this baseline')
    .option('--write-baseline <file>', 'record every current finding in this baseline and exit 0')
    .option(
      '--exclude <glob>',
      'skip paths matching this gitignore-style glob (repeatable)',
      (v, acc: string[]) => [...acc, v],
      [],
    )
    .option(
      '--config <file>',
      "custom rules and excludes (default: the scanned repository's .hush-scan.yaml/.yml/.json, limited)",
    )
    .option('--trust-repo-config', "let the scanned repository's .hush-scan.yaml disable built-in rules")
    .option('--max-file-size <bytes>', 'skip files larger than this (default 104857600; 0 = no limit)')
    .option('--no-archives', 'do not open tar/zip archives and image tars')
    .option('--no-progress', 'no progress line on stderr even on a terminal')
    .option(
      '--known',
      'also report values stored in Hush (local store, or the server at HUSH_ADDR), matched by fingerprint',
    )
    .option(
      '--remediate',
      'with a server (HUSH_ADDR): plan rotating the stored secrets and revoking the hush_ tokens found (implies --known)',
    )
    .option(
      '--report [source]',
      'with a server (HUSH_ADDR): store the findings there (fingerprint, file, line, rule, matched stored path; never values; implies --known)',
    )
    .option('--yes', 'with --remediate: act on the plan (rotate, revoke, record an incident, alert)');
  withLocalOptions(cmd).action(async (targets: string[], flags: ScanFlags, command: Command) => {
    const all = command.optsWithGlobals() as LocalFlags;
    const json = all.json === true;
    try {
      await scanAction(targets, flags, json, all);
    } catch (err) {
      // The scan contract is 0 clean / 1 findings / 2 error, whatever the error's catalogue exit code.
      reportCliError(err, json, process.env['HUSH_DEBUG'] === '1');
      process.exitCode = 2;
    }
  });
}

/**
 * Which candidates are stored in Hush: the server at HUSH_ADDR (salted digests, readable paths only), else the local
 * store in the data dir (HMAC under a key derived from its root key, computed in this process).
 */
async function matchKnown(
  values: readonly string[],
  local: LocalFlags,
  onCanary: (value: string) => void,
): Promise<KnownMatches> {
  // Loaded only for --known: a plain scan (the pre-commit hook) should not load SQLite or the store.
  if (process.env['HUSH_ADDR']) {
    const { remoteClientFor, remoteTarget } = await import('../remote/request.js');
    const { remoteKnownMatcher } = await import('../../scan/known/remote-matcher.js');
    return remoteKnownMatcher(remoteClientFor(remoteTarget(process.env)).knownSecrets, onCanary)(values);
  }
  const { withLocalStore } = await import('../local/open-local-store.js');
  return withLocalStore(local, 'unsealed', { env: process.env }, async ({ store }) => {
    // openLocalStore builds a full local HushStore; CliStore only narrows its type to what remote mode also has.
    const full = store as unknown as Partial<Pick<HushStore, 'knownSecrets'>>;
    if (!full.knownSecrets) throw hushError('STORE_CANNOT_MATCH_KNOWN_SECRETS');
    return full.knownSecrets.match(values);
  });
}

/** Send what the scan found to the server's remediation (a dry run unless `apply`). */
async function remediate(
  collector: KnownCollector,
  matches: KnownMatches,
  findings: readonly Finding[],
  apply: boolean,
): Promise<RemediationResult> {
  const [{ remoteClientFor, remoteTarget }, { leakReport }] = await Promise.all([
    import('../remote/request.js'),
    import('./scan-remediate.js'),
  ]);
  const client = remoteClientFor(remoteTarget(process.env));
  return client.incident.remediate(leakReport(collector, matches, findings, apply));
}

async function scanAction(
  targets: string[],
  flags: ScanFlags,
  json: boolean,
  local: LocalFlags,
): Promise<void> {
  const format = flags.format ?? (json ? 'json' : 'human');
  if (!['human', 'json', 'sarif'].includes(format)) {
    throw hushError('FORMAT_MUST_HUMAN_JSON_SARIF', { format });
  }
  if (!['fail', 'pass'].includes(flags.onTimeout)) {
    throw hushError('TIMEOUT_MUST_FAIL_PASS_GOT', { onTimeout: flags.onTimeout });
  }
  if (flags.yes && !flags.remediate) throw hushError('SCAN_YES_NEEDS_REMEDIATE');
  if (flags.remediate && !process.env['HUSH_ADDR']) throw hushError('SCAN_REMEDIATE_NEEDS_SERVER');
  if (flags.report && !process.env['HUSH_ADDR']) throw hushError('SCAN_REPORT_NEEDS_SERVER');
  const budget = positive('--time-budget', flags.timeBudget);
  const maxFileSize = nonNegative('--max-file-size', flags.maxFileSize);
  // The engine, rules and reports load here, not at CLI start, so `hush --help` and other commands stay cheap.
  const [
    { baselineOf },
    { createKnownCollector },
    { humanConfig, humanFinding, humanSummary },
    { jsonReport },
    { createProgress },
  ] = await Promise.all([
    import('../../scan/engine/baseline.js'),
    import('../../scan/known/known-collector.js'),
    import('../../scan/report/human-report.js'),
    import('../../scan/report/json-report.js'),
    import('../../scan/report/progress.js'),
  ]);
  const [{ sarifReport }, { runScan }, { planScan }] = await Promise.all([
    import('../../scan/report/sarif-report.js'),
    import('../../scan/run-scan.js'),
    import('../../scan/scan-plan.js'),
  ]);
  const plan = await planScan(
    {
      targets,
      ...(flags.git ? { git: true } : {}),
      ...(flags.staged ? { staged: true } : {}),
      ...(flags.range !== undefined ? { range: flags.range } : {}),
      ...(flags.preReceive ? { preReceive: true } : {}),
      exclude: flags.exclude,
      ...(flags.config ? { config: flags.config } : {}),
      ...(flags.baseline && !flags.writeBaseline ? { baseline: flags.baseline } : {}),
      ...(maxFileSize !== undefined ? { maxFileSize } : {}),
      archives: flags.archives,
      ...(flags.trustRepoConfig ? { trustRepoConfig: true } : {}),
    },
    process.stdin,
  );
  const reveal = flags.reveal === true;
  const progress =
    flags.progress && process.stderr.isTTY && format === 'human' && !targets.includes('-')
      ? createProgress((s) => process.stderr.write(s))
      : undefined;
  const collector = flags.known || flags.remediate || flags.report ? createKnownCollector() : undefined;
  // With a known-secrets check findings wait for the server's answer: a planted canary must not be printed first.
  const streaming = format === 'human' && !flags.writeBaseline && !flags.git && !collector;
  // Repository regexes wait in their worker no longer than the scan may run (runScan's own clock starts just after).
  if (budget !== undefined) plan.sandbox?.stopBy(Date.now() + budget * 1000);
  const scanned = await runScan(plan.sources, {
    ...(collector ? { onText: collector.text } : {}),
    rules: plan.rules,
    ...(plan.baseline ? { baseline: plan.baseline } : {}),
    ...(budget !== undefined ? { timeBudgetMs: budget * 1000 } : {}),
    ...(flags.git ? { collapse: true } : {}),
    ...(progress ? { onProgress: progress.update } : {}),
    ...(streaming
      ? {
          onFinding: (f) => {
            progress?.done();
            process.stdout.write(`${humanFinding(f, reveal)}\n`);
          },
        }
      : {}),
  });
  progress?.done();
  plan.sandbox?.close();
  // Repository rules stopped for running past their time budget: what they would have found is missing.
  const stopped = (plan.sandbox?.failures ?? []).map((message) => ({ path: plan.config!.path, message }));
  // What the plan refused (parts of a repository config) is reported like anything a source skipped.
  let remediation: RemediationResult | undefined;
  let result =
    plan.warnings.length > 0 || stopped.length > 0
      ? { ...scanned, warnings: [...plan.warnings, ...stopped, ...scanned.warnings] }
      : scanned;
  if (collector) {
    collector.findings(scanned.findings);
    const accepted = new Set(plan.baseline?.findings.map((f) => f.fingerprint) ?? []);
    // Canaries the server planted are not leaks (the server says so for the values it was asked about).
    const planted = new Set<string>();
    const matches = await matchKnown(collector.values(), local, (v) => planted.add(v));
    const known = collector.report(matches);
    const fresh = known.filter((f) => !accepted.has(f.fingerprint));
    if (streaming) for (const f of fresh) process.stdout.write(`${humanFinding(f, reveal)}\n`);
    result = {
      ...result,
      findings: [...scanned.findings.filter((f) => !planted.has(f.secret)), ...fresh],
      baselined: scanned.baselined + known.length - fresh.length,
    };
    if (flags.remediate) {
      remediation = await remediate(collector, matches, result.findings, flags.yes === true);
    }
    if (flags.report) {
      const { findingsReport, sendFindings } = await import('./scan-report.js');
      const source = typeof flags.report === 'string' ? flags.report : undefined;
      const stored = await sendFindings(findingsReport(result.findings, matches, source));
      process.stderr.write(`hush: stored ${stored.findings.length} finding(s) as report ${stored.id}\n`);
    }
  }
  if (flags.writeBaseline) {
    await writeSecretFileAtomic(
      flags.writeBaseline,
      `${JSON.stringify(baselineOf(result.findings), null, 2)}\n`,
      '--write-baseline',
    );
    process.stderr.write(`wrote ${result.findings.length} finding(s) to ${flags.writeBaseline}\n`);
    process.exitCode = 0;
    return;
  }
  if (format === 'json') {
    const report = jsonReport(result, reveal, plan.config);
    process.stdout.write(
      remediation ? `${JSON.stringify({ ...JSON.parse(report), remediation }, null, 2)}\n` : report,
    );
  } else if (format === 'sarif') process.stdout.write(sarifReport(result, plan.rules));
  else {
    if (!streaming) for (const f of result.findings) process.stdout.write(`${humanFinding(f, reveal)}\n`);
    process.stderr.write(`${humanSummary(result)}\n${humanConfig(plan.config)}\n`);
    if (flags.staged && result.findings.length > 0) process.stderr.write(STAGED_NEXT_STEPS);
  }
  if (remediation && format !== 'json') {
    const { humanRemediation } = await import('./scan-remediate.js');
    process.stderr.write(humanRemediation(remediation));
  }
  // A scan that was not complete is not clean: the time budget ran out, or a repository rule was stopped.
  const incomplete = [
    ...(result.timedOut
      ? [
          `time budget of ${budget} s ran out after ${result.units} item(s) (${result.bytes} bytes); the rest was not scanned — raise --time-budget`,
        ]
      : []),
    ...(stopped.length > 0
      ? [
          `${stopped.length} rule(s) of the repository's scan config were stopped (see the warnings above); scan it with --config pointing at a config you control`,
        ]
      : []),
  ];
  for (const msg of incomplete) {
    process.stderr.write(`${flags.onTimeout === 'fail' ? 'hush' : 'warning'}: ${msg}\n`);
  }
  if (incomplete.length > 0 && flags.onTimeout === 'fail') {
    process.exitCode = 2;
    return;
  }
  process.exitCode = result.findings.length > 0 ? 1 : 0;
}

/** What to do when the pre-commit hook blocks a commit (printed after the findings of `--staged`). */
const STAGED_NEXT_STEPS = [
  'hush: commit blocked. Next:',
  '  - a real secret: remove it from the file and `git add` again; if it was ever pushed or shared, rotate it (`hush rotate PATH` for one stored in Hush)',
  '  - a false positive: add a `hush:allow` comment on the line (or the line above)',
  '  - accepted findings: record them with `hush scan --write-baseline .hush-baseline.json` and scan with --baseline',
  '  - bypass once, deliberately: git commit --no-verify',
  '',
].join('\n');
