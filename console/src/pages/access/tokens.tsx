import { useState } from 'preact/hooks';
import { api } from '../../api';
import { MaskedValue } from '../../components/masked-value';
import { Button, ErrorBanner, Field, Form, Page } from '../../components/ui';
import type { PageDef } from '../../page-def';
import { errorText } from './access-api';

interface TokenView {
  accessor: string;
  identity: string;
  policies: string[];
  expiresAt?: string;
  [k: string]: unknown;
}

function TokenFacts({ view }: { view: TokenView }) {
  return (
    <dl class="facts">
      {Object.entries(view).map(([k, v]) => (
        <div key={k}>
          <dt>{k}</dt>
          <dd>{Array.isArray(v) ? v.join(', ') : typeof v === 'object' ? JSON.stringify(v) : String(v)}</dd>
        </div>
      ))}
    </dl>
  );
}

/**
 * `/ui/auth/token` (/v1/auth/token/*): this session's token, create a child token (shown once), look up and revoke
 * a token by accessor. Hush has no token listing API; who-can lists the tokens holding a capability.
 */
function Tokens() {
  const [self, setSelf] = useState<TokenView | undefined>(undefined);
  const [selfError, setSelfError] = useState<unknown>(undefined);
  const [created, setCreated] = useState<{ token: string; auth: TokenView } | undefined>(undefined);
  const [createError, setCreateError] = useState<string | undefined>(undefined);
  const [looked, setLooked] = useState<TokenView | undefined>(undefined);
  const [lookError, setLookError] = useState<string | undefined>(undefined);
  const [revoked, setRevoked] = useState('');
  if (self === undefined && selfError === undefined) {
    api<TokenView>('GET', '/auth/token/lookup-self').then(setSelf, setSelfError);
  }
  const accessorOf = (form: HTMLFormElement) => String(new FormData(form).get('accessor') ?? '').trim();
  return (
    <Page title="Tokens">
      <ErrorBanner error={selfError} />
      <h2>This session's token</h2>
      {self ? <TokenFacts view={self} /> : null}
      <h2>Create a child token</h2>
      <Form
        label="Create a token"
        onSubmit={async (form) => {
          const d = new FormData(form);
          const policies = String(d.get('policies') ?? '')
            .split(',')
            .map((p) => p.trim())
            .filter(Boolean);
          const ttl = String(d.get('ttl') ?? '').trim();
          try {
            setCreated(await api('POST', '/auth/token/create', { policies, ...(ttl ? { ttl } : {}) }));
            setCreateError(undefined);
          } catch (err) {
            setCreateError(errorText(err));
          }
        }}
      >
        <Field label="Policies (comma-separated)" name="policies" autocomplete="off" error={createError} />
        <Field label="TTL (e.g. 1h)" name="ttl" defaultValue="1h" />
        <Button kind="primary" type="submit">
          Create token
        </Button>
      </Form>
      {created ? (
        <section aria-label="Created token">
          <p role="status">Token created; it is shown only now. Accessor: {created.auth.accessor}</p>
          <MaskedValue load={async () => created.token} label="New token" />
        </section>
      ) : null}
      <h2>Look up or revoke by accessor</h2>
      <Form
        label="Look up a token"
        onSubmit={async (form) => {
          try {
            setLooked(await api<TokenView>('POST', '/auth/token/lookup', { accessor: accessorOf(form) }));
            setLookError(undefined);
          } catch (err) {
            setLookError(errorText(err));
          }
        }}
      >
        <Field label="Accessor" name="accessor" autocomplete="off" error={lookError} />
        <Button type="submit">Look up</Button>
        <Button
          kind="danger"
          onClick={async (e: Event) => {
            const form = (e.currentTarget as HTMLElement).closest('form') as HTMLFormElement;
            try {
              await api('POST', '/auth/token/revoke-accessor', { accessor: accessorOf(form) });
              setRevoked(`Revoked token ${accessorOf(form)} and its children.`);
              setLookError(undefined);
            } catch (err) {
              setLookError(errorText(err));
            }
          }}
        >
          Revoke
        </Button>
      </Form>
      {revoked ? <p role="status">{revoked}</p> : null}
      {looked ? <TokenFacts view={looked} /> : null}
    </Page>
  );
}

export const pages: PageDef[] = [
  { route: '/ui/auth/token', title: 'Tokens', nav: 'Access', component: Tokens },
];
