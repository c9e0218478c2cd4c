import { useState } from 'preact/hooks';
import { api } from '../../api';
import { can, useCaps } from '../../caps';
import { Table } from '../../components/table';
import { Badge, Button, Field, Form, Page } from '../../components/ui';
import type { PageDef } from '../../page-def';
import { errorText, type RuleRef, ruleText } from './access-api';

interface Verdict {
  allowed: boolean;
  reason: string;
  rule?: RuleRef;
}
interface Flip {
  time: string;
  requestId: string;
  identity: string | null;
  accessor: string | null;
  operation: string;
  path: string;
  capability: string;
  before: Verdict;
  after: Verdict;
  policiesAsOf: 'record' | 'current';
}
interface Report {
  flips: Flip[];
  counts: { evaluated: number; affected: number; nowDenied: number; nowAllowed: number };
  scanned: number;
  skipped: number;
  truncated: boolean;
  since: string;
  until: string;
}

const verdictBadge = (v: Verdict) => (
  <Badge tone={v.allowed ? 'ok' : 'bad'}>{v.allowed ? 'allowed' : 'denied'}</Badge>
);

/**
 * `/ui/sys/policies/simulate` (POST /v1/sys/policies/simulate): choose a period, paste or edit a draft of a policy,
 * and see which past requests of the audit trail would flip between allowed and denied.
 */
function Simulator({ query }: { query: URLSearchParams }) {
  const caps = useCaps(['sys/audit']);
  const [report, setReport] = useState<Report | undefined>(undefined);
  const [fieldError, setFieldError] = useState<string | undefined>(undefined);
  const [busy, setBusy] = useState(false);
  const run = async (form: HTMLFormElement) => {
    const data = new FormData(form);
    const until = String(data.get('until') ?? '').trim();
    setBusy(true);
    try {
      const r = await api<Report>('POST', '/sys/policies/simulate', {
        name: String(data.get('name') ?? '').trim(),
        policy: String(data.get('draft') ?? ''),
        since: String(data.get('since') ?? '').trim(),
        ...(until ? { until } : {}),
      });
      setReport(r);
      setFieldError(undefined);
    } catch (err) {
      setReport(undefined);
      setFieldError(errorText(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Page title="Policy simulator">
      <p>
        Replays the audit trail of a period against a draft policy: each past request is decided with the
        stored policies and with the draft, and the ones whose verdict changes are listed.
      </p>
      {caps && !can(caps, 'sys/audit', 'read') ? (
        <p role="status">
          Simulating needs read on sys/audit (the audit trail); this session does not hold it.
        </p>
      ) : null}
      <Form label="Simulate a draft policy" onSubmit={run}>
        <Field
          label="Policy the draft replaces"
          name="name"
          defaultValue={query.get('name') ?? ''}
          autocomplete="off"
        />
        <Field label="Since (ISO-8601 or a duration ago, e.g. 7d)" name="since" defaultValue="7d" />
        <Field label="Until (empty: now)" name="until" />
        <Field
          label="Draft policy (YAML or JSON)"
          name="draft"
          multiline
          spellcheck={false}
          defaultValue={'rules:\n  - path: app/**\n    capabilities: [read, list]\n'}
          error={fieldError}
        />
        <Button
          kind="primary"
          type="submit"
          disabled={busy || (caps !== undefined && !can(caps, 'sys/audit', 'read'))}
        >
          Simulate
        </Button>
      </Form>
      {report ? <Flips report={report} /> : null}
    </Page>
  );
}

function Flips({ report }: { report: Report }) {
  const c = report.counts;
  return (
    <section aria-label="Simulation result">
      <p role="status">
        {c.nowDenied} would be denied, {c.nowAllowed} would be allowed; {c.evaluated} requests replayed (
        {c.affected} by tokens holding the policy), {report.skipped} not replayable, {report.scanned} records
        read from {report.since} to {report.until}.
        {report.truncated ? ' Only the first flips are listed.' : ''}
      </p>
      <Table
        caption="Requests that would flip"
        rows={report.flips}
        rowKey={(f) => `${f.requestId}-${f.time}`}
        empty="No past request would flip."
        columns={[
          { key: 'time', label: 'Time', sort: (f) => f.time },
          {
            key: 'who',
            label: 'Who',
            sort: (f) => f.identity ?? '',
            render: (f) => `${f.identity ?? '(unknown)'}${f.accessor ? ` (${f.accessor})` : ''}`,
          },
          { key: 'capability', label: 'Capability', sort: (f) => f.capability },
          { key: 'path', label: 'Path', sort: (f) => f.path },
          { key: 'before', label: 'Before', render: (f) => verdictBadge(f.before) },
          {
            key: 'after',
            label: 'After',
            sort: (f) => String(f.after.allowed),
            render: (f) => verdictBadge(f.after),
          },
          {
            key: 'rule',
            label: 'Deciding rule',
            render: (f) =>
              `${ruleText(f.after.rule ?? f.before.rule)}${f.policiesAsOf === 'current' ? ' (token policies as of now)' : ''}`,
          },
          {
            key: 'record',
            label: 'Record',
            render: (f) => (
              <a href={`/ui/sys/audit/records/${encodeURIComponent(f.requestId)}`}>{f.requestId}</a>
            ),
          },
        ]}
      />
    </section>
  );
}

export const pages: PageDef[] = [
  { route: '/ui/sys/policies/simulate', title: 'Policy simulator', nav: 'Access', component: Simulator },
];
