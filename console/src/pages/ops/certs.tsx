import { api } from '../../api';
import { can, useCaps } from '../../caps';
import { Table } from '../../components/table';
import { Badge, ErrorBanner, Page } from '../../components/ui';
import type { PageDef } from '../../page-def';
import { CertTimeline, commonName, expiryTone } from './cert-timeline';
import { useLoad, when } from './ops-load';

interface CertSummary {
  fingerprintSha256: string;
  subject: string;
  issuer: string;
  sans: string[];
  serial: string;
  notBefore: string;
  notAfter: string;
  isCa: boolean;
  daysLeft: number;
  locations: string[];
  findings: { check: string; severity: string; message: string }[];
}
interface CaView {
  createdAt: string;
  rootNotAfter: string;
  intermediateNotAfter: string;
  crlUrls: string[];
}

/** Issued by Hush's CA: the inventory records where, as `pki:<role>`. */
const issuedBy = (c: CertSummary) =>
  c.locations.find((l) => l.startsWith('pki:') && l !== 'pki:ca')?.slice(4);

/**
 * `/ui/certs` (GET /v1/certs, `read` on `sys/certs`; GET /v1/pki/ca and /v1/pki/roles): the certificate inventory on
 * an expiry timeline and in a table (days left, where seen, findings), and Hush's own CA: its dates, its roles, and
 * the certificates it issued (inventory entries seen at `pki:<role>`).
 */
function Certs() {
  const list = useLoad(() => api<{ certificates: CertSummary[] }>('GET', '/certs'));
  const caps = useCaps(['pki/roles']);
  const ca = useLoad(() => api<CaView>('GET', '/pki/ca'));
  const mayListRoles = can(caps, 'pki/roles', 'list');
  const roles = useLoad(
    () =>
      mayListRoles
        ? api<{ roles: string[] }>('GET', '/pki/roles')
        : Promise.resolve({ roles: [] as string[] }),
    String(mayListRoles),
  );
  const certs = list.data?.certificates ?? [];
  // The CA's own certificates come with every issued chain: the leaves are what it issued.
  const issued = certs.filter((c) => !c.isCa && issuedBy(c) !== undefined);
  return (
    <Page title="Certificates">
      <ErrorBanner error={list.error} />
      <h2>Expiry timeline</h2>
      {certs.length > 0 ? (
        <CertTimeline certs={certs} now={Date.now()} />
      ) : (
        <p>No certificate in the inventory yet.</p>
      )}
      <Table
        caption="Certificate inventory"
        rows={certs}
        rowKey={(c) => c.fingerprintSha256}
        columns={[
          { key: 'subject', label: 'Subject', render: (c) => commonName(c.subject), sort: (c) => c.subject },
          {
            key: 'daysLeft',
            label: 'Days left',
            render: (c) => <Badge tone={expiryTone(c.daysLeft)}>{String(c.daysLeft)}</Badge>,
            sort: (c) => c.daysLeft,
          },
          { key: 'notAfter', label: 'Expires', render: (c) => when(c.notAfter), sort: (c) => c.notAfter },
          { key: 'issuer', label: 'Issuer', render: (c) => commonName(c.issuer) },
          { key: 'locations', label: 'Seen at', render: (c) => c.locations.slice(0, 3).join(', ') },
          {
            key: 'findings',
            label: 'Findings',
            render: (c) => c.findings.map((f) => f.message).join('; '),
          },
        ]}
      />
      <h2>Hush certificate authority</h2>
      {ca.data ? (
        <dl class="ops-facts">
          <dt>Set up</dt>
          <dd>{when(ca.data.createdAt)}</dd>
          <dt>Root expires</dt>
          <dd>{when(ca.data.rootNotAfter)}</dd>
          <dt>Intermediate expires</dt>
          <dd>{when(ca.data.intermediateNotAfter)}</dd>
          <dt>Roles</dt>
          <dd>
            {mayListRoles
              ? (roles.data?.roles ?? []).join(', ') || 'none'
              : 'not shown (needs list on pki/roles)'}
          </dd>
        </dl>
      ) : (
        <p>{ca.error ? 'The CA is not set up (hush pki ca init).' : '…'}</p>
      )}
      <Table
        caption="Certificates issued by the Hush CA"
        rows={issued}
        rowKey={(c) => c.fingerprintSha256}
        empty="The Hush CA has issued no certificate yet."
        columns={[
          { key: 'subject', label: 'Subject', render: (c) => commonName(c.subject) },
          { key: 'role', label: 'Role', render: (c) => issuedBy(c) ?? '' },
          { key: 'serial', label: 'Serial', render: (c) => <code>{c.serial}</code> },
          { key: 'notAfter', label: 'Expires', render: (c) => when(c.notAfter), sort: (c) => c.notAfter },
        ]}
      />
    </Page>
  );
}

export const pages: PageDef[] = [
  { route: '/ui/certs', title: 'Certificates', nav: 'Operations', component: Certs },
];
