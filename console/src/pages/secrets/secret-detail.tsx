import { useEffect, useState } from 'preact/hooks';
import { api, enc } from '../../api';
import { can, clearCaps, useCaps } from '../../caps';
import { ConfirmDialog } from '../../components/confirm-dialog';
import { MaskedValue } from '../../components/masked-value';
import { Table } from '../../components/table';
import { Badge, Button, ErrorBanner, Page } from '../../components/ui';
import type { PageDef } from '../../page-def';
import { readMeta, readValue, type SecretMeta } from './secrets-api';
import { VersionDiff } from './version-diff';

type Version = SecretMeta['versions'][number];
const tone = (s: Version['state']) => (s === 'active' ? 'ok' : s === 'deleted' ? 'warn' : 'bad');

/**
 * `/ui/secrets/:project/:env/*` (GET /v1/metadata/<address>): one secret, its value masked (Reveal reads it, audited),
 * its versions with reveal, diff, rollback, delete/restore, and destroy behind a typed confirmation.
 */
function SecretDetail({ params }: { params: Record<string, string> }) {
  const path = `${params['project']}/${params['env']}/${params['*']}`;
  const [meta, setMeta] = useState<SecretMeta | undefined>(undefined);
  const [error, setError] = useState<unknown>(undefined);
  const [destroying, setDestroying] = useState<number | undefined>(undefined);
  const caps = useCaps([path]);
  const reload = () => readMeta(path).then(setMeta, setError);
  useEffect(() => {
    void reload();
  }, [path]);
  const act = async (fn: () => Promise<unknown>) => {
    setError(undefined);
    try {
      await fn();
      clearCaps();
      await reload();
    } catch (err) {
      setError(err);
    }
  };
  const current = meta?.versions.find((v) => v.version === meta.current);
  return (
    <Page
      title={path}
      actions={<a href={`/ui/secrets/${encodeURIComponent(params['project'] ?? '')}`}>Back to the project</a>}
    >
      <ErrorBanner error={error} />
      {meta && current ? (
        <>
          <p>
            Current version {meta.current} <Badge tone={tone(current.state)}>{current.state}</Badge>, updated
            by {meta.updatedBy} at {meta.updatedAt}
          </p>
          {current.state === 'active' ? (
            <MaskedValue
              label={`${path} value`}
              load={() => readValue(path)}
              canRead={can(caps, path, 'read')}
            />
          ) : null}
          <h2>Versions</h2>
          <Table
            caption={`Versions of ${path}`}
            rows={[...meta.versions].reverse()}
            rowKey={(v) => String(v.version)}
            columns={[
              { key: 'version', label: 'Version', sort: (v) => v.version },
              { key: 'state', label: 'State', render: (v) => <Badge tone={tone(v.state)}>{v.state}</Badge> },
              { key: 'createdAt', label: 'Written', render: (v) => `${v.createdAt} by ${v.createdBy}` },
              {
                key: 'value',
                label: 'Value',
                render: (v) =>
                  v.state === 'active' ? (
                    <MaskedValue
                      label={`version ${v.version}`}
                      load={() => readValue(path, v.version)}
                      canRead={can(caps, path, 'read')}
                    />
                  ) : null,
              },
              {
                key: 'actions',
                label: 'Actions',
                render: (v) => (
                  <span class="row">
                    {v.state === 'active' && v.version !== meta.current && can(caps, path, 'update') ? (
                      <Button
                        class="btn-small"
                        onClick={() =>
                          act(() => api('POST', `/secrets-rollback/${enc(path)}`, { version: v.version }))
                        }
                      >
                        Roll back to v{v.version}
                      </Button>
                    ) : null}
                    {v.state === 'active' && can(caps, path, 'delete') ? (
                      <Button
                        class="btn-small"
                        onClick={() =>
                          act(() => api('DELETE', `/secrets/${enc(path)}?versions=${v.version}`))
                        }
                      >
                        Delete v{v.version}
                      </Button>
                    ) : null}
                    {v.state === 'deleted' && can(caps, path, 'delete') ? (
                      <Button
                        class="btn-small"
                        onClick={() =>
                          act(() => api('POST', `/secrets-undelete/${enc(path)}`, { versions: [v.version] }))
                        }
                      >
                        Restore v{v.version}
                      </Button>
                    ) : null}
                    {v.state !== 'destroyed' && can(caps, path, 'destroy') ? (
                      <Button kind="danger" class="btn-small" onClick={() => setDestroying(v.version)}>
                        Destroy v{v.version}
                      </Button>
                    ) : null}
                  </span>
                ),
              },
            ]}
          />
          {can(caps, path, 'read') ? <VersionDiff path={path} versions={meta.versions} /> : null}
        </>
      ) : null}
      <ConfirmDialog
        open={destroying !== undefined}
        title={`Destroy version ${destroying} of ${path}?`}
        message="Destroying deletes the version's data key: it can never be read or restored again."
        confirmText={path}
        actionLabel="Destroy for good"
        onCancel={() => setDestroying(undefined)}
        onConfirm={async () => {
          await api('POST', `/secrets-destroy/${enc(path)}`, { versions: [destroying] });
          setDestroying(undefined);
          await reload();
        }}
      />
    </Page>
  );
}

export const pages: PageDef[] = [
  { route: '/ui/secrets/:project/:env/*', title: 'Secret', component: SecretDetail },
];
