import { useState } from 'preact/hooks';
import { api, enc } from '../../api';
import { can, useCaps } from '../../caps';
import { ConfirmDialog } from '../../components/confirm-dialog';
import { Table } from '../../components/table';
import { Badge, Button, ErrorBanner, Page } from '../../components/ui';
import type { PageDef } from '../../page-def';
import { navigate } from '../../router';
import { useLoad, when } from './ops-load';

interface StatusEntry {
  path: string;
  policy: { kind: 'path' | 'prefix'; target: string };
  nextDueAt: string;
  due: boolean;
  flagged: boolean;
  onDeploy: boolean;
  last?: { outcome: 'rotated' | 'failed'; at: string; version?: number; code?: string; message?: string };
}

/**
 * `/ui/rotation/status` (GET /v1/rotation/status?prefix=): every secret a rotation policy covers and the caller may
 * rotate, when it is next due, whether it is flagged, and how its last rotation went. "Rotate now" (POST
 * /v1/rotation/rotate/<address>) replaces the value, so it asks for the address typed.
 */
function RotationStatus({ query }: { query: URLSearchParams }) {
  const prefix = query.get('prefix') ?? '';
  const list = useLoad(
    () =>
      api<{ entries: StatusEntry[] }>(
        'GET',
        `/rotation/status${prefix ? `?prefix=${encodeURIComponent(prefix)}` : ''}`,
      ),
    prefix,
  );
  const entries = list.data?.entries ?? [];
  const caps = useCaps(entries.map((e) => e.path));
  const [target, setTarget] = useState<string | undefined>(undefined);
  const [notice, setNotice] = useState('');
  return (
    <Page title="Rotation">
      <form
        class="ops-toolbar"
        aria-label="Rotation prefix"
        onSubmit={(e) => {
          e.preventDefault();
          const p = String(new FormData(e.currentTarget as HTMLFormElement).get('prefix') ?? '').trim();
          navigate(`/ui/rotation/status${p ? `?prefix=${encodeURIComponent(p)}` : ''}`);
        }}
      >
        <label for="rotation-prefix">Prefix</label>
        <input id="rotation-prefix" name="prefix" defaultValue={prefix} placeholder="e.g. payments/prod" />
        <button type="submit" class="btn btn-plain">
          Show
        </button>
      </form>
      <ErrorBanner error={list.error} />
      {notice ? (
        <p role="status" class="ops-notice">
          {notice}
        </p>
      ) : null}
      <Table
        caption="Rotation status"
        rows={entries}
        rowKey={(e) => e.path}
        empty="No secret you may rotate is covered by a rotation policy here."
        columns={[
          {
            key: 'path',
            label: 'Secret',
            render: (e) => <a href={`/ui/secrets/${enc(e.path)}`}>{e.path}</a>,
            sort: (e) => e.path,
          },
          { key: 'policy', label: 'Policy', render: (e) => `${e.policy.kind} ${e.policy.target}` },
          {
            key: 'nextDueAt',
            label: 'Next due',
            render: (e) => (
              <span>
                <time dateTime={e.nextDueAt}>{when(e.nextDueAt)}</time>{' '}
                {e.due ? <Badge tone="warn">due</Badge> : null}
                {e.flagged ? <Badge tone="warn">flagged</Badge> : null}
              </span>
            ),
            sort: (e) => e.nextDueAt,
          },
          {
            key: 'last',
            label: 'Last rotation',
            render: (e) =>
              e.last ? (
                <span title={e.last.message ?? ''}>
                  <Badge tone={e.last.outcome === 'rotated' ? 'ok' : 'bad'}>{e.last.outcome}</Badge>{' '}
                  {when(e.last.at)}
                  {e.last.code ? ` ${e.last.code}` : ''}
                </span>
              ) : (
                'never'
              ),
          },
          {
            key: 'actions',
            label: 'Actions',
            render: (e) =>
              can(caps, e.path, 'rotate') ? (
                <Button kind="danger" onClick={() => setTarget(e.path)} aria-label={`Rotate now: ${e.path}`}>
                  Rotate now
                </Button>
              ) : null,
          },
        ]}
      />
      <ConfirmDialog
        open={target !== undefined}
        title="Rotate now"
        message={`A new value is generated and promoted for ${target ?? ''}; the current one becomes the previous version.`}
        confirmText={target ?? ''}
        actionLabel="Rotate"
        onCancel={() => setTarget(undefined)}
        onConfirm={async () => {
          const r = await api<{ outcome: string; version?: number; message?: string }>(
            'POST',
            `/rotation/rotate/${enc(target ?? '')}`,
          );
          setTarget(undefined);
          setNotice(
            r.outcome === 'rotated'
              ? `Rotated ${target}: version ${r.version ?? '?'} is current.`
              : `Rotation of ${target} failed: ${r.message ?? ''}`,
          );
          list.reload();
        }}
      />
    </Page>
  );
}

export const pages: PageDef[] = [
  { route: '/ui/rotation/status', title: 'Rotation', nav: 'Operations', component: RotationStatus },
];
