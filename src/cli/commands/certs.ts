import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import type { CertIngestReport, CertProbeTarget } from '../../client/certs-api.js';
import { hushError } from '../../core/errors/index.js';
import { terminalSafe } from '../../scan/report/human-report.js';
import { emit } from '../io/output.js';
import { remoteContext } from '../remote/request.js';
import { certDetail, certTable, reportText, useColour } from './certs-output.js';

const PROTOCOLS = ['smtp', 'imap', 'pop3', 'postgres'] as const;
const SEVERITIES = ['info', 'warning', 'critical'] as const;

/** Print a report; any failed item fails the command after the report (the other items were still recorded). */
function finish(
  json: boolean,
  report: CertIngestReport,
  local: readonly { location: string; code: string; message: string }[] = [],
): void {
  emit({ json }, { ...report, ...(local.length ? { localErrors: local } : {}) }, () =>
    reportText(report, local),
  );
  const failed = report.failed + local.length;
  if (failed > 0) {
    const codes = [
      ...report.items.flatMap((i) => (i.error ? [i.error.code] : [])),
      ...local.map((e) => e.code),
    ];
    const unreachable = codes.every((c) => c === 'HUSH_E_UPSTREAM');
    throw hushError(unreachable ? 'CERT_ITEMS_UNREACHABLE' : 'CERT_ITEMS_FAILED', { failed });
  }
}

/** `host:port` or `[v6]:port`. */
function parseTarget(text: string): { host: string; port: number } {
  const m = /^\[([0-9a-fA-F:.]+)\]:(\d{1,5})$/.exec(text) ?? /^([A-Za-z0-9._-]+):(\d{1,5})$/.exec(text);
  const port = Number(m?.[2]);
  if (!m || !Number.isInteger(port) || port < 1 || port > 65535)
    throw hushError('ENDPOINT_MUST_HOST_PORT_E', { text: text.slice(0, 100) });
  return { host: m[1] as string, port };
}

async function passwordFrom(file: string | undefined): Promise<string | undefined> {
  if (file === undefined) return undefined;
  const text =
    file === '-'
      ? await readStdin()
      : await readFile(file, 'utf8').catch(() => {
          throw hushError('CANNOT_READ_PASSWORD_FILE', { file });
        });
  return text.replace(/\r?\n$/, '');
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of process.stdin) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * `hush certs add|scan|probe|list|show|check`: the certificate inventory on a server (HUSH_ADDR, HUSH_TOKEN). Files
 * are read here and only their certificates are sent; private keys never leave this machine (a scan sends the
 * SHA-256 of their public key).
 */
export function registerCerts(program: Command): void {
  const certs = program
    .command('certs')
    .description('certificate inventory: expiry, chains, hostnames, weak keys, leaked keys');

  certs
    .command('add <paths...>')
    .description(
      'add certificates from PEM/DER/PKCS#12 files, directories, globs and Kubernetes TLS Secret manifests',
    )
    .option('--password-file <file>', 'PKCS#12 password from this file (- for stdin)')
    .option(
      '--trust-anchor',
      'trust these certificates as roots when judging chains (a private CA; needs admin on sys/certs/endpoints)',
    )
    .option('--json', 'machine-readable JSON output')
    .action(
      async (
        paths: string[],
        opts: { passwordFile?: string; trustAnchor?: boolean; json?: boolean },
        cmd: Command,
      ) => {
        const ctx = remoteContext(cmd);
        const { expandCertPaths, readCertFiles } = await import('../../certs/sources/cert-files.js');
        const { files, missing } = await expandCertPaths(paths);
        const password = await passwordFrom(opts.passwordFile);
        const read = await readCertFiles(files, password === undefined ? {} : { password });
        const local = [
          ...missing.map((m) => ({
            location: m,
            code: 'HUSH_E_NOT_FOUND',
            message: `${m}: no such file, or the glob matched nothing`,
          })),
          ...read.errors,
        ];
        const report = read.uploads.length
          ? await ctx.client.certs.add(read.uploads, opts.trustAnchor ? { trustAnchor: true } : {})
          : { items: [], added: 0, updated: 0, failed: 0 };
        finish(ctx.json || opts.json === true, report, local);
      },
    );

  certs
    .command('scan [paths...]')
    .description(
      'find certificates and leaked private keys in trees, archives and images (with the secret scanner), or in stored secrets (--secrets)',
    )
    .option('--secrets', 'scan the values of stored secrets the token may read')
    .option(
      '--git',
      'scan the whole git history of each path (a repository; default: the current one) instead of its files',
    )
    .option('--prefix <prefix>', 'with --secrets: only below this prefix')
    .option('--json', 'machine-readable JSON output')
    .action(
      async (
        paths: string[],
        opts: { secrets?: boolean; prefix?: string; git?: boolean; json?: boolean },
        cmd: Command,
      ) => {
        const ctx = remoteContext(cmd);
        const json = ctx.json || opts.json === true;
        // --git alone means the repository here, as `hush scan --git` does; no path and no --git means the secrets.
        const where = opts.git && paths.length === 0 ? ['.'] : paths;
        if (opts.secrets || where.length === 0) {
          const report = await ctx.client.certs.scanSecrets(opts.prefix ? { prefix: opts.prefix } : {});
          if (where.length === 0) return finish(json, report);
        }
        const { scanTreeForCerts } = await import('../../certs/sources/scan-tree.js');
        const found = await scanTreeForCerts(where, { git: opts.git === true });
        const report = found.uploads.length
          ? await ctx.client.certs.add(found.uploads)
          : { items: [], added: 0, updated: 0, failed: 0 };
        const keys = found.keys.length ? await ctx.client.certs.reportKeys(found.keys) : { matched: [] };
        const out = { ...report, keys: found.keys.length, keysMatchingCertificates: keys.matched };
        if (!json && keys.matched.length)
          process.stderr.write(
            `CRITICAL: ${found.keys.length} private key(s) found; ${keys.matched.length} match certificate(s) in the inventory: ${keys.matched.map((f) => f.slice(0, 16)).join(', ')} (see hush certs check)\n`,
          );
        emit(
          { json },
          out,
          () =>
            `${reportText(report)}\n${found.keys.length} private key(s) found, ${keys.matched.length} matching certificate(s) in the inventory`,
        );
        if (report.failed > 0) throw hushError('ITEM_S_FAILED_SEE_REPORT', { failed: report.failed });
      },
    );

  certs
    .command('probe <endpoints...>')
    .description(
      'fetch the certificates TLS endpoints serve (host:port; SNI; STARTTLS for smtp, imap, pop3, postgres)',
    )
    .option('--starttls <protocol>', `speak this protocol before TLS: ${PROTOCOLS.join(', ')}`)
    .option('--servername <name>', 'SNI name to send and check the certificate against (default: the host)')
    .option('--remember', 'probe these endpoints on the server schedule too')
    .option('--json', 'machine-readable JSON output')
    .action(
      async (
        endpoints: string[],
        opts: { starttls?: string; servername?: string; remember?: boolean; json?: boolean },
        cmd: Command,
      ) => {
        const ctx = remoteContext(cmd);
        if (opts.starttls !== undefined && !(PROTOCOLS as readonly string[]).includes(opts.starttls))
          throw hushError('STARTTLS_MUST_ONE_GOT', {
            protocols: PROTOCOLS.join(', '),
            starttls: opts.starttls,
          });
        const targets: CertProbeTarget[] = endpoints.map((e) => ({
          ...parseTarget(e),
          ...(opts.servername ? { servername: opts.servername } : {}),
          ...(opts.starttls ? { starttls: opts.starttls as CertProbeTarget['starttls'] & string } : {}),
        }));
        const report = await ctx.client.certs.probe(targets, opts.remember ? { remember: true } : {});
        finish(ctx.json || opts.json === true, report);
      },
    );

  certs
    .command('list')
    .description('list the inventory, soonest expiry first, with days left and findings')
    .option('--json', 'machine-readable JSON output')
    .action(async (opts: { json?: boolean }, cmd: Command) => {
      const ctx = remoteContext(cmd);
      const res = await ctx.client.certs.list();
      emit({ json: ctx.json || opts.json === true }, res, () => certTable(res.certificates, useColour()));
    });

  certs
    .command('show <fingerprint>')
    .description(
      'one certificate by SHA-256 fingerprint (or 8+ leading hex digits): facts, where seen, findings',
    )
    .option('--json', 'machine-readable JSON output')
    .action(async (fingerprint: string, opts: { json?: boolean }, cmd: Command) => {
      const ctx = remoteContext(cmd);
      const res = await ctx.client.certs.show(fingerprint);
      emit({ json: ctx.json || opts.json === true }, res, () => certDetail(res.certificate));
    });

  certs
    .command('check')
    .description(
      'list findings (expired, expiring, hostname, chain, weak key, SHA-1, lifetime, leaked key); exit 1 when any is at --fail-on or above',
    )
    .option(
      '--fail-on <severity>',
      `lowest severity that fails the check: ${SEVERITIES.join(', ')}`,
      'warning',
    )
    .option('--json', 'machine-readable JSON output')
    .action(async (opts: { failOn: string; json?: boolean }, cmd: Command) => {
      const ctx = remoteContext(cmd);
      const floor = SEVERITIES.indexOf(opts.failOn as (typeof SEVERITIES)[number]);
      if (floor < 0)
        throw hushError('FAIL_MUST_ONE_GOT', { severities: SEVERITIES.join(', '), failOn: opts.failOn });
      const res = await ctx.client.certs.list();
      const findings = res.certificates.flatMap((c) =>
        c.findings.map((f) => ({
          fingerprint: c.fingerprintSha256,
          subject: c.subject,
          daysLeft: c.daysLeft,
          ...f,
        })),
      );
      const colour = useColour();
      emit({ json: ctx.json || opts.json === true }, { findings }, () =>
        findings.length === 0
          ? `no findings in ${res.certificates.length} certificate(s)`
          : findings
              .map((f) => {
                const sev = f.severity.toUpperCase().padEnd(8);
                const tag =
                  colour && f.severity !== 'info'
                    ? `\x1b[${f.severity === 'critical' ? '31' : '33'}m${sev}\x1b[0m`
                    : sev;
                return `${tag} ${terminalSafe(`${f.fingerprint.slice(0, 16)} ${f.subject}: ${f.check}: ${f.message}`)}`;
              })
              .join('\n'),
      );
      // As `hush scan`: 1 means findings, so scripts can tell them from errors.
      if (findings.some((f) => SEVERITIES.indexOf(f.severity) >= floor)) process.exitCode = 1;
    });
}
