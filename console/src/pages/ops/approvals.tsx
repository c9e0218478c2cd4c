import { useState } from 'preact/hooks';
import { api } from '../../api';
import { can, useCaps } from '../../caps';
import { Table } from '../../components/table';
import { Badge, Button, ErrorBanner, Page } from '../../components/ui';
import type { PageDef } from '../../page-def';
import { navigate } from '../../router';
import { useLoad, when } from './ops-load';

interface Vote {
  approver: string;
  at: string;
  comment?: string;
}
export interface ApprovalView {
  id: string;
  requester: string;
  path: string;
  capability: string;
  reason?: string;
  /** Set when the approval covers only the one request of this digest (a pinned batch). */
  requestDigest?: string;
  required: number;
  createdAt: string;
  expiresAt: string;
  grants: Vote[];
  denial?: Vote;
  status: 'pending' | 'approved' | 'denied' | 'used' | 'expired';
}

const STATUSES = ['pending', 'approved', 'denied', 'used', 'expired'] as const;
const TONE = { pending: 'warn', approved: 'ok', denied: 'bad', used: 'info', expired: 'info' } as const;

/**
 * `/ui/approvals` (GET /v1/approvals): requests the caller made or may approve, with their context (who asks, for
 * what capability on which path, why, until when). Approve and Deny show only where the server says the caller holds
 * `approve` on the request's path (the server still refuses a vote on one's own request).
 */
function Approvals({ query }: { query: URLSearchParams }) {
  const status = query.get('status') ?? 'pending';
  const list = useLoad(
    () =>
      api<{ requests: ApprovalView[] }>('GET', `/approvals${status === 'all' ? '' : `?status=${status}`}`),
    status,
  );
  const rows = list.data?.requests ?? [];
  const caps = useCaps([...new Set(rows.map((r) => r.path))]);
  const [comment, setComment] = useState('');
  const [actionError, setActionError] = useState<unknown>(undefined);
  const [done, setDone] = useState('');
  const vote = async (r: ApprovalView, kind: 'grant' | 'deny') => {
    setActionError(undefined);
    try {
      await api('POST', `/approvals/${r.id}/${kind}`, comment.trim() ? { comment: comment.trim() } : {});
      setDone(
        `${kind === 'grant' ? 'Approved' : 'Denied'} ${r.requester}'s request for ${r.capability} on ${r.path}.`,
      );
      list.reload();
    } catch (err) {
      setActionError(err);
    }
  };
  return (
    <Page title="Approvals">
      <div class="ops-toolbar">
        <label for="approval-status">Status</label>
        <select
          id="approval-status"
          value={status}
          onChange={(e) => navigate(`/ui/approvals?status=${(e.target as HTMLSelectElement).value}`)}
        >
          {[...STATUSES, 'all'].map((s) => (
            <option key={s} value={s}>
              {s}
            </option>
          ))}
        </select>
        <label for="approval-comment">Comment on your vote (optional)</label>
        <input
          id="approval-comment"
          value={comment}
          maxLength={500}
          onInput={(e) => setComment((e.target as HTMLInputElement).value)}
        />
      </div>
      <ErrorBanner error={list.error ?? actionError} />
      {done ? (
        <p role="status" class="ops-notice">
          {done}
        </p>
      ) : null}
      <Table
        caption="Approval requests"
        rows={rows}
        rowKey={(r) => r.id}
        empty={`No ${status === 'all' ? '' : `${status} `}requests you made or may approve.`}
        columns={[
          { key: 'requester', label: 'Who', sort: (r) => r.requester },
          {
            key: 'what',
            label: 'Wants',
            render: (r) => (
              <span>
                <code>{r.capability}</code> on <code>{r.path}</code>
                {r.requestDigest ? (
                  <>
                    {' '}
                    only the request <code title="requestDigest">{r.requestDigest}</code>
                  </>
                ) : null}
              </span>
            ),
            sort: (r) => r.path,
          },
          { key: 'reason', label: 'Why', render: (r) => r.reason ?? '' },
          {
            key: 'votes',
            label: 'Approvals',
            render: (r) => `${r.grants.length} of ${r.required}`,
          },
          {
            key: 'expiresAt',
            label: 'Expires',
            render: (r) => <time dateTime={r.expiresAt}>{when(r.expiresAt)}</time>,
            sort: (r) => r.expiresAt,
          },
          { key: 'status', label: 'Status', render: (r) => <Badge tone={TONE[r.status]}>{r.status}</Badge> },
          {
            key: 'actions',
            label: 'Actions',
            render: (r) =>
              r.status === 'pending' && can(caps, r.path, 'approve') ? (
                <span class="ops-row-actions">
                  <Button kind="primary" onClick={() => vote(r, 'grant')} aria-label={`Approve ${r.id}`}>
                    Approve
                  </Button>
                  <Button kind="danger" onClick={() => vote(r, 'deny')} aria-label={`Deny ${r.id}`}>
                    Deny
                  </Button>
                </span>
              ) : null,
          },
        ]}
      />
    </Page>
  );
}

export const pages: PageDef[] = [
  { route: '/ui/approvals', title: 'Approvals', nav: 'Operations', component: Approvals },
];
