import { describe, expect, it } from 'vitest';
import { useHushServer } from './support/hush-server.js';

/** Open a console session for the root token over real HTTP: the cookie header to send and the CSRF value. */
async function openSession(url: string, token: string) {
  const res = await fetch(`${url}/v1/console/session`, {
    method: 'POST',
    headers: { 'x-hush-token': token },
  });
  expect(res.status).toBe(200);
  const cookies = res.headers.getSetCookie().map((c) => c.split(';')[0] as string);
  const csrf = cookies.find((c) => c.startsWith('hush_csrf='))?.slice('hush_csrf='.length) ?? '';
  return { cookie: cookies.join('; '), csrf, setCookies: res.headers.getSetCookie() };
}

const codeOf = async (res: Response) => ((await res.json()) as { error?: { id?: string } }).error?.id;

// Probes of the console's session as a same-site attacker would send them (another app on the same host or a
// sibling subdomain is "same-site": the SameSite=Strict cookie rides along on its links and images).
describe('console session over real HTTP', () => {
  const hush = useHushServer('console-session-http');

  it('a GET that changes state (issuing database credentials) needs the CSRF header when it rides on the cookie', async () => {
    const { cookie, csrf } = await openSession(hush.server.url, hush.root);
    for (const method of ['GET', 'HEAD']) {
      const bare = await fetch(`${hush.server.url}/v1/creds/pg/app`, { method, headers: { cookie } });
      expect(bare.status).toBe(403);
      if (method === 'GET') expect(await codeOf(bare)).toBe('CONSOLE_CSRF_MISMATCH');
    }
    // With the header the request goes on to the route (no such engine here).
    const sent = await fetch(`${hush.server.url}/v1/creds/pg/app`, {
      headers: { cookie, 'x-hush-csrf': csrf },
    });
    expect(sent.status).not.toBe(403);
    // Plain reads stay plain: a deep link or a refresh needs no header.
    expect((await fetch(`${hush.server.url}/v1/sys/policies`, { headers: { cookie } })).status).toBe(200);
  });

  it('every /ui answer carries the CSP and anti-framing headers, error pages too', async () => {
    for (const path of [
      '/ui/assets/nope.js',
      '/ui/assets/..%2f..%2fpackage.json',
      '/ui/assets/%3Cimg%3E.js',
    ]) {
      const res = await fetch(`${hush.server.url}${path}`);
      expect(res.status).toBe(404);
      expect(res.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
      expect(res.headers.get('x-frame-options')).toBe('DENY');
    }
  });

  it('sets each console cookie once', async () => {
    const { setCookies } = await openSession(hush.server.url, hush.root);
    expect(setCookies.map((c) => c.split('=')[0]).sort()).toEqual(['hush_csrf', 'hush_session']);
  });

  it('logging out of a sealed store does not forget the session before its minted token is revoked', async () => {
    const url = hush.server.url;
    const created = await fetch(`${url}/v1/auth/token/create`, {
      method: 'POST',
      headers: { 'x-hush-token': hush.root, 'content-type': 'application/json' },
      body: JSON.stringify({ policies: ['default'] }),
    });
    const minted = ((await created.json()) as { token: string }).token;
    const opened = await fetch(`${url}/v1/console/session`, {
      method: 'POST',
      headers: { 'x-hush-token': minted, 'content-type': 'application/json' },
      body: JSON.stringify({ revokeOnLogout: true }),
    });
    const cookies = opened.headers.getSetCookie().map((c) => c.split(';')[0] as string);
    const csrf = cookies.find((c) => c.startsWith('hush_csrf='))?.slice('hush_csrf='.length) ?? '';
    const headers = { cookie: cookies.join('; '), 'x-hush-csrf': csrf };
    const seal = await fetch(`${url}/v1/sys/seal`, {
      method: 'POST',
      headers: { 'x-hush-token': hush.root },
    });
    expect(seal.status).toBeLessThan(300);
    try {
      const sealedLogout = await fetch(`${url}/v1/console/session`, { method: 'DELETE', headers });
      expect(sealedLogout.status).toBe(503);
    } finally {
      // An operator's seal is lifted by `hush incident unlock` (key-file seal: the root token and an empty body).
      const unseal = await fetch(`${url}/v1/sys/incident/unlock`, {
        method: 'POST',
        headers: { 'x-hush-token': hush.root, 'content-type': 'application/json' },
        body: '{}',
      });
      expect(unseal.status).toBe(200);
    }
    // Unsealed, the same logout goes through and the token is revoked.
    expect((await fetch(`${url}/v1/console/session`, { method: 'DELETE', headers })).status).toBe(204);
    const lookup = await fetch(`${url}/v1/auth/token/lookup-self`, { headers: { 'x-hush-token': minted } });
    expect(lookup.status).toBe(401);
  });
});
