import { useState } from 'preact/hooks';
import { api } from '../../api';
import { can, useCaps } from '../../caps';
import { ConfirmDialog } from '../../components/confirm-dialog';
import { Table } from '../../components/table';
import { Badge, Button, ErrorBanner, Page } from '../../components/ui';
import type { PageDef } from '../../page-def';
import { navigate } from '../../router';
import { duration, useLoad, when } from './ops-load';

interface Lease {
  leaseId: string;
  username: string;
  issuedAt: string;
  expireAt: string;
  maxExpireAt: string;
  ttl: number;
  renewable: boolean;
  owner: { identity: string; tokenAccessor: string };
  state: 'active' | 'revoking';
}

/** `creds/<engine>/<role>/<random>` -> `engine/role`. */
const engineRole = (leaseId: string) => leaseId.split('/').slice(1, 3).join('/');

/**
 * `/ui/leases` (GET /v1/leases?prefix=, GET /v1/sys/engines): the engines and roles the caller may read, each a link to
 * its leases, and the dynamic credentials issued below a prefix (engine, role, user name,
 * expiry, owner), never a password. Renew and Revoke (typed: the credential's user name) show for the lease's owner
 * token or a caller holding `update` on `sys/leases/<id>`; Revoke all below the prefix needs `admin` on it.
 */
function Leases({ query }: { query: URLSearchParams }) {
  const prefix = query.get('prefix') || 'creds/';
  const list = useLoad(
    () => api<{ leases: Lease[] }>('GET', `/leases?prefix=${encodeURIComponent(prefix)}`),
    prefix,
  );
  const self = useLoad(() => api<{ accessor: string }>('GET', '/auth/token/lookup-self'));
  const engines = useLoad(() => api<{ engines: { name: string; roles: string[] }[] }>('GET', '/sys/engines'));
  const leases = list.data?.leases ?? [];
  const prefixPath = `sys/leases/${prefix}`;
  const caps = useCaps([prefixPath, ...leases.map((l) => `sys/leases/${l.leaseId}`)]);
  const mine = (l: Lease) =>
    l.owner.tokenAccessor === self.data?.accessor || can(caps, `sys/leases/${l.leaseId}`, 'update');
  const [revoking, setRevoking] = useState<Lease | 'prefix' | undefined>(undefined);
  const [error, setError] = useState<unknown>(undefined);
  const [notice, setNotice] = useState('');
  const renew = async (l: Lease) => {
    setError(undefined);
    try {
      const r = await api<{ ttl: number }>('POST', '/leases/renew', { leaseId: l.leaseId });
      setNotice(`Renewed ${l.username}: ${duration(r.ttl)} left.`);
      list.reload();
    } catch (err) {
      setError(err);
    }
  };
  return (
    <Page
      title="Leases"
      actions={
        can(caps, prefixPath, 'admin') && leases.length > 0 ? (
          <Button kind="danger" onClick={() => setRevoking('prefix')}>
            Revoke all below {prefix}
          </Button>
        ) : null
      }
    >
      <form
        class="ops-toolbar"
        aria-label="Lease prefix"
        onSubmit={(e) => {
          e.preventDefault();
          const p = String(new FormData(e.currentTarget as HTMLFormElement).get('prefix') ?? '').trim();
          navigate(`/ui/leases?prefix=${encodeURIComponent(p || 'creds/')}`);
        }}
      >
        <label for="lease-prefix">Prefix</label>
        <input id="lease-prefix" name="prefix" defaultValue={prefix} />
        <button type="submit" class="btn btn-plain">
          Show
        </button>
      </form>
      <ErrorBanner error={list.error ?? error} />
      <Table
        caption="Secrets engines and roles"
        rows={(engines.data?.engines ?? []).flatMap((e) => e.roles.map((role) => ({ engine: e.name, role })))}
        rowKey={(r) => `${r.engine}/${r.role}`}
        empty="No dynamic-credential engine you may read (hush creds config)."
        columns={[
          { key: 'engine', label: 'Engine', sort: (r) => r.engine },
          { key: 'role', label: 'Role', sort: (r) => r.role },
          {
            key: 'leases',
            label: 'Leases',
            render: (r) => (
              <a href={`/ui/leases?prefix=${encodeURIComponent(`creds/${r.engine}/${r.role}/`)}`}>
                {`creds/${r.engine}/${r.role}/`}
              </a>
            ),
          },
        ]}
      />
      {notice ? (
        <p role="status" class="ops-notice">
          {notice}
        </p>
      ) : null}
      <Table
        caption="Leases of dynamic credentials"
        rows={leases}
        rowKey={(l) => l.leaseId}
        empty={`No leases below ${prefix}.`}
        columns={[
          {
            key: 'engine',
            label: 'Engine/role',
            render: (l) => engineRole(l.leaseId),
            sort: (l) => l.leaseId,
          },
          { key: 'username', label: 'User name', render: (l) => <code>{l.username}</code> },
          {
            key: 'owner',
            label: 'Issued to',
            render: (l) => l.owner.identity,
            sort: (l) => l.owner.identity,
          },
          {
            key: 'issuedAt',
            label: 'Issued',
            render: (l) => <time dateTime={l.issuedAt}>{when(l.issuedAt)}</time>,
            sort: (l) => l.issuedAt,
          },
          {
            key: 'ttl',
            label: 'Expires in',
            render: (l) => (
              <time dateTime={l.expireAt} title={l.expireAt}>
                {duration(l.ttl)}
              </time>
            ),
            sort: (l) => l.ttl,
          },
          {
            key: 'state',
            label: 'State',
            render: (l) => <Badge tone={l.state === 'active' ? 'ok' : 'warn'}>{l.state}</Badge>,
          },
          {
            key: 'actions',
            label: 'Actions',
            render: (l) =>
              mine(l) && l.state === 'active' ? (
                <span class="ops-row-actions">
                  {l.renewable ? (
                    <Button onClick={() => renew(l)} aria-label={`Renew ${l.username}`}>
                      Renew
                    </Button>
                  ) : null}
                  <Button kind="danger" onClick={() => setRevoking(l)} aria-label={`Revoke ${l.username}`}>
                    Revoke
                  </Button>
                </span>
              ) : null,
          },
        ]}
      />
      <ConfirmDialog
        open={revoking !== undefined}
        title={revoking === 'prefix' ? `Revoke every lease below ${prefix}` : 'Revoke a lease'}
        message={
          revoking === 'prefix'
            ? `Every credential below ${prefix} stops working now (${leases.length} shown here).`
            : `The database user ${typeof revoking === 'object' ? revoking.username : ''} is dropped now; whoever uses it is cut off.`
        }
        confirmText={revoking === 'prefix' ? prefix : typeof revoking === 'object' ? revoking.username : ''}
        actionLabel="Revoke"
        onCancel={() => setRevoking(undefined)}
        onConfirm={async () => {
          const r =
            revoking === 'prefix'
              ? await api<{ revoked: string[]; queued: string[] }>('POST', '/leases/revoke-prefix', {
                  prefix,
                })
              : await api<{ revoked: string[]; queued: string[] }>('POST', '/leases/revoke', {
                  leaseId: (revoking as Lease).leaseId,
                });
          setRevoking(undefined);
          setNotice(
            `Revoked ${r.revoked.length} lease(s)${r.queued.length ? `, ${r.queued.length} queued` : ''}.`,
          );
          list.reload();
        }}
      />
    </Page>
  );
}

export const pages: PageDef[] = [
  { route: '/ui/leases', title: 'Leases', nav: 'Operations', component: Leases },
];
