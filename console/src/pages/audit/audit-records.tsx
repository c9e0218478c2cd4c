import { useEffect, useState } from 'preact/hooks';
import { api } from '../../api';
import { Table } from '../../components/table';
import { Badge, Button, ErrorBanner, Field, Form, Page } from '../../components/ui';
import type { PageDef } from '../../page-def';
import { navigate } from '../../router';

interface AuditRecord {
  seq: number;
  time: string;
  requestId: string;
  identity: string | null;
  tokenAccessor: string | null;
  operation: string;
  path: string | null;
  outcome: string;
  errorCode: string | null;
  hash: string;
  prev: string;
  details?: Record<string, unknown>;
  outcomeUnknown?: boolean;
}
interface Verification {
  ok: boolean;
  checked: number;
  head: { seq: number; hash: string };
  problem?: { kind: string; seq: number | null; line: number; file?: string; message: string };
  outcomeUnknownCount: number;
  storedHead?: { seq: number; hash: string; updatedAt: string };
  storedHeadProblem?: string;
}

const FILTERS = ['path', 'identity', 'outcome', 'operation', 'since', 'until'] as const;
const tone = (o: string) => (o === 'allowed' ? 'ok' : o === 'denied' ? 'bad' : 'warn');

/** The chain's verification state and head (GET /v1/sys/audit/verify). */
function ChainState() {
  const [v, setV] = useState<Verification | undefined>(undefined);
  const [error, setError] = useState<unknown>(undefined);
  useEffect(() => {
    api<Verification>('GET', '/sys/audit/verify').then(setV, setError);
  }, []);
  if (error) return <ErrorBanner error={error} />;
  if (!v) return <p class="loading">Verifying the chain…</p>;
  return (
    <section aria-label="Chain verification" class="chain-state">
      <p role="status">
        <Badge tone={v.ok ? 'ok' : 'bad'}>{v.ok ? 'chain verified' : 'chain broken'}</Badge> {v.checked}{' '}
        records verified; head seq {v.head.seq}, hash <code>{v.head.hash}</code>
      </p>
      {v.problem ? (
        <p>
          {v.problem.kind} at {v.problem.file ?? ''}:{v.problem.line}: {v.problem.message}
        </p>
      ) : null}
      {v.storedHead ? (
        <p>
          Head kept in the store: seq {v.storedHead.seq} (updated {v.storedHead.updatedAt})
          {v.storedHeadProblem ? `: ${v.storedHeadProblem}` : ', reached by the files'}
        </p>
      ) : null}
      {v.outcomeUnknownCount > 0 ? <p>{v.outcomeUnknownCount} writes with an unknown outcome.</p> : null}
    </section>
  );
}

/**
 * `/ui/sys/audit/records` (GET /v1/sys/audit/records): search and filter the trail by path glob, identity,
 * outcome, operation and time (filters live in the URL), newest first; each row links to the request's record.
 */
function AuditSearch({ query }: { query: URLSearchParams }) {
  const [records, setRecords] = useState<AuditRecord[] | undefined>(undefined);
  const [truncated, setTruncated] = useState(false);
  const [error, setError] = useState<unknown>(undefined);
  const qs = query.toString();
  useEffect(() => {
    setError(undefined);
    api<{ records: AuditRecord[]; truncated: boolean }>(
      'GET',
      `/sys/audit/records${qs ? `?${qs}` : ''}`,
    ).then((r) => {
      setRecords(r.records);
      setTruncated(r.truncated);
    }, setError);
  }, [qs]);
  return (
    <Page title="Audit trail">
      <ChainState />
      <Form
        label="Filter the trail"
        onSubmit={(form) => {
          const next = new URLSearchParams();
          for (const [k, v] of new FormData(form))
            if (typeof v === 'string' && v.trim()) next.set(k, v.trim());
          navigate(`/ui/sys/audit/records${next.size ? `?${next}` : ''}`);
        }}
      >
        <div class="filters">
          {FILTERS.filter((f) => f !== 'outcome').map((f) => (
            <Field key={f} label={f} name={f} defaultValue={query.get(f) ?? ''} autocomplete="off" />
          ))}
          <div class="field">
            <label for="f-outcome">outcome</label>
            <select id="f-outcome" name="outcome" defaultValue={query.get('outcome') ?? ''}>
              <option value="">any</option>
              <option value="allowed">allowed</option>
              <option value="denied">denied</option>
              <option value="error">error</option>
            </select>
          </div>
        </div>
        <Button kind="primary" type="submit">
          Search
        </Button>
      </Form>
      <ErrorBanner error={error} />
      {truncated ? <p>Showing the newest 100 matches; narrow the filters for older ones.</p> : null}
      <Table
        caption="Audit records"
        rows={records ?? []}
        rowKey={(r) => String(r.seq)}
        empty={records ? 'No matching records.' : 'Loading…'}
        columns={[
          { key: 'seq', label: 'Seq', sort: (r) => r.seq },
          { key: 'time', label: 'Time', sort: (r) => r.time },
          { key: 'identity', label: 'Identity', sort: (r) => r.identity ?? '' },
          { key: 'operation', label: 'Operation', sort: (r) => r.operation },
          { key: 'path', label: 'Path', sort: (r) => r.path ?? '', render: (r) => r.path ?? '—' },
          {
            key: 'outcome',
            label: 'Outcome',
            sort: (r) => r.outcome,
            render: (r) => <Badge tone={tone(r.outcome)}>{r.outcomeUnknown ? 'unknown' : r.outcome}</Badge>,
          },
          {
            key: 'requestId',
            label: 'Request',
            render: (r) => (
              <a href={`/ui/sys/audit/records/${encodeURIComponent(r.requestId)}`}>{r.requestId}</a>
            ),
          },
        ]}
      />
    </Page>
  );
}

/** `/ui/sys/audit/records/:requestId` (GET /v1/sys/audit/records/:requestId): a request's full records. */
function AuditRecordView({ params }: { params: Record<string, string> }) {
  const id = params['requestId'] ?? '';
  const [records, setRecords] = useState<AuditRecord[] | undefined>(undefined);
  const [error, setError] = useState<unknown>(undefined);
  useEffect(() => {
    api<{ records: AuditRecord[] }>('GET', `/sys/audit/records/${encodeURIComponent(id)}`).then(
      (r) => setRecords(r.records),
      setError,
    );
  }, [id]);
  return (
    <Page title={`Request ${id}`} actions={<a href="/ui/sys/audit/records">Back to the trail</a>}>
      <ErrorBanner error={error} />
      {(records ?? []).map((r) => (
        <section key={r.seq} aria-label={`Record ${r.seq}`}>
          <h2>
            Record {r.seq} <Badge tone={tone(r.outcome)}>{r.outcome}</Badge>
          </h2>
          <pre class="record">{JSON.stringify(r, null, 2)}</pre>
        </section>
      ))}
    </Page>
  );
}

export const pages: PageDef[] = [
  { route: '/ui/sys/audit/records', title: 'Audit trail', nav: 'Audit', component: AuditSearch },
  { route: '/ui/sys/audit/records/:requestId', title: 'Audit record', component: AuditRecordView },
];
