import { useEffect, useState } from 'preact/hooks';
import { api, enc } from '../../api';
import { can, useCaps } from '../../caps';
import { ConfirmDialog } from '../../components/confirm-dialog';
import { Table } from '../../components/table';
import { Button, ErrorBanner, Field, Form, Page } from '../../components/ui';
import type { PageDef } from '../../page-def';
import { navigate } from '../../router';
import { errorText } from './access-api';
import { AppRoleCredentials } from './approle-credentials';
import { withFieldLine } from './json-locate';

/** A login method whose roles the console manages: the two differ only in their name, draft and shown role. */
interface Method {
  /** The API segment: /v1/auth/<id>/role. */
  id: 'approle' | 'jwt';
  label: string;
  /** The body a new role's editor starts from. */
  empty: Record<string, unknown>;
  /** The writable body of a role as the server shows it (reads give seconds, writes take durations). */
  draft: (shown: Record<string, unknown>) => Record<string, unknown>;
  hint: string;
}

const secs = (v: unknown): string | undefined => (typeof v === 'number' && v > 0 ? `${v}s` : undefined);

/** Drop undefined members (the server refuses unknown or null ones). */
const defined = (o: Record<string, unknown>) =>
  Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));

const APPROLE: Method = {
  id: 'approle',
  label: 'AppRole',
  empty: { policies: ['default'], secretIdTtl: '24h', tokenTtl: '1h' },
  draft: (r) =>
    defined({
      policies: r['policies'],
      secretIdTtl: secs(r['secretIdTtlSeconds']),
      secretIdNumUses: r['secretIdNumUses'],
      tokenTtl: secs(r['tokenTtlSeconds']),
      tokenMaxTtl: secs(r['tokenMaxTtlSeconds']),
      tokenNumUses: r['tokenNumUses'],
      cidrs: r['cidrs'],
    }),
  hint: 'Fields: policies, secretIdTtl, secretIdNumUses, tokenTtl, tokenMaxTtl, tokenNumUses, cidrs.',
};

const JWT: Method = {
  id: 'jwt',
  label: 'JWT/OIDC',
  empty: {
    oidcDiscoveryUrl: 'https://issuer.example',
    boundIssuer: 'https://issuer.example',
    boundAudiences: ['hush'],
    policies: ['default'],
  },
  draft: (r) =>
    defined({
      jwksUrl: r['jwksUrl'],
      oidcDiscoveryUrl: r['oidcDiscoveryUrl'],
      boundIssuer: r['boundIssuer'],
      boundAudiences: r['boundAudiences'],
      boundClaims: r['boundClaims'],
      userClaim: r['userClaim'],
      policies: r['policies'],
      tokenTtl: secs(r['tokenTtlSeconds']),
      tokenMaxTtl: secs(r['tokenMaxTtlSeconds']),
      clockSkewSeconds: r['clockSkewSeconds'],
    }),
  hint:
    'One key source: jwksUrl, oidcDiscoveryUrl, jwks or publicKeys. Inline keys (jwks, publicKeys) are never ' +
    'shown back: paste them again when saving a role that uses them.',
};

/** `/ui/auth/<method>/role` (GET /v1/auth/<method>/role): the role names, and a form to start a new one. */
function RoleList({ method }: { method: Method }) {
  const base = `auth/${method.id}/role`;
  const [names, setNames] = useState<string[] | undefined>(undefined);
  const [error, setError] = useState<unknown>(undefined);
  const caps = useCaps([base]);
  useEffect(() => {
    api<{ roles: string[] }>('GET', `/${base}`).then((r) => setNames(r.roles), setError);
  }, [base]);
  return (
    <Page title={`${method.label} roles`}>
      <ErrorBanner error={error} />
      <Table
        caption={`${method.label} roles`}
        rows={names ?? []}
        rowKey={(n) => n}
        empty={names ? 'No roles.' : 'Loading…'}
        columns={[
          {
            key: 'name',
            label: 'Role',
            sort: (n) => n,
            render: (n) => <a href={`/ui/${base}/${enc(n)}`}>{n}</a>,
          },
        ]}
      />
      {can(caps, base, 'list') ? (
        <Form
          label={`New ${method.label} role`}
          onSubmit={(form) => {
            const name = String(new FormData(form).get('name') ?? '').trim();
            if (name) navigate(`/ui/${base}/${enc(name)}?new=1`);
          }}
        >
          <Field label="New role name" name="name" autocomplete="off" />
          <Button kind="primary" type="submit">
            Create a role
          </Button>
        </Form>
      ) : null}
    </Page>
  );
}

/**
 * `/ui/auth/<method>/role/:name` (GET/POST/DELETE /v1/auth/<method>/role/:name): the role as JSON in an editor the
 * server validates on Save (its coded error shows under it); Save and Delete need `admin` on the role, as the API.
 */
function RoleEditor({ method, name, isNew }: { method: Method; name: string; isNew: boolean }) {
  const path = `auth/${method.id}/role/${name}`;
  const caps = useCaps([path]);
  const [text, setText] = useState<string | undefined>(undefined);
  const [error, setError] = useState<unknown>(undefined);
  const [fieldError, setFieldError] = useState<string | undefined>(undefined);
  const [saved, setSaved] = useState('');
  const [confirming, setConfirming] = useState(false);
  useEffect(() => {
    const show = (doc: Record<string, unknown>) => setText(`${JSON.stringify(doc, null, 2)}\n`);
    if (isNew) return show(method.empty);
    api<Record<string, unknown>>('GET', `/${path}`).then((r) => show(method.draft(r)), setError);
  }, [path, isNew]);
  const save = async (form: HTMLFormElement) => {
    const source = String(new FormData(form).get('doc') ?? '');
    setText(source);
    setSaved('');
    try {
      await api('POST', `/${path}`, JSON.parse(source));
      setFieldError(undefined);
      setSaved(`Saved role "${name}".`);
      if (isNew) navigate(`/ui/auth/${method.id}/role/${enc(name)}`, true);
    } catch (err) {
      setFieldError(withFieldLine(errorText(err), source));
    }
  };
  const mayWrite = can(caps, path, 'admin');
  return (
    <Page
      title={`${method.label} role ${name}`}
      actions={
        mayWrite && !isNew ? (
          <Button kind="danger" onClick={() => setConfirming(true)}>
            Delete
          </Button>
        ) : null
      }
    >
      <ErrorBanner error={error} />
      {text === undefined ? (
        error ? null : (
          <p class="loading">Loading…</p>
        )
      ) : (
        <Form label={`Edit role ${name}`} onSubmit={save}>
          <Field
            label="Role (JSON)"
            name="doc"
            multiline
            spellcheck={false}
            defaultValue={text}
            readOnly={!mayWrite}
            error={fieldError}
          />
          <p class="muted">{method.hint}</p>
          {mayWrite ? (
            <Button kind="primary" type="submit">
              Save
            </Button>
          ) : (
            <p>You may read this role but not change it.</p>
          )}
          {saved ? <p role="status">{saved}</p> : null}
        </Form>
      )}
      {method.id === 'approle' && !isNew ? <AppRoleCredentials name={name} /> : null}
      <ConfirmDialog
        open={confirming}
        title={`Delete ${method.label} role ${name}`}
        message={
          method.id === 'approle'
            ? 'Its role id and every secret id it issued stop working.'
            : 'Later logins through this role fail.'
        }
        confirmText={name}
        actionLabel="Delete role"
        onCancel={() => setConfirming(false)}
        onConfirm={async () => {
          await api('DELETE', `/${path}`);
          navigate(`/ui/auth/${method.id}/role`);
        }}
      />
    </Page>
  );
}

const pagesOf = (method: Method): PageDef[] => [
  {
    route: `/ui/auth/${method.id}/role`,
    title: `${method.label} roles`,
    nav: 'Access',
    component: () => <RoleList method={method} />,
  },
  {
    route: `/ui/auth/${method.id}/role/:name`,
    title: `${method.label} role`,
    component: ({ params, query }) => (
      <RoleEditor method={method} name={params['name'] ?? ''} isNew={query.get('new') !== null} />
    ),
  },
];

export const pages: PageDef[] = [...pagesOf(APPROLE), ...pagesOf(JWT)];
