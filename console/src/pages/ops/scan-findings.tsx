import { api, enc } from '../../api';
import { Table } from '../../components/table';
import { Badge, ErrorBanner, Page } from '../../components/ui';
import type { PageDef } from '../../page-def';
import { useLoad, when } from './ops-load';

interface Finding {
  fingerprint: string;
  rule: string;
  file: string;
  line: number;
  storedPath?: string;
}
interface Report {
  id: string;
  reportedAt: string;
  reportedBy: string;
  source?: string;
  findings: Finding[];
}
type Row = Finding & { report: Report; key: string };

/**
 * `/ui/scan/findings` (GET /v1/scan/findings, `read` on `sys/scan/findings`): what `hush scan --report` sent, newest
 * report first, never a value. A finding whose value is a stored secret links to it (and to its rotation): that is
 * the secret to rotate.
 */
function ScanFindings() {
  const list = useLoad(() => api<{ reports: Report[] }>('GET', '/scan/findings?limit=50'));
  const rows: Row[] = (list.data?.reports ?? []).flatMap((report) =>
    report.findings.map((f, i) => ({ ...f, report, key: `${report.id}:${i}` })),
  );
  const matched = rows.filter((r) => r.storedPath).length;
  return (
    <Page title="Scan findings">
      <p>
        Reported by <code>hush scan --report</code>: fingerprints and places only, never values.{' '}
        {rows.length > 0 ? `${rows.length} finding(s), ${matched} matching a stored secret.` : ''}
      </p>
      <ErrorBanner error={list.error} />
      <Table
        caption="Scan findings"
        rows={rows}
        rowKey={(r) => r.key}
        empty="No scan has reported findings to this server."
        columns={[
          {
            key: 'storedPath',
            label: 'Stored secret',
            render: (r) =>
              r.storedPath ? (
                <a href={`/ui/secrets/${enc(r.storedPath)}`}>{r.storedPath}</a>
              ) : (
                <Badge>not stored in Hush</Badge>
              ),
            sort: (r) => r.storedPath ?? '',
          },
          { key: 'rule', label: 'Rule', sort: (r) => r.rule },
          {
            key: 'file',
            label: 'Where',
            render: (r) => <code>{`${r.file}:${r.line}`}</code>,
            sort: (r) => r.file,
          },
          {
            key: 'fingerprint',
            label: 'Fingerprint',
            render: (r) => <code>{r.fingerprint.slice(0, 12)}</code>,
          },
          { key: 'source', label: 'Scan', render: (r) => r.report.source ?? '' },
          {
            key: 'reported',
            label: 'Reported',
            render: (r) => `${when(r.report.reportedAt)} by ${r.report.reportedBy}`,
            sort: (r) => r.report.reportedAt,
          },
        ]}
      />
    </Page>
  );
}

export const pages: PageDef[] = [
  { route: '/ui/scan/findings', title: 'Scan findings', nav: 'Operations', component: ScanFindings },
];
