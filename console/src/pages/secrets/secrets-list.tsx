import { useEffect, useMemo, useState } from 'preact/hooks';
import { Table } from '../../components/table';
import { ErrorBanner, Field, Page } from '../../components/ui';
import type { PageDef } from '../../page-def';
import { navigate } from '../../router';
import { type ListEntry, loadNames, secretHref, splitAddress } from './secrets-api';

/**
 * `/ui/secrets` (GET /v1/list): the projects, and a global recursive search by name over every secret the caller
 * may see (one recursive listing, filtered in the browser as the user types; `?q=` keeps the search in the URL).
 */
function SecretsHome({ query }: { query: URLSearchParams }) {
  const [entries, setEntries] = useState<ListEntry[] | undefined>(undefined);
  const [error, setError] = useState<unknown>(undefined);
  const [q, setQ] = useState(query.get('q') ?? '');
  useEffect(() => {
    loadNames('').then(setEntries, setError);
  }, []);
  const projects = useMemo(() => {
    const seen = new Map<string, number>();
    for (const e of entries ?? []) {
      if (e.kind !== 'secret') continue;
      const p = splitAddress(e.path).project;
      seen.set(p, (seen.get(p) ?? 0) + 1);
    }
    return [...seen].map(([name, count]) => ({ name, count }));
  }, [entries]);
  const needle = q.trim().toLowerCase();
  const hits = useMemo(
    () =>
      needle === ''
        ? []
        : (entries ?? []).filter((e) => e.kind === 'secret' && e.path.toLowerCase().includes(needle)),
    [entries, needle],
  );
  return (
    <Page title="Secrets" actions={<a href="/ui/secrets-trash">Trash</a>}>
      <ErrorBanner error={error} />
      <search class="search">
        <Field
          label="Search every secret by name"
          name="q"
          type="search"
          value={q}
          autocomplete="off"
          onInput={(e: Event) => {
            const v = (e.target as HTMLInputElement).value;
            setQ(v);
            navigate(`/ui/secrets${v ? `?q=${encodeURIComponent(v)}` : ''}`, true);
          }}
        />
      </search>
      {entries === undefined && !error ? <p class="loading">Loading…</p> : null}
      {needle !== '' ? (
        <Table
          caption="Search results"
          rows={hits}
          rowKey={(e) => e.path}
          empty="No secret name matches."
          columns={[
            {
              key: 'path',
              label: `${hits.length} matching secrets`,
              sort: (e) => e.path,
              render: (e) => <a href={secretHref(e.path)}>{e.path}</a>,
            },
          ]}
        />
      ) : (
        <Table
          caption="Projects"
          rows={projects}
          rowKey={(p) => p.name}
          empty="No projects you may see yet."
          columns={[
            {
              key: 'name',
              label: 'Project',
              sort: (p) => p.name,
              render: (p) => <a href={`/ui/secrets/${encodeURIComponent(p.name)}`}>{p.name}</a>,
            },
            { key: 'count', label: 'Secrets', sort: (p) => p.count },
          ]}
        />
      )}
    </Page>
  );
}

export const pages: PageDef[] = [
  {
    route: '/ui/secrets',
    title: 'Secrets',
    nav: 'Secrets',
    prefetch: () => void loadNames('').catch(() => undefined),
    component: SecretsHome,
  },
];
