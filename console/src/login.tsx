import { useState } from 'preact/hooks';
import { api } from './api';
import { Button, Field, Form } from './components/ui';

type Method = 'token' | 'approle' | 'oidc';

/**
 * The login page: a token, an AppRole (role id + secret id, exchanged at POST /v1/auth/approle/login), or OIDC
 * (the browser goes to the provider through /v1/console/oidc/start). A token is held in this function only while
 * it is exchanged for the session cookie; it is never stored in the browser.
 */
export function Login({ onLoggedIn }: { onLoggedIn: () => void }) {
  const [method, setMethod] = useState<Method>('token');
  const [error, setError] = useState<unknown>(undefined);
  const [busy, setBusy] = useState(false);
  const open = async (token: string, revokeOnLogout: boolean) => {
    await api('POST', '/console/session', { revokeOnLogout }, { 'x-hush-token': token });
    onLoggedIn();
  };
  const submit = async (form: HTMLFormElement) => {
    const data = new FormData(form);
    const get = (k: string) => String(data.get(k) ?? '').trim();
    setBusy(true);
    setError(undefined);
    try {
      if (method === 'token') await open(get('token'), false);
      else if (method === 'approle') {
        const r = await api<{ token: string }>('POST', '/auth/approle/login', {
          roleId: get('roleId'),
          secretId: get('secretId'),
        });
        await open(r.token, true);
      } else {
        location.assign(`/v1/console/oidc/start?role=${encodeURIComponent(get('role'))}`);
      }
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  return (
    <main class="login" id="main">
      <h1>Hush</h1>
      <fieldset class="tabs">
        <legend class="sr-only">Login method</legend>
        {(['token', 'approle', 'oidc'] as const).map((m) => (
          <Button
            key={m}
            kind={m === method ? 'primary' : 'plain'}
            aria-pressed={m === method}
            onClick={() => setMethod(m)}
          >
            {m === 'token' ? 'Token' : m === 'approle' ? 'AppRole' : 'OIDC'}
          </Button>
        ))}
      </fieldset>
      <Form label={`Log in with ${method}`} error={error} onSubmit={submit}>
        {method === 'token' ? (
          <Field label="Token" name="token" type="password" autocomplete="off" required />
        ) : method === 'approle' ? (
          <>
            <Field label="Role ID" name="roleId" autocomplete="off" required />
            <Field label="Secret ID" name="secretId" type="password" autocomplete="off" required />
          </>
        ) : (
          <Field label="JWT/OIDC role" name="role" autocomplete="off" required />
        )}
        <Button kind="primary" type="submit" disabled={busy}>
          Log in
        </Button>
      </Form>
    </main>
  );
}
