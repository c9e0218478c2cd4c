import { api } from '../../api';
import { Table } from '../../components/table';
import { Badge, ErrorBanner, Page } from '../../components/ui';
import type { PageDef } from '../../page-def';
import { useLoad, when } from './ops-load';

interface RecipientFile {
  file: string;
  recipients: string[];
  changes: number;
  lastChange: string;
  lastBy: string | null;
}
interface RecipientChange {
  time: string;
  identity: string | null;
  operation: 'recipients.add' | 'recipients.remove';
  files: string[];
  recipients: string[];
  rotated: string[];
  rotateByHand: number;
}

/** A transit recipient (`transit:<key>`) links to its key: access to the file is a policy on that key. */
function Recipient({ r }: { r: string }) {
  return r.startsWith('transit:') ? (
    <a href={`/ui/transit/keys/${encodeURIComponent(r.slice(8))}`}>{r}</a>
  ) : (
    <code>{r}</code>
  );
}

/**
 * `/ui/crypt/recipients` (GET /v1/crypt/recipients, `read` on `sys/crypt`): encrypted files live in repositories, so
 * the server knows only the recipient changes `hush crypt` reported to it (from its audit trail). This page shows
 * those: each file's recipients as far as the changes tell, and the changes themselves, newest first.
 */
function CryptRecipients() {
  const view = useLoad(() =>
    api<{ files: RecipientFile[]; changes: RecipientChange[] }>('GET', '/crypt/recipients'),
  );
  return (
    <Page title="Encrypted-file recipients">
      <p>
        The server sees a <code>hush crypt</code> file only when its recipients change (the CLI reports each
        change before writing). A file encrypted once and never re-keyed is not known here: its own metadata (
        <code>hush crypt recipients list FILE</code>) is the truth.
      </p>
      <ErrorBanner error={view.error} />
      <Table
        caption="Files and their recipients"
        rows={view.data?.files ?? []}
        rowKey={(f) => f.file}
        empty="No recipient change was reported to this server."
        columns={[
          { key: 'file', label: 'File', render: (f) => <code>{f.file}</code>, sort: (f) => f.file },
          {
            key: 'recipients',
            label: 'Recipients',
            render: (f) => (
              <span>
                {f.recipients.map((r) => (
                  <span key={r}>
                    <Recipient r={r} />{' '}
                  </span>
                ))}
              </span>
            ),
          },
          { key: 'changes', label: 'Changes', sort: (f) => f.changes },
          {
            key: 'lastChange',
            label: 'Last change',
            render: (f) => `${when(f.lastChange)} by ${f.lastBy ?? '?'}`,
          },
        ]}
      />
      <h2>Recent changes</h2>
      <Table
        caption="Recipient changes"
        rows={view.data?.changes ?? []}
        rowKey={(c) => `${c.time}|${c.files.join(',')}|${c.operation}`}
        empty="None."
        columns={[
          { key: 'time', label: 'When', render: (c) => when(c.time), sort: (c) => c.time },
          { key: 'identity', label: 'Who', render: (c) => c.identity ?? '' },
          {
            key: 'operation',
            label: 'Change',
            render: (c) => (
              <Badge tone={c.operation === 'recipients.add' ? 'info' : 'warn'}>
                {c.operation === 'recipients.add' ? 'added' : 'removed'}
              </Badge>
            ),
          },
          { key: 'recipients', label: 'Recipients', render: (c) => c.recipients.join(', ') },
          { key: 'files', label: 'Files', render: (c) => c.files.join(', ') },
          {
            key: 'rotated',
            label: 'Rotated',
            render: (c) => `${c.rotated.length} in the store, ${c.rotateByHand} by hand`,
          },
        ]}
      />
    </Page>
  );
}

export const pages: PageDef[] = [
  { route: '/ui/crypt/recipients', title: 'Encrypted files', nav: 'Operations', component: CryptRecipients },
];
