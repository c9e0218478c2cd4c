import { api } from '../../api';
import { Table } from '../../components/table';
import { Badge, ErrorBanner, Page } from '../../components/ui';
import type { PageDef } from '../../page-def';
import { navigate } from '../../router';
import { useLoad, when } from './ops-load';

interface Alert {
  id: string;
  rule: string;
  severity: string;
  time: string;
  identity?: string;
  sourceAddress?: string;
  path?: string;
  count?: number;
  message: string;
}

const TONE: Record<string, 'bad' | 'warn' | 'info'> = { critical: 'bad', high: 'bad', warning: 'warn' };

/** `/ui/sys/alerts` (GET /v1/sys/alerts): recent security alerts, newest first, filtered by rule (`?rule=`). */
function Alerts({ query }: { query: URLSearchParams }) {
  const rule = query.get('rule') ?? '';
  const list = useLoad(
    () =>
      api<{ alerts: Alert[] }>(
        'GET',
        `/sys/alerts?limit=500${rule ? `&rule=${encodeURIComponent(rule)}` : ''}`,
      ),
    rule,
  );
  const alerts = list.data?.alerts ?? [];
  return (
    <Page title="Alerts">
      <form
        class="ops-toolbar"
        aria-label="Filter alerts"
        onSubmit={(e) => {
          e.preventDefault();
          const r = String(new FormData(e.currentTarget as HTMLFormElement).get('rule') ?? '').trim();
          navigate(`/ui/sys/alerts${r ? `?rule=${encodeURIComponent(r)}` : ''}`);
        }}
      >
        <label for="alert-rule">Rule</label>
        <input id="alert-rule" name="rule" defaultValue={rule} placeholder="e.g. approval-requested" />
        <button type="submit" class="btn btn-plain">
          Filter
        </button>
      </form>
      <ErrorBanner error={list.error} />
      <Table
        caption="Security alerts"
        rows={alerts}
        rowKey={(a) => a.id}
        empty="No alerts kept on this server."
        columns={[
          {
            key: 'time',
            label: 'When',
            render: (a) => <time dateTime={a.time}>{when(a.time)}</time>,
            sort: (a) => a.time,
          },
          {
            key: 'severity',
            label: 'Severity',
            render: (a) => <Badge tone={TONE[a.severity] ?? 'info'}>{a.severity}</Badge>,
            sort: (a) => a.severity,
          },
          {
            key: 'rule',
            label: 'Rule',
            render: (a) => <a href={`/ui/sys/alerts?rule=${encodeURIComponent(a.rule)}`}>{a.rule}</a>,
            sort: (a) => a.rule,
          },
          { key: 'message', label: 'Message' },
          { key: 'identity', label: 'Who', render: (a) => a.identity ?? '' },
          { key: 'path', label: 'Path', render: (a) => (a.path ? <code>{a.path}</code> : '') },
        ]}
      />
    </Page>
  );
}

export const pages: PageDef[] = [
  { route: '/ui/sys/alerts', title: 'Alerts', nav: 'Operations', component: Alerts },
];
