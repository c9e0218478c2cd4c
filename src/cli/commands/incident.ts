import type { Command } from 'commander';
import type { BlastRadius, Party } from '../../core/incident/blast-radius.js';
import type { RotateScopeResult } from '../../incident/incident-service.js';
import type { UnsealMaterial } from '../../seal/seal.js';
import { emit, table } from '../io/output.js';
import { resolveDataDir } from '../local/data-dir.js';
import { remoteAddress } from '../remote/remote-mode.js';
import { remoteContext } from '../remote/request.js';
import type { DirFlags } from './audit-input.js';

interface ReportFlags extends DirFlags {
  path: string;
  since?: string;
  until?: string;
  allowUnverified?: boolean;
}

/** A report, and whether the trail it was built from verified (every figure is unverified when not). */
type CheckedReport = BlastRadius & { readonly verified?: false; readonly verifyProblem?: string };

/** `hush incident revoke|rotate|report|lockdown|unlock`: the leak playbook's steps, one command each. */
export function registerIncident(program: Command): void {
  const incident = program
    .command('incident')
    .description('respond to a leak: revoke an identity, rotate a scope, report the blast radius, lock down');

  incident
    .command('revoke')
    .description(
      'revoke every token (and its children) and every lease of an identity, and the secret ids of an AppRole one (server)',
    )
    .requiredOption('--identity <id>', 'e.g. approle:ci, user:amy, jwt:github')
    .action(async (opts: { identity: string }, cmd: Command) => {
      const ctx = remoteContext(cmd);
      const res = await ctx.client.incident.revoke(opts.identity);
      emit(ctx, res, () => {
        const queued =
          res.leasesQueued.length > 0
            ? `; ${res.leasesQueued.length} lease revocations queued (database unreachable, retried)`
            : '';
        const ids = res.secretIdsRevoked.length > 0 ? `, ${res.secretIdsRevoked.length} secret ids` : '';
        return `revoked ${res.tokensRevoked.length} tokens${ids} and ${res.leasesRevoked.length} leases of ${res.identity}${queued}`;
      });
    });

  incident
    .command('rotate')
    .description(
      'rotate every secret below a prefix; lists what must be rotated by hand (exit 8 if any failed)',
    )
    .requiredOption('--prefix <prefix>', 'e.g. payments/prod')
    .action(async (opts: { prefix: string }, cmd: Command) => {
      const ctx = remoteContext(cmd);
      const res = await ctx.client.incident.rotate(opts.prefix);
      emit(ctx, res, () => describeRotation(res));
      if (res.failed.length > 0) process.exitCode = 8;
    });

  incident
    .command('report')
    .description('who read, changed or probed a path, from where and when (server, or local audit files)')
    .requiredOption('--path <path>', 'a secret path or policy glob, e.g. payments/prod/db or payments/**')
    .option('--since <when>', 'from this time: ISO-8601 or a duration ago (30m, 1h, 7d)')
    .option('--until <when>', 'before this time')
    .option('--dir <dir>', 'local mode: the audit directory or live audit file')
    .option('--data-dir <dir>', 'local mode: the data directory holding the audit files')
    .option(
      '--allow-unverified',
      'local mode: report from a trail whose hash chain does not verify, marking every figure unverified',
    )
    .action(async (opts: ReportFlags, cmd: Command) => {
      const flags = { ...cmd.optsWithGlobals<DirFlags>(), ...opts };
      const json = flags.json === true;
      const report: CheckedReport =
        opts.dir === undefined && remoteAddress(flags, process.env)
          ? await remoteReport(cmd, opts)
          : await localReport(flags);
      emit({ json }, report, () =>
        report.verified === false
          ? `UNVERIFIED: the audit trail does not verify (${report.verifyProblem}); every figure below is unverified\n` +
            describeReport(report)
              .split('\n')
              .map((l) => (l.trim() === '' ? l : `(unverified) ${l}`))
              .join('\n')
          : describeReport(report),
      );
    });

  incident
    .command('lockdown')
    .description('seal the store now: every node drops its keys (unseal with the seal material to resume)')
    .action(async (_opts: unknown, cmd: Command) => {
      const ctx = remoteContext(cmd);
      const res = await ctx.client.incident.lockdown();
      emit(ctx, res, () => 'sealed: every request now fails with 503 until `hush incident unlock`');
    });

  incident
    .command('unlock')
    .description(
      'lift an operator seal or lockdown (server): key-file/pkcs11 need HUSH_TOKEN with admin on sys/seal, shamir/rsa the unseal material',
    )
    .option(
      '--shares-file <file>',
      'shamir seal: unseal shares, one per line (or $HUSH_UNSEAL_SHARES_FILE, or stdin)',
    )
    .option('--private-key <file>', 'rsa seal: PEM private key (or $HUSH_RSA_PRIVATE_KEY_FILE)')
    .option('--passphrase-file <file>', 'rsa seal: passphrase of an encrypted PEM (or $HUSH_RSA_PASSPHRASE)')
    .action(async (opts: UnlockFlags, cmd: Command) => {
      const ctx = remoteContext(cmd);
      const kind = (await ctx.client.status()).kind ?? 'key-file';
      const material = kind === 'shamir' || kind === 'rsa' ? await unlockMaterial(kind, opts) : undefined;
      const res = await ctx.client.incident.unlock(material);
      emit(ctx, { ...res, unlocked: !res.sealed }, () =>
        res.sealed
          ? 'the lockdown is lifted but this node is still sealed; unseal it (`hush unseal`)'
          : 'unlocked: the lockdown is lifted and the store serves requests again (other nodes follow within seconds)',
      );
    });
}

interface UnlockFlags {
  sharesFile?: string;
  privateKey?: string;
  passphraseFile?: string;
}

/** The shamir or rsa material for an unlock: shares from --shares-file or piped stdin, or the RSA private key. */
async function unlockMaterial(kind: 'shamir' | 'rsa', opts: UnlockFlags): Promise<UnsealMaterial> {
  const { parseShareLines, readUnsealMaterial } = await import('../local/unseal-material.js');
  const { readStream } = await import('../io/read-stream.js');
  const stdinShares =
    kind === 'shamir' && !opts.sharesFile && !process.env['HUSH_UNSEAL_SHARES_FILE'] && !process.stdin.isTTY
      ? parseShareLines((await readStream(process.stdin, 64 * 1024)).toString('utf8'))
      : undefined;
  return readUnsealMaterial(kind, opts, { env: process.env, ...(stdinShares ? { stdinShares } : {}) });
}

async function remoteReport(cmd: Command, opts: ReportFlags): Promise<BlastRadius> {
  return remoteContext(cmd).client.incident.report({
    path: opts.path,
    ...(opts.since ? { since: opts.since } : {}),
    ...(opts.until ? { until: opts.until } : {}),
  });
}

async function localReport(flags: ReportFlags): Promise<CheckedReport> {
  const { auditLocation, storedHeadOf } = await import('./audit-input.js');
  const { searchAuditFiles } = await import('../../audit/index.js');
  const { parseWhen } = await import('../../core/audit/parse-when.js');
  const { blastRadiusAccumulator } = await import('../../core/incident/blast-radius.js');
  const { verifyBeforeUse } = await import('../../audit/chain-broken.js');
  const { dir, fileName } = await auditLocation(flags);
  // A tampered trail must not be reported as fact: verify first (exit 7 naming the line), unless told otherwise,
  // against the head kept in the data directory's store, so records cut off the end are caught too.
  const stored =
    flags.dir === undefined
      ? await storedHeadOf(resolveDataDir(flags.dataDir, process.env), dir, fileName)
      : {};
  if (stored.note) process.stderr.write(`hush: note: ${stored.note}\n`);
  const problem = await verifyBeforeUse(dir, fileName, flags.allowUnverified === true, stored.head);
  const now = new Date();
  const acc = blastRadiusAccumulator({
    path: flags.path,
    ...(flags.since ? { since: parseWhen(flags.since, '--since', now) } : {}),
    ...(flags.until ? { until: parseWhen(flags.until, '--until', now) } : {}),
  });
  for await (const r of searchAuditFiles(dir, {}, fileName)) acc.add(r);
  const result = acc.result();
  return problem ? { ...result, verified: false, verifyProblem: problem.message } : result;
}

function describeRotation(res: RotateScopeResult): string {
  const lines = [
    `rotated ${res.rotated.length}, manual ${res.manual.length}, failed ${res.failed.length} below ${res.prefix}`,
  ];
  if (res.rotated.length > 0)
    lines.push(
      '',
      table(
        ['ROTATED', 'VERSION'],
        res.rotated.map((r) => [r.path, String(r.version)]),
      ),
    );
  if (res.manual.length > 0)
    lines.push(
      '',
      table(
        ['ROTATE BY HAND', 'WHY'],
        res.manual.map((m) => [m.path, m.reason]),
      ),
    );
  if (res.failed.length > 0)
    lines.push(
      '',
      table(
        ['FAILED', 'CODE', 'MESSAGE'],
        res.failed.map((f) => [f.path, f.code, f.message]),
      ),
    );
  return lines.join('\n');
}

function describeReport(r: BlastRadius): string {
  const period = `${r.since ?? 'the start of the trail'} to ${r.until ?? 'now'}`;
  const section = (title: string, parties: Party[]) =>
    parties.length === 0
      ? `${title}: none`
      : `${title}:\n${table(
          ['IDENTITY', 'COUNT', 'FIRST', 'LAST', 'FROM', 'TOKENS'],
          parties.map((p) => [
            p.identity,
            String(p.count),
            p.first,
            p.last,
            p.sourceAddresses.join(',') || '-',
            p.tokenAccessors.join(',') || '-',
          ]),
        )}`;
  return [
    `blast radius of ${r.path} from ${period} (${r.examined} audit records examined)`,
    '',
    section('could have the value (read or exported)', r.readers),
    '',
    section('changed it', r.writers),
    '',
    section('were refused', r.denied),
  ].join('\n');
}
