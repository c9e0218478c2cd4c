import { useEffect, useMemo, useState } from 'preact/hooks';
import { can, useCaps } from '../../caps';
import { MaskedValue } from '../../components/masked-value';
import { type Column, Table } from '../../components/table';
import { Button, ErrorBanner, Field, Page } from '../../components/ui';
import type { PageDef } from '../../page-def';
import { BulkPaste } from './bulk-paste';
import { RowEditor } from './row-editor';
import { byName, type ListEntry, loadNames, readValue, secretHref, splitAddress } from './secrets-api';

/** Rows shown at once: the capability question covers exactly these cells (narrow the filter for the rest). */
const SHOWN = 50;
/** The usual environments, shown first and in this order; others follow alphabetically. */
const ORDER = ['dev', 'development', 'staging', 'stage', 'qa', 'prod', 'production'];

interface Row {
  name: string;
  /** env -> address, where the key exists in that environment. */
  cells: Record<string, string>;
}

/** Group a project's secrets into one row per key name, one column per environment. */
export function toGrid(entries: readonly ListEntry[]): { envs: string[]; rows: Row[] } {
  const envs = new Set<string>();
  const rows = new Map<string, Row>();
  for (const e of entries) {
    if (e.kind !== 'secret') continue;
    const { env, name } = splitAddress(e.path);
    envs.add(env);
    let row = rows.get(name);
    if (!row) {
      row = { name, cells: {} };
      rows.set(name, row);
    }
    row.cells[env] = e.path;
  }
  const rank = (env: string) => {
    const i = ORDER.indexOf(env);
    return i < 0 ? ORDER.length : i;
  };
  return {
    envs: [...envs].sort((a, b) => rank(a) - rank(b) || byName(a, b)),
    rows: [...rows.values()].sort((a, b) => byName(a.name, b.name)),
  };
}

/**
 * `/ui/secrets/:project` (GET /v1/list/<project>?recursive=true): the project x environment grid, one row per key
 * and one column per environment, so one key is seen and edited across dev/staging/prod on one screen. Values stay
 * masked; Reveal is the audited read of that one cell.
 */
function SecretsGrid({ params }: { params: Record<string, string> }) {
  const project = params['project'] ?? '';
  const [entries, setEntries] = useState<ListEntry[] | undefined>(undefined);
  const [error, setError] = useState<unknown>(undefined);
  const [filter, setFilter] = useState('');
  const [editing, setEditing] = useState<string | undefined>(undefined);
  const [pasting, setPasting] = useState(false);
  const reload = (fresh = true) => loadNames(project, fresh).then(setEntries, setError);
  useEffect(() => {
    setEntries(undefined);
    // The first load takes the listing prefetched or loaded moments ago; after an edit, `reload()` asks again.
    void reload(false);
  }, [project]);
  const grid = useMemo(() => toGrid(entries ?? []), [entries]);
  const needle = filter.trim().toLowerCase();
  const rows = needle ? grid.rows.filter((r) => r.name.toLowerCase().includes(needle)) : grid.rows;
  const shown = rows.slice(0, SHOWN);
  const paths = shown.flatMap((r) => grid.envs.map((env) => `${project}/${env}/${r.name}`));
  const caps = useCaps(paths);
  const columns: Column<Row>[] = [
    {
      key: 'name',
      label: 'Key',
      sort: (r) => r.name,
      render: (r) => (
        <span class="grid-cell">
          <strong>{r.name}</strong>
          <Button
            class="btn-small"
            onClick={() => setEditing(r.name)}
            aria-label={`Edit ${r.name} in every environment`}
          >
            Edit
          </Button>
        </span>
      ),
    },
    ...grid.envs.map(
      (env): Column<Row> => ({
        key: env,
        label: env,
        render: (r) => {
          const path = r.cells[env];
          if (!path) return <span class="muted">—</span>;
          return (
            <span class="grid-cell">
              <MaskedValue label={path} load={() => readValue(path)} canRead={can(caps, path, 'read')} />
              <a href={secretHref(path)} class="muted">
                history
              </a>
            </span>
          );
        },
      }),
    ),
  ];
  const editRow =
    editing === undefined
      ? undefined
      : (grid.rows.find((r) => r.name === editing) ?? { name: editing, cells: {} });
  return (
    <Page
      title={`Project ${project}`}
      actions={
        <>
          <Button onClick={() => setEditing('')}>Add key</Button>
          <Button onClick={() => setPasting(!pasting)} aria-expanded={pasting}>
            Paste .env
          </Button>
          <a href={`/ui/secrets-trash/${encodeURIComponent(project)}`}>Trash</a>
        </>
      }
    >
      <ErrorBanner error={error} />
      {pasting ? (
        <BulkPaste
          project={project}
          envs={grid.envs}
          onDone={() => {
            void reload();
          }}
        />
      ) : null}
      {editRow ? (
        <RowEditor
          project={project}
          envs={grid.envs.length ? grid.envs : ['dev', 'staging', 'prod']}
          row={editRow}
          onClose={(changed) => {
            setEditing(undefined);
            if (changed) void reload();
          }}
        />
      ) : null}
      <search class="search">
        <Field
          label="Filter keys"
          name="filter"
          type="search"
          value={filter}
          autocomplete="off"
          onInput={(e: Event) => setFilter((e.target as HTMLInputElement).value)}
        />
      </search>
      {entries === undefined && !error ? <p class="loading">Loading…</p> : null}
      <p class="muted" aria-live="polite">
        {rows.length} keys in {grid.envs.length} environments
      </p>
      <Table
        caption={`Secrets of ${project}`}
        rows={rows}
        rowKey={(r) => r.name}
        columns={columns}
        limit={SHOWN}
      />
    </Page>
  );
}

export const pages: PageDef[] = [
  {
    route: '/ui/secrets/:project',
    title: 'Project secrets',
    prefetch: (params) => void loadNames(params['project'] ?? '').catch(() => undefined),
    component: SecretsGrid,
  },
];
