import { useEffect, useState } from 'preact/hooks';
import { api, enc } from '../../api';
import { can, useCaps } from '../../caps';
import { MaskedValue } from '../../components/masked-value';
import { Table } from '../../components/table';
import { Button, ErrorBanner } from '../../components/ui';

interface SecretIdView {
  accessor: string;
  createdAt?: string;
  expiresAt?: string | null;
  usesRemaining?: number | null;
}

/**
 * An AppRole's login material: its role id (`read` on `.../role-id`), a new secret id (`update` on `.../secret-id`,
 * shown once, masked until revealed; the server keeps only its hash) and the live secret ids by accessor (`list`),
 * each revocable (`update` on `.../secret-id-accessor/revoke`). Each action shows only when the session holds it.
 */
export function AppRoleCredentials({ name }: { name: string }) {
  const base = `auth/approle/role/${name}`;
  const paths = {
    roleId: `${base}/role-id`,
    secretId: `${base}/secret-id`,
    revoke: `${base}/secret-id-accessor/revoke`,
  };
  const caps = useCaps(Object.values(paths));
  const [created, setCreated] = useState<SecretIdView & { secretId: string }>();
  const [ids, setIds] = useState<SecretIdView[]>();
  const [error, setError] = useState<unknown>(undefined);
  const mayList = can(caps, paths.secretId, 'list');
  const reload = () =>
    api<{ secretIds: SecretIdView[] }>('GET', `/${enc(paths.secretId)}`).then(
      (r) => setIds(r.secretIds),
      setError,
    );
  useEffect(() => {
    if (mayList) void reload();
  }, [mayList, name]);
  const act = async (fn: () => Promise<void>) => {
    setError(undefined);
    try {
      await fn();
      if (mayList) await reload();
    } catch (err) {
      setError(err);
    }
  };
  return (
    <section aria-label="Login credentials">
      <h2>Login credentials</h2>
      <ErrorBanner error={error} />
      {can(caps, paths.roleId, 'read') ? (
        <p>
          Role id:{' '}
          <MaskedValue
            label="Role id"
            load={async () => (await api<{ roleId: string }>('GET', `/${enc(paths.roleId)}`)).roleId}
          />
        </p>
      ) : null}
      {can(caps, paths.secretId, 'update') ? (
        <Button onClick={() => act(async () => setCreated(await api('POST', `/${enc(paths.secretId)}`)))}>
          Generate a secret id
        </Button>
      ) : null}
      {created ? (
        <div>
          <p role="status">Secret id created; it is shown only now. Accessor: {created.accessor}</p>
          <MaskedValue label="New secret id" load={async () => created.secretId} />
        </div>
      ) : null}
      {mayList ? (
        <Table
          caption="Live secret ids"
          rows={ids ?? []}
          rowKey={(s) => s.accessor}
          empty={ids ? 'No live secret ids.' : 'Loading…'}
          columns={[
            { key: 'accessor', label: 'Accessor', sort: (s) => s.accessor },
            { key: 'createdAt', label: 'Created', sort: (s) => s.createdAt ?? '' },
            { key: 'expiresAt', label: 'Expires', render: (s) => s.expiresAt ?? 'never' },
            {
              key: 'usesRemaining',
              label: 'Uses left',
              render: (s) => String(s.usesRemaining ?? 'unlimited'),
            },
            {
              key: 'revoke',
              label: 'Revoke',
              render: (s) =>
                can(caps, paths.revoke, 'update') ? (
                  <Button
                    kind="danger"
                    class="btn-small"
                    aria-label={`Revoke secret id ${s.accessor}`}
                    onClick={() => act(() => api('POST', `/${enc(paths.revoke)}`, { accessor: s.accessor }))}
                  >
                    Revoke
                  </Button>
                ) : (
                  '—'
                ),
            },
          ]}
        />
      ) : null}
    </section>
  );
}
