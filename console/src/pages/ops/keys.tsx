import { useState } from 'preact/hooks';
import { api, enc } from '../../api';
import { can, useCaps } from '../../caps';
import { Table } from '../../components/table';
import { Badge, Button, ErrorBanner, Page } from '../../components/ui';
import type { PageDef } from '../../page-def';
import { useLoad, when } from './ops-load';

interface Keyring {
  scope: string;
  protector: string;
  available: boolean;
  error?: { code: string; message: string };
  current?: number;
  versions: { version: number; createdAt: string }[];
  lastRotatedAt?: string;
  importedAt?: string;
}
interface KeysStatus {
  root: { initializedAt: string; lastRotatedAt: string };
  keyrings: Keyring[];
}

/** `root`, `imported:<fingerprint>` (BYOK) or `hsm:<id>`, said for people. */
function Protector({ p }: { p: string }) {
  if (p.startsWith('imported:'))
    return <Badge tone="info">{`BYOK ${p.slice('imported:'.length, 25)}…`}</Badge>;
  if (p.startsWith('hsm:')) return <Badge tone="info">{`HSM ${p.slice(4)}`}</Badge>;
  return <Badge tone="ok">{p}</Badge>;
}

/**
 * `/ui/keys/status` (GET /v1/keys/status, `read` on `sys/keys`): the root key's dates and, per project/environment,
 * what protects its keyring (the root key, an imported BYOK key, an HSM key), its KEK versions and last rotation.
 * "Rotate KEK" (POST /v1/keys/<project>/<env>/rotate) adds a version for new writes; old data keys stay readable.
 */
function KeysPage() {
  const status = useLoad(() => api<KeysStatus>('GET', '/keys/status'));
  const keyrings = status.data?.keyrings ?? [];
  const caps = useCaps(keyrings.map((k) => k.scope));
  const [error, setError] = useState<unknown>(undefined);
  const [notice, setNotice] = useState('');
  const rotate = async (k: Keyring) => {
    setError(undefined);
    try {
      const r = await api<{ current: number }>('POST', `/keys/${enc(k.scope)}/rotate`);
      setNotice(`${k.scope}: KEK version ${r.current} is current.`);
      status.reload();
    } catch (err) {
      setError(err);
    }
  };
  const root = status.data?.root;
  return (
    <Page title="Keys">
      <ErrorBanner error={status.error ?? error} />
      {notice ? (
        <p role="status" class="ops-notice">
          {notice}
        </p>
      ) : null}
      {root ? (
        <dl class="ops-facts">
          <dt>Root key created</dt>
          <dd>{when(root.initializedAt)}</dd>
          <dt>Root key last rotated</dt>
          <dd>{when(root.lastRotatedAt)}</dd>
        </dl>
      ) : null}
      <Table
        caption="Keyrings"
        rows={keyrings}
        rowKey={(k) => k.scope}
        empty="No keyring yet (one is made with the first secret of a project/environment)."
        columns={[
          { key: 'scope', label: 'Project/environment', sort: (k) => k.scope },
          { key: 'protector', label: 'Protected by', render: (k) => <Protector p={k.protector} /> },
          {
            key: 'available',
            label: 'State',
            render: (k) =>
              k.available ? (
                <Badge tone="ok">available</Badge>
              ) : (
                <span title={k.error?.message ?? ''}>
                  <Badge tone="bad">unavailable</Badge> {k.error?.code ?? ''}
                </span>
              ),
          },
          {
            key: 'versions',
            label: 'KEK versions',
            render: (k) => (k.current ? `${k.current} current, ${k.versions.length} kept` : '?'),
            sort: (k) => k.current ?? 0,
          },
          {
            key: 'lastRotatedAt',
            label: 'Last rotated',
            render: (k) => when(k.lastRotatedAt),
            sort: (k) => k.lastRotatedAt ?? '',
          },
          {
            key: 'actions',
            label: 'Actions',
            render: (k) =>
              // Reserved keyrings (`@identity/v1`...) belong to the server's own records: rotated with the root key.
              !k.scope.startsWith('@') && can(caps, k.scope, 'rotate') && k.available ? (
                <Button onClick={() => rotate(k)} aria-label={`Rotate KEK: ${k.scope}`}>
                  Rotate KEK
                </Button>
              ) : null,
          },
        ]}
      />
    </Page>
  );
}

export const pages: PageDef[] = [
  { route: '/ui/keys/status', title: 'Keys', nav: 'Operations', component: KeysPage },
];
