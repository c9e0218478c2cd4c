import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type BrowserGlobals, chromiumMissing, useConsole } from './support/browser.js';
import { REPO_ROOT } from './support/compiled.js';
import { startOidcProvider, type TestOidcProvider } from './support/oidc-provider.js';
import { describeNeeding } from './support/require-tool.js';

/** The session and CSRF cookies the browser holds for the server. */
async function consoleCookies(ui: ReturnType<typeof useConsole>) {
  const all = await ui.context.cookies(ui.url);
  return {
    session: all.find((c) => c.name === 'hush_session'),
    csrf: all.find((c) => c.name === 'hush_csrf'),
  };
}

// The OIDC provider listens on loopback: the server's outbound allow-list opens it for the JWT role's discovery URL.
const configDir = mkdtempSync(join(tmpdir(), 'hush-console-core-'));
writeFileSync(join(configDir, 'hush.yaml'), 'outbound:\n  allow: [127.0.0.1]\n', { mode: 0o600 });

describeNeeding(chromiumMissing(), 'web console: serving, login, session, CSRF, CSP', () => {
  const ui = useConsole('console-core', { serverArgs: ['--config', join(configDir, 'hush.yaml')] });
  let oidc: TestOidcProvider | undefined;
  beforeAll(async () => {
    oidc = await startOidcProvider(`${ui.url}/v1/console/oidc/callback`);
  }, 30_000);
  afterAll(async () => {
    await oidc?.close();
    rmSync(configDir, { recursive: true, force: true });
  });

  it('logs in with a token: httpOnly SameSite=Strict session cookie, readable CSRF cookie, no token in storage', async () => {
    const { page } = ui;
    await page.getByRole('heading', { name: 'Secrets', level: 1 }).waitFor();
    const { session, csrf } = await consoleCookies(ui);
    expect(session).toMatchObject({ httpOnly: true, sameSite: 'Strict', secure: false, path: '/' });
    expect(session?.value).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(csrf).toMatchObject({ httpOnly: false, sameSite: 'Strict' });
    const stored = await page.evaluate(() => {
      const w = globalThis as unknown as BrowserGlobals;
      return JSON.stringify([{ ...w.localStorage }, { ...w.sessionStorage }, w.location.href]);
    });
    expect(stored).not.toContain(ui.rootToken);
    expect(
      await page.evaluate(() => (globalThis as unknown as BrowserGlobals).document.cookie),
    ).not.toContain(session?.value ?? 'missing');
    await ui.axe();
    await ui.screenshot('secrets-home');
  });

  it('the login page itself is accessible (and in the dark theme)', async () => {
    const { page } = ui;
    await page.getByRole('button', { name: 'Log out' }).click();
    await page.getByLabel('Token', { exact: true }).waitFor();
    await ui.axe();
    await ui.screenshot('login');
    await page.emulateMedia({ colorScheme: 'dark' });
    await ui.axe();
    await ui.screenshot('login-dark');
  });

  it('logout ends the session on the server: the old cookie no longer authenticates', async () => {
    const { session } = await consoleCookies(ui);
    const cookie = `hush_session=${session?.value}`;
    const before = await fetch(`${ui.url}/v1/auth/token/lookup-self`, { headers: { cookie } });
    expect(before.status).toBe(200);
    await ui.page.getByRole('button', { name: 'Log out' }).click();
    await ui.page.getByLabel('Token', { exact: true }).waitFor();
    const after = await fetch(`${ui.url}/v1/auth/token/lookup-self`, { headers: { cookie } });
    expect(after.status).toBe(401);
    expect((await consoleCookies(ui)).session).toBeUndefined();
  });

  it('refuses a state-changing request that rides on the cookie without the CSRF header (403), in page and cross-site', async () => {
    const { page } = ui;
    const inPage = await page.evaluate(async () => {
      const send = (headers: Record<string, string>) =>
        fetch('/v1/secrets/csrf/dev/PROBE', {
          method: 'PUT',
          credentials: 'same-origin',
          headers: { 'content-type': 'application/json', ...headers },
          body: JSON.stringify({ value: 'x' }),
        }).then(async (r) => ({ status: r.status, body: await r.text() }));
      const csrf =
        (globalThis as unknown as BrowserGlobals).document.cookie.match(/hush_csrf=([^;]+)/)?.[1] ?? '';
      return {
        without: await send({}),
        wrong: await send({ 'x-hush-csrf': `${csrf}x` }),
        right: await send({ 'x-hush-csrf': csrf }),
      };
    });
    expect(inPage.without.status).toBe(403);
    expect(JSON.parse(inPage.without.body).error.id).toBe('CONSOLE_CSRF_MISMATCH');
    expect(inPage.wrong.status).toBe(403);
    expect(inPage.right.status).toBe(200);
    ui.allowConsoleError(/status of 403/);
    // A cross-site form post: the browser would attach the cookie (were it not Strict) but cannot know the value.
    const { session } = await consoleCookies(ui);
    const crossSite = await fetch(`${ui.url}/v1/console/session`, {
      method: 'DELETE',
      headers: { cookie: `hush_session=${session?.value}`, origin: 'http://evil.example' },
    });
    expect(crossSite.status).toBe(403);
    // The CLI's way is unaffected: a token header needs no CSRF header, cookie or not.
    const cli = await fetch(`${ui.url}/v1/secrets/csrf/dev/PROBE`, {
      method: 'PUT',
      headers: {
        'x-hush-token': ui.rootToken,
        'content-type': 'application/json',
        cookie: `hush_session=${session?.value}`,
      },
      body: JSON.stringify({ value: 'y' }),
    });
    expect(cli.status).toBe(200);
  });

  it('audits console clicks as the session token (its accessor), like any API call', async () => {
    const { page } = ui;
    await ui.api('PUT', '/v1/secrets/audited/dev/KEY', { value: 'v' });
    const self = (await ui.api('GET', '/v1/auth/token/lookup-self')).json as { accessor: string };
    await page.goto(`${ui.url}/ui/secrets/audited`);
    await page.getByRole('button', { name: 'Reveal audited/dev/KEY' }).click();
    await page.getByText('v', { exact: true }).waitFor();
    const trail = readFileSync(join(ui.server.dataDir, 'audit.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    const read = trail.filter((r) => r.operation === 'secrets.read' && r.path === 'audited/dev/KEY');
    expect(read.length).toBe(1);
    expect(JSON.stringify(read[0])).toContain(self.accessor);
  });

  it('serves /ui with a strict CSP and safe headers; deep links get index.html; traversal is refused', async () => {
    const index = await fetch(`${ui.url}/ui`);
    const csp = index.headers.get('content-security-policy') ?? '';
    for (const d of [
      "default-src 'self'",
      "script-src 'self'",
      "style-src 'self'",
      "frame-ancestors 'none'",
      "base-uri 'none'",
      "form-action 'self'",
    ]) {
      expect(csp).toContain(d);
    }
    expect(csp).not.toContain('unsafe-inline');
    expect(index.headers.get('x-content-type-options')).toBe('nosniff');
    expect(index.headers.get('referrer-policy')).toBe('no-referrer');
    expect(index.headers.get('cache-control')).toBe('no-store');
    const html = await index.text();
    expect(html).not.toMatch(/<script>|<style|style=/);
    const asset = /src="(\/ui\/assets\/[^"]+\.js)"/.exec(html)?.[1] ?? '';
    const js = await fetch(`${ui.url}${asset}`);
    expect(js.status).toBe(200);
    expect(js.headers.get('cache-control')).toContain('immutable');
    expect(js.headers.get('content-type')).toContain('text/javascript');
    const deep = await fetch(`${ui.url}/ui/secrets/app/prod/DB_URL`);
    expect(deep.status).toBe(200);
    expect(await deep.text()).toBe(html);
    for (const probe of [
      '/ui/assets/..%2f..%2f..%2fpackage.json',
      '/ui/assets/%2e%2e%2findex.html',
      '/ui/assets/nope.js',
    ]) {
      const res = await fetch(`${ui.url}${probe}`);
      expect(res.status, probe).toBe(404);
      expect(await res.text()).not.toContain('"name"');
    }
  });

  it('an injected inline script does not run (CSP)', async () => {
    const { page } = ui;
    ui.allowConsoleError(/Content Security Policy/);
    const ran = await page.evaluate(async () => {
      const w = globalThis as unknown as BrowserGlobals;
      const s = w.document.createElement('script');
      s.textContent = 'window.__pwned = true';
      w.document.body.appendChild(s);
      await new Promise((r) => setTimeout(r, 50));
      return w.__pwned === true;
    });
    expect(ran).toBe(false);
  });

  it('ships at most 200 KB of gzip-compressed JavaScript on first load', () => {
    const dir = join(REPO_ROOT, 'dist', 'console', 'assets');
    const js = readdirSync(dir).filter((f) => f.endsWith('.js'));
    const bytes = js.reduce((n, f) => n + gzipSync(readFileSync(join(dir, f))).length, 0);
    console.log(`console first-load JS: ${js.length} file(s), ${(bytes / 1024).toFixed(1)} KB gzip`);
    expect(bytes).toBeLessThanOrEqual(200 * 1024);
  });

  it('logs in with AppRole (role id + secret id); logout revokes the token minted for the session', async () => {
    const { page } = ui;
    await ui.api('PUT', '/v1/sys/policies/console-reader', {
      name: 'console-reader',
      rules: [{ path: 'app/**', capabilities: ['read', 'list'] }],
    });
    expect(
      (
        await ui.api('POST', '/v1/auth/approle/role/console', {
          policies: ['console-reader'],
          tokenTtl: '10m',
        })
      ).status,
    ).toBe(200);
    const roleId = ((await ui.api('GET', '/v1/auth/approle/role/console/role-id')).json as { roleId: string })
      .roleId;
    const secretId = (
      (await ui.api('POST', '/v1/auth/approle/role/console/secret-id')).json as { secretId: string }
    ).secretId;
    await page.getByRole('button', { name: 'Log out' }).click();
    await page.getByRole('button', { name: 'AppRole' }).click();
    await page.getByLabel('Role ID').fill(roleId);
    await page.getByLabel('Secret ID').fill(secretId);
    await ui.screenshot('login-approle');
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.getByText('approle-console').waitFor();
    const self = (await page.evaluate(() => fetch('/v1/auth/token/lookup-self').then((r) => r.json()))) as {
      policies: string[];
      accessor: string;
      identity: string;
    };
    expect(self.policies).toEqual(['console-reader']);
    await page.getByRole('button', { name: 'Log out' }).click();
    await page.getByLabel('Token', { exact: true }).waitFor();
    const looked = await ui.api('POST', '/v1/auth/token/lookup', { accessor: self.accessor });
    expect(looked.status).toBe(404);
  });

  it('logs in by OIDC authorization code with PKCE against a real provider and a JWT role', async () => {
    const { page } = ui;
    if (!oidc) throw new Error('no provider');
    const role = {
      oidcDiscoveryUrl: oidc.issuer,
      boundIssuer: oidc.issuer,
      boundAudiences: [oidc.clientId],
      userClaim: 'sub',
      policies: ['default'],
      tokenTtl: '15m',
    };
    expect((await ui.api('POST', '/v1/auth/jwt/role/corp', role)).status).toBe(200);
    await page.getByRole('button', { name: 'Log out' }).click();
    await page.getByRole('button', { name: 'OIDC' }).click();
    await page.getByLabel('JWT/OIDC role').fill('corp');
    // The provider's own development pages load a font from the internet and have no favicon: not our errors.
    ui.allowConsoleError(/ERR_NAME_NOT_RESOLVED|status of 404/);
    const authorize = page.waitForRequest((r) => r.url().startsWith(`${oidc?.issuer}/auth`));
    await page.getByRole('button', { name: 'Log in' }).click();
    const asked = new URL((await authorize).url()).searchParams;
    expect(asked.get('code_challenge_method')).toBe('S256');
    expect(asked.get('code_challenge')).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(asked.get('redirect_uri')).toBe(`${ui.url}/v1/console/oidc/callback`);
    await page.locator('input[name="login"]').fill('amy');
    await page.locator('input[name="password"]').fill('any');
    await page.locator('button[type="submit"]').click();
    await page.locator('button[type="submit"]').click(); // consent
    await page.getByRole('button', { name: 'Log out' }).waitFor();
    expect(page.url()).toBe(`${ui.url}/ui/`);
    const self = (await page.evaluate(() => fetch('/v1/auth/token/lookup-self').then((r) => r.json()))) as {
      policies: string[];
      accessor: string;
      identity: string;
    };
    expect(self.identity).toBe('jwt:corp:amy');
    // A callback replayed (the state is single-use) is refused.
    const replay = await fetch(`${ui.url}/v1/console/oidc/callback?code=x&state=y`);
    expect(replay.status).toBe(401);
  });
});
