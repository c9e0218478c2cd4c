import { useState } from 'preact/hooks';
import { api } from '../../api';
import { can, useCaps } from '../../caps';
import { ConfirmDialog } from '../../components/confirm-dialog';
import { Table } from '../../components/table';
import { Button, Field, Form, Page } from '../../components/ui';
import type { PageDef } from '../../page-def';
import { when } from './ops-load';

interface Party {
  identity: string;
  sourceAddresses: string[];
  operations: string[];
  count: number;
  first: string;
  last: string;
}
interface BlastRadius {
  path: string;
  examined: number;
  readers: Party[];
  writers: Party[];
  denied: Party[];
}
type Action = { kind: 'revoke'; target: string } | { kind: 'rotate'; target: string } | { kind: 'lockdown' };

const field = (form: HTMLFormElement, name: string) => String(new FormData(form).get(name) ?? '').trim();

function Parties({ caption, rows }: { caption: string; rows: Party[] }) {
  return (
    <section aria-label={caption}>
      <h2>{caption}</h2>
      <Table
        caption={caption}
        rows={rows}
        rowKey={(p) => p.identity}
        empty="Nobody."
        columns={[
          { key: 'identity', label: 'Identity', sort: (p) => p.identity },
          { key: 'operations', label: 'Operations', render: (p) => p.operations.join(', ') },
          { key: 'count', label: 'Requests', sort: (p) => p.count },
          { key: 'from', label: 'From', render: (p) => p.sourceAddresses.join(', ') },
          { key: 'last', label: 'Last', render: (p) => when(p.last), sort: (p) => p.last },
        ]}
      />
    </section>
  );
}

/**
 * `/ui/sys/incident` (the /v1/sys/incident routes, `admin` on `sys/incident`): the blast-radius report of a path (who
 * read it, changed it, was refused, from the audit trail), then the three responses, each behind a typed
 * confirmation: revoke an identity's tokens and leases, rotate every secret below a prefix, lock the store down.
 */
function Incidents() {
  const caps = useCaps(['sys/incident']);
  const allowed = can(caps, 'sys/incident', 'admin');
  const [report, setReport] = useState<BlastRadius | undefined>(undefined);
  const [error, setError] = useState<unknown>(undefined);
  const [action, setAction] = useState<Action | undefined>(undefined);
  const [notice, setNotice] = useState('');
  const confirmText = action ? (action.kind === 'lockdown' ? 'lockdown' : action.target) : '';
  const run = async () => {
    if (!action) return;
    if (action.kind === 'revoke') {
      const r = await api<{ tokensRevoked: string[]; leasesRevoked: string[] }>(
        'POST',
        '/sys/incident/revoke',
        {
          identity: action.target,
        },
      );
      setNotice(
        `Revoked ${action.target}: ${r.tokensRevoked.length} token(s), ${r.leasesRevoked.length} lease(s).`,
      );
    } else if (action.kind === 'rotate') {
      const r = await api<{ rotated: unknown[]; manual: unknown[]; failed: unknown[] }>(
        'POST',
        '/sys/incident/rotate',
        { prefix: action.target },
      );
      setNotice(
        `Rotated ${r.rotated.length} secret(s) below ${action.target}; ${r.manual.length} to rotate by hand, ${r.failed.length} failed.`,
      );
    } else {
      await api('POST', '/sys/incident/lockdown');
      setNotice('The store is sealed on every node. Unlock it with hush incident unlock.');
    }
    setAction(undefined);
  };
  if (caps && !allowed)
    return (
      <Page title="Incidents">
        <p>Incident response needs admin on sys/incident; this session does not hold it.</p>
      </Page>
    );
  return (
    <Page
      title="Incidents"
      actions={
        <Button kind="danger" disabled={!allowed} onClick={() => setAction({ kind: 'lockdown' })}>
          Lockdown…
        </Button>
      }
    >
      {notice ? (
        <p role="status" class="ops-notice">
          {notice}
        </p>
      ) : null}
      <Form
        label="Blast-radius report"
        error={error}
        onSubmit={async (form) => {
          setError(undefined);
          const since = field(form, 'since');
          const q = new URLSearchParams({ path: field(form, 'path'), ...(since ? { since } : {}) });
          try {
            setReport(await api<BlastRadius>('GET', `/sys/incident/report?${q}`));
          } catch (err) {
            setError(err);
          }
        }}
      >
        <h2>Blast radius of a path</h2>
        <Field label="Path or glob" name="path" required placeholder="payments/prod/db" />
        <Field label="Since (e.g. 7d or an ISO date; empty: the whole trail)" name="since" />
        <Button kind="primary" type="submit">
          Report
        </Button>
      </Form>
      {report ? (
        <div class="report">
          <p>
            {report.examined} audit record(s) examined for <code>{report.path}</code>.
          </p>
          <Parties caption="Could have read the value" rows={report.readers} />
          <Parties caption="Changed it" rows={report.writers} />
          <Parties caption="Were refused" rows={report.denied} />
        </div>
      ) : null}
      <Form
        label="Revoke an identity"
        onSubmit={(form) => setAction({ kind: 'revoke', target: field(form, 'identity') })}
      >
        <h2>Revoke an identity</h2>
        <Field label="Identity (e.g. approle:ci, user:alice)" name="identity" required />
        <Button kind="danger" type="submit" disabled={!allowed}>
          Revoke…
        </Button>
      </Form>
      <Form
        label="Rotate a scope"
        onSubmit={(form) => setAction({ kind: 'rotate', target: field(form, 'prefix') })}
      >
        <h2>Rotate every secret below a prefix</h2>
        <Field label="Prefix" name="prefix" required placeholder="payments/prod" />
        <Button kind="danger" type="submit" disabled={!allowed}>
          Rotate…
        </Button>
      </Form>
      <ConfirmDialog
        open={action !== undefined}
        title={
          action?.kind === 'revoke'
            ? 'Revoke an identity'
            : action?.kind === 'rotate'
              ? 'Rotate a scope'
              : 'Lock the store down'
        }
        message={
          action?.kind === 'revoke'
            ? `Every token, secret id and lease of ${action.target} stops working now.`
            : action?.kind === 'rotate'
              ? `Every secret below ${action.target} gets a new value now; its users must pick it up.`
              : 'Every node seals now: every request fails until an operator unlocks the store.'
        }
        confirmText={confirmText}
        actionLabel={
          action?.kind === 'lockdown' ? 'Lock down' : action?.kind === 'rotate' ? 'Rotate' : 'Revoke'
        }
        onCancel={() => setAction(undefined)}
        onConfirm={run}
      />
    </Page>
  );
}

export const pages: PageDef[] = [
  { route: '/ui/sys/incident', title: 'Incidents', nav: 'Operations', component: Incidents },
];
