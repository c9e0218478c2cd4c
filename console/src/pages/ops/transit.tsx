import { useState } from 'preact/hooks';
import { api } from '../../api';
import { can, useCaps } from '../../caps';
import { Table } from '../../components/table';
import { Badge, Button, ErrorBanner, Page } from '../../components/ui';
import type { PageDef } from '../../page-def';
import { useLoad, when } from './ops-load';

interface TransitKey {
  name: string;
  type: string;
  derived: boolean;
  exportable: boolean;
  deletionAllowed: boolean;
  minDecryptionVersion: number;
  minEncryptionVersion: number;
  latestVersion: number;
  versions: { version: number; createdAt: string }[];
  createdAt: string;
  updatedAt: string;
}

const keyHref = (name: string) => `/ui/transit/keys/${encodeURIComponent(name)}`;

/** `/ui/transit/keys` (GET /v1/transit/keys, `list` on `transit/keys`): the transit key names, each a link. */
function TransitKeys() {
  const list = useLoad(() => api<{ keys: string[] }>('GET', '/transit/keys'));
  const rows = (list.data?.keys ?? []).map((name) => ({ name }));
  return (
    <Page title="Transit keys">
      <ErrorBanner error={list.error} />
      <Table
        caption="Transit keys"
        rows={rows}
        rowKey={(r) => r.name}
        empty="No transit key yet (hush transit keys create NAME)."
        columns={[
          {
            key: 'name',
            label: 'Key',
            render: (r) => <a href={keyHref(r.name)}>{r.name}</a>,
            sort: (r) => r.name,
          },
        ]}
      />
    </Page>
  );
}

/**
 * `/ui/transit/keys/:name` (GET /v1/transit/keys/<name>): the key's type, rules and versions (which decrypt, which
 * encrypt). "Rotate" (POST .../rotate, `rotate` on `transit/keys/<name>`) adds a latest version; older versions keep
 * decrypting, so it needs no typed confirmation.
 */
function TransitKeyPage({ params }: { params: Record<string, string> }) {
  const name = params['name'] ?? '';
  const key = useLoad(() => api<TransitKey>('GET', `/transit/keys/${encodeURIComponent(name)}`), name);
  const policyPath = `transit/keys/${name}`;
  const caps = useCaps([policyPath]);
  const [error, setError] = useState<unknown>(undefined);
  const [notice, setNotice] = useState('');
  const k = key.data;
  return (
    <Page
      title={`Transit key ${name}`}
      actions={
        can(caps, policyPath, 'rotate') ? (
          <Button
            kind="primary"
            onClick={async () => {
              setError(undefined);
              try {
                const r = await api<TransitKey>('POST', `/transit/keys/${encodeURIComponent(name)}/rotate`);
                setNotice(`Version ${r.latestVersion} is now the latest.`);
                key.reload();
              } catch (err) {
                setError(err);
              }
            }}
          >
            Rotate
          </Button>
        ) : null
      }
    >
      <p>
        <a href="/ui/transit/keys">All transit keys</a>
      </p>
      <ErrorBanner error={key.error ?? error} />
      {notice ? (
        <p role="status" class="ops-notice">
          {notice}
        </p>
      ) : null}
      {k ? (
        <>
          <dl class="ops-facts">
            <dt>Type</dt>
            <dd>{k.type}</dd>
            <dt>Latest version</dt>
            <dd>{k.latestVersion}</dd>
            <dt>Decrypts from version</dt>
            <dd>{k.minDecryptionVersion}</dd>
            <dt>Flags</dt>
            <dd>
              {k.derived ? <Badge>derived</Badge> : null}{' '}
              {k.exportable ? <Badge tone="warn">exportable</Badge> : null}{' '}
              {k.deletionAllowed ? <Badge tone="warn">deletion allowed</Badge> : null}
            </dd>
          </dl>
          <Table
            caption="Key versions"
            rows={[...k.versions].reverse()}
            rowKey={(v) => String(v.version)}
            columns={[
              { key: 'version', label: 'Version', sort: (v) => v.version },
              { key: 'createdAt', label: 'Created', render: (v) => when(v.createdAt) },
              {
                key: 'use',
                label: 'Use',
                render: (v) =>
                  v.version === k.latestVersion ? (
                    <Badge tone="ok">encrypts and decrypts</Badge>
                  ) : v.version >= k.minDecryptionVersion ? (
                    <Badge>decrypts</Badge>
                  ) : (
                    <Badge tone="bad">refused</Badge>
                  ),
              },
            ]}
          />
        </>
      ) : null}
    </Page>
  );
}

export const pages: PageDef[] = [
  { route: '/ui/transit/keys', title: 'Transit keys', nav: 'Operations', component: TransitKeys },
  { route: '/ui/transit/keys/:name', title: 'Transit key', component: TransitKeyPage },
];
