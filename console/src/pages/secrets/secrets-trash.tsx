import { useEffect, useState } from 'preact/hooks';
import { api, enc } from '../../api';
import { Table } from '../../components/table';
import { Button, ErrorBanner, Page } from '../../components/ui';
import type { PageDef } from '../../page-def';
import { eachLimited, listAll, readMeta, type SecretMeta, secretHref, splitAddress } from './secrets-api';

interface Trashed {
  path: string;
  versions: number[];
  deletedAt: string;
}

/** The secrets of `prefix` with soft-deleted versions (their metadata, a few requests at a time). */
async function trashOf(prefix: string): Promise<Trashed[]> {
  const secrets = (await listAll(prefix, true)).filter((e) => e.kind === 'secret');
  const metas = await eachLimited(secrets, 8, (e) => readMeta(e.path).catch(() => undefined));
  return metas
    .filter((m): m is SecretMeta => m !== undefined)
    .map((m) => {
      const deleted = m.versions.filter((v) => v.state === 'deleted');
      return {
        path: m.path,
        versions: deleted.map((v) => v.version),
        deletedAt:
          (deleted as { deletedAt?: string }[])
            .map((v) => v.deletedAt ?? '')
            .sort()
            .pop() ?? '',
      };
    })
    .filter((t) => t.versions.length > 0);
}

/**
 * `/ui/secrets-trash` and `/ui/secrets-trash/:project` (POST /v1/secrets-undelete/...): soft-deleted versions, each
 * restorable. Without a project, the projects to pick from.
 */
function Trash({ params }: { params: Record<string, string> }) {
  const project = params['project'];
  const [items, setItems] = useState<Trashed[] | undefined>(undefined);
  const [projects, setProjects] = useState<string[] | undefined>(undefined);
  const [error, setError] = useState<unknown>(undefined);
  const reload = () =>
    project
      ? trashOf(project).then(setItems, setError)
      : listAll('', false).then((e) => setProjects(e.map((x) => splitAddress(x.path).project)), setError);
  useEffect(() => {
    setItems(undefined);
    void reload();
  }, [project]);
  return (
    <Page title={project ? `Trash of ${project}` : 'Trash'}>
      <ErrorBanner error={error} />
      {!project ? (
        <ul>
          {(projects ?? []).map((p) => (
            <li key={p}>
              <a href={`/ui/secrets-trash/${encodeURIComponent(p)}`}>{p}</a>
            </li>
          ))}
        </ul>
      ) : items === undefined && !error ? (
        <p class="loading">Loading…</p>
      ) : (
        <Table
          caption={`Soft-deleted secrets of ${project}`}
          rows={items ?? []}
          rowKey={(t) => t.path}
          empty="The trash is empty."
          columns={[
            {
              key: 'path',
              label: 'Secret',
              sort: (t) => t.path,
              render: (t) => <a href={secretHref(t.path)}>{t.path}</a>,
            },
            {
              key: 'versions',
              label: 'Deleted versions',
              render: (t) => t.versions.map((v) => `v${v}`).join(', '),
            },
            { key: 'deletedAt', label: 'Deleted at', sort: (t) => t.deletedAt },
            {
              key: 'restore',
              label: 'Restore',
              render: (t) => (
                <Button
                  class="btn-small"
                  aria-label={`Restore ${t.path}`}
                  onClick={async () => {
                    setError(undefined);
                    try {
                      await api('POST', `/secrets-undelete/${enc(t.path)}`, { versions: t.versions });
                      await reload();
                    } catch (err) {
                      setError(err);
                    }
                  }}
                >
                  Restore
                </Button>
              ),
            },
          ]}
        />
      )}
    </Page>
  );
}

export const pages: PageDef[] = [
  { route: '/ui/secrets-trash', title: 'Trash', nav: 'Secrets', component: Trash },
  { route: '/ui/secrets-trash/:project', title: 'Trash', component: Trash },
];
