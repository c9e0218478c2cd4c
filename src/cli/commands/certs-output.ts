import type { CertDetail, CertIngestReport, CertSummary } from '../../client/certs-api.js';
import type { CertFinding } from '../../core/certs/cert-checks.js';
import { terminalSafe } from '../../scan/report/human-report.js';
import { table } from '../io/output.js';

/** Colour only on a terminal, and never when NO_COLOR / HUSH_NO_COLOR is set. */
export function useColour(env: NodeJS.ProcessEnv = process.env): boolean {
  return process.stdout.isTTY === true && !env['NO_COLOR'] && !env['HUSH_NO_COLOR'];
}

const paint = (on: boolean, code: string, text: string) => (on ? `\x1b[${code}m${text}\x1b[0m` : text);

function worst(findings: readonly CertFinding[]): CertFinding['severity'] | undefined {
  if (findings.some((f) => f.severity === 'critical')) return 'critical';
  if (findings.some((f) => f.severity === 'warning')) return 'warning';
  return findings.length ? 'info' : undefined;
}

/** Days left, or how long ago it expired. */
function days(c: CertSummary): string {
  const text = c.daysLeft < 0 ? `expired ${-c.daysLeft}d ago` : `${c.daysLeft}`;
  return text;
}

/** `hush certs list` as a table: days left (soonest first), expiry, subject, issuer, findings, where seen. */
export function certTable(certs: readonly CertSummary[], colour: boolean): string {
  if (certs.length === 0)
    return 'no certificates in the inventory; add some with hush certs add, scan or probe';
  // Subjects come from whoever made a certificate and locations from whoever uploaded it: shown inert.
  const rows = certs.map((c) =>
    [
      days(c),
      c.notAfter.slice(0, 10),
      c.subject,
      c.issuer,
      c.findings.map((f) => f.check).join(',') || 'ok',
      c.locations.slice(0, 2).join(' ') + (c.locations.length > 2 ? ` +${c.locations.length - 2}` : ''),
      c.fingerprintSha256.slice(0, 16),
    ].map(terminalSafe),
  );
  const text = table(['DAYS LEFT', 'NOT AFTER', 'SUBJECT', 'ISSUER', 'FINDINGS', 'SEEN AT', 'SHA256'], rows);
  if (!colour) return text;
  // Colour whole rows after alignment so escape codes never upset the column widths.
  const [head, ...lines] = text.split('\n');
  return [
    head,
    ...lines.map((line, i) => {
      const sev = worst(certs[i]?.findings ?? []);
      return sev === 'critical'
        ? paint(true, '31', line)
        : sev === 'warning'
          ? paint(true, '33', line)
          : line;
    }),
  ].join('\n');
}

/** `hush certs show`: the facts, where seen, and findings. */
export function certDetail(c: CertDetail): string {
  const lines = [
    `subject:      ${c.subject}`,
    `issuer:       ${c.issuer}`,
    `SANs:         ${c.sans.join(', ') || '-'}`,
    `serial:       ${c.serial}`,
    `key:          ${c.keyType}${c.keyBits ? ` ${c.keyBits} bits` : ''}${c.curve ? ` (${c.curve})` : ''}`,
    `signature:    ${c.signatureAlgorithm}`,
    `valid:        ${c.notBefore} .. ${c.notAfter} (${c.daysLeft} days left)`,
    `sha256:       ${c.fingerprintSha256}`,
    `sha1:         ${c.fingerprintSha1}`,
    `spki sha256:  ${c.spkiSha256}`,
    `ca:           ${c.isCa ? 'yes' : 'no'}${c.selfSigned ? ', self-signed' : ''}${c.trustAnchor ? ', trust anchor' : ''}`,
    'seen at:',
    ...c.sightings.map((s) => `  ${s.source.padEnd(8)} ${s.location} (last ${s.lastSeen})`),
    c.findings.length ? 'findings:' : 'findings:     none',
    ...c.findings.map((f) => `  ${f.severity.toUpperCase().padEnd(8)} ${f.check}: ${f.message}`),
  ];
  // Per line, so a newline inside a field is shown as an escape rather than starting a line of its own.
  return lines.map(terminalSafe).join('\n');
}

/** An add/scan/probe report: one line per item, then totals. */
export function reportText(r: CertIngestReport, localErrors: readonly { message: string }[] = []): string {
  const lines = [
    ...r.items.map((i) =>
      i.error
        ? `FAILED ${i.error.message} (${i.error.code})`
        : `ok     ${i.location}: ${i.fingerprints.length} certificate(s)`,
    ),
    ...localErrors.map((e) => `FAILED ${e.message}`),
    `${r.added} added, ${r.updated} already known, ${r.failed + localErrors.length} failed`,
  ];
  return lines.map(terminalSafe).join('\n');
}
