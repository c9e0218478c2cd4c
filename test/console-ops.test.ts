import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { chromiumMissing, useConsole } from './support/browser.js';
import { api as httpApi } from './support/hush-server.js';
import { startTestPostgres, type TestPostgres } from './support/postgres.js';
import { describeNeeding } from './support/require-tool.js';
import { runHush } from './support/run-hush.js';

// The Operations pages in real Chromium against a real server (and a real PostgreSQL for leases): every page opened,
// its forms used, axe clean, a screenshot each, and names carrying HTML rendered as text (XSS probes).

const XSS = '<img src=x onerror=alert(1)>';
// Engine hosts must be on the outbound allow-list; the test database listens on loopback.
const configDir = mkdtempSync(join(tmpdir(), 'hush-console-ops-'));
const configFile = join(configDir, 'hush.json');
writeFileSync(configFile, JSON.stringify({ outbound: { allow: ['127.0.0.1'] } }));

describeNeeding(chromiumMissing(), 'console: Operations pages', () => {
  const ui = useConsole('console-ops', { serverArgs: ['--config', configFile] });
  let db: TestPostgres | undefined;
  beforeAll(async () => {
    db = await startTestPostgres();
  }, 120_000);
  afterAll(async () => {
    await db?.dispose();
    rmSync(configDir, { recursive: true, force: true });
  });

  const ok = async (method: string, path: string, body?: unknown) => {
    const res = await ui.api(method, path, body);
    expect(res.status, `${method} ${path}: ${res.text}`).toBeLessThan(300);
    return res.json as Record<string, unknown>;
  };
  const tokenWith = async (name: string, rules: unknown[]) => {
    await ok('PUT', `/v1/sys/policies/${name}`, { name, rules });
    return (await ok('POST', '/v1/auth/token/create', { policies: [name], displayName: name }))[
      'token'
    ] as string;
  };
  const open = async (path: string, heading: string): Promise<Page> => {
    await ui.page.goto(`${ui.url}${path}`);
    await ui.page.getByRole('heading', { name: heading, level: 1 }).waitFor();
    return ui.page;
  };
  /** Type the confirmation text and confirm in the open ConfirmDialog. */
  const confirm = async (page: Page, text: string, action: string) => {
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel(/Type .* to confirm/).fill(text);
    await dialog.getByRole('button', { name: action }).click();
    await dialog.waitFor({ state: 'hidden' });
  };

  it('approvals: a second token asks, the root approves in the browser, with the request context shown', async () => {
    await ok('PUT', '/v1/secrets/app/prod/glass', { value: 'break-glass-value' });
    const asker = await tokenWith('glass-reader', [
      { path: 'app/prod/glass', capabilities: ['read'], approvals: 1 },
    ]);
    const asked = await httpApi(ui.server, asker, 'POST', '/v1/approvals', {
      path: 'app/prod/glass',
      capability: 'read',
      reason: `outage INC-7 ${XSS}`,
    });
    expect(asked.status).toBe(201);
    const id = (asked.json as { id: string }).id;

    const page = await open('/ui/approvals', 'Approvals');
    const row = page.getByRole('row', { name: /app\/prod\/glass/ });
    await row.getByText(`outage INC-7 ${XSS}`).waitFor();
    await row.getByText('token:glass-reader').waitFor();
    await ui.axe();
    await ui.screenshot('ops-approvals');
    await row.getByRole('button', { name: `Approve ${id}` }).click();
    await page
      .getByRole('status')
      .getByText(/Approved/)
      .waitFor();
    expect((await ok('GET', `/v1/approvals/${id}`))['status']).toBe('approved');
    // The asker can now read once: the approval was real.
    expect((await httpApi(ui.server, asker, 'GET', '/v1/secrets/app/prod/glass')).status).toBe(200);
    expect(ui.dialogs).toEqual([]);
  });

  it('seal status and alerts: the store shows unsealed; the approval raised an alert, filtered by rule', async () => {
    const page = await open('/ui/sys/health', 'Seal status and health');
    await page.getByText('unsealed', { exact: true }).waitFor();
    await ui.axe();
    await ui.screenshot('ops-health');

    await open('/ui/sys/alerts', 'Alerts');
    await page.getByLabel('Rule').fill('approval-requested');
    await page.getByRole('button', { name: 'Filter' }).click();
    await page.waitForURL(/rule=approval-requested/);
    await page
      .getByRole('cell', { name: /asks for 1 approval/ })
      .first()
      .waitFor();
    await ui.axe();
    await ui.screenshot('ops-alerts');
  });

  it('leases: a real PostgreSQL credential is listed (no password) and revoked with its user name typed', async () => {
    if (!db) throw new Error('no database');
    await ok('PUT', '/v1/sys/engines/main', { type: 'postgres', connectionUrl: db.url });
    await ok('PUT', '/v1/sys/engines/main/roles/reader', {
      creationSql: 'CREATE ROLE {{name}} LOGIN PASSWORD {{password}} VALID UNTIL {{expiration}};',
      ttl: '1h',
      maxTtl: '24h',
    });
    const cred = (await ok('GET', '/v1/creds/main/reader')) as {
      username: string;
      password: string;
      leaseId: string;
    };

    // GET /v1/sys/engines lists only what the caller may read, engine by engine and role by role.
    const engineOnly = await tokenWith('engine-reader', [
      { path: 'sys/engines/main', capabilities: ['read'] },
    ]);
    const nothing = await tokenWith('engine-none', [{ path: 'app/*', capabilities: ['read'] }]);
    expect((await httpApi(ui.server, engineOnly, 'GET', '/v1/sys/engines')).json).toEqual({
      engines: [{ name: 'main', roles: [] }],
    });
    expect((await httpApi(ui.server, nothing, 'GET', '/v1/sys/engines')).json).toEqual({ engines: [] });

    const page = await open('/ui/leases', 'Leases');
    await page.getByRole('link', { name: 'creds/main/reader/' }).click();
    await page.waitForURL(/prefix=creds%2Fmain%2Freader%2F/);
    const row = page.getByRole('row', { name: new RegExp(cred.username) });
    await row.waitFor();
    expect(await page.content()).not.toContain(cred.password);
    await ui.axe();
    await ui.screenshot('ops-leases');
    await row.getByRole('button', { name: `Renew ${cred.username}` }).click();
    await page
      .getByRole('status')
      .getByText(/Renewed/)
      .waitFor();
    await row.getByRole('button', { name: `Revoke ${cred.username}` }).click();
    await confirm(page, cred.username, 'Revoke');
    await page.getByRole('status').getByText('Revoked 1 lease(s).').waitFor();
    const left = (await ok('GET', '/v1/leases?prefix=creds/main/')) as { leases: { leaseId: string }[] };
    expect(left.leases.map((l) => l.leaseId)).not.toContain(cred.leaseId);
    const role = await db.admin('SELECT 1 FROM pg_roles WHERE rolname = $1', [cred.username]);
    expect(role.rowCount).toBe(0);
  });

  it('rotation: rotate-now needs the address typed and promotes a new version', async () => {
    await ok('PUT', '/v1/secrets/app/prod/rot', { value: 'first-value' });
    const env = { HUSH_ADDR: ui.url, HUSH_TOKEN: ui.rootToken };
    const set = await runHush(
      ['rotate', 'policy', 'set', '--path', 'app/prod/rot', '--interval', '30d', '--generate', 'password'],
      { env },
    );
    expect(set.code, set.stderr).toBe(0);
    const page = await open('/ui/rotation/status', 'Rotation');
    await page.getByRole('link', { name: 'app/prod/rot' }).waitFor();
    await ui.axe();
    await ui.screenshot('ops-rotation');
    await page.getByRole('button', { name: 'Rotate now: app/prod/rot' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel(/Type .* to confirm/).fill('app/prod/ro');
    expect(await dialog.getByRole('button', { name: 'Rotate' }).isDisabled()).toBe(true);
    await confirm(page, 'app/prod/rot', 'Rotate');
    await page.getByRole('status').getByText('Rotated app/prod/rot: version 2 is current.').waitFor();
    expect((await ok('GET', '/v1/secrets/app/prod/rot'))['version']).toBe(2);
  });

  it('keys and transit: KEK versions with a rotate, and a transit key rotated to version 2', async () => {
    const page = await open('/ui/keys/status', 'Keys');
    const row = page.getByRole('row', { name: /app\/prod/ });
    await row.getByText('root', { exact: true }).waitFor();
    await ui.axe();
    await ui.screenshot('ops-keys');
    await row.getByRole('button', { name: 'Rotate KEK: app/prod' }).click();
    await page
      .getByRole('status')
      .getByText(/app\/prod: KEK version 2 is current/)
      .waitFor();

    await ok('POST', '/v1/transit/keys/orders', { type: 'aes256-gcm96' });
    await open('/ui/transit/keys', 'Transit keys');
    await page.getByRole('link', { name: 'orders' }).click();
    await page.getByRole('heading', { name: 'Transit key orders', level: 1 }).waitFor();
    await page.getByRole('button', { name: 'Rotate' }).click();
    await page.getByRole('status').getByText('Version 2 is now the latest.').waitFor();
    await page.getByRole('cell', { name: 'encrypts and decrypts' }).waitFor();
    await ui.axe();
    await ui.screenshot('ops-transit-key');
    expect((await ok('GET', '/v1/transit/keys/orders'))['latestVersion']).toBe(2);
  });

  it('certificates: an issued certificate is on the expiry timeline and in the CA section', async () => {
    await ok('POST', '/v1/pki/ca', {});
    await ok('PUT', '/v1/pki/roles/web', {
      allowedDomains: ['example.test'],
      allowSubdomains: true,
      maxTtlSeconds: 86_400 * 30,
    });
    await ok('POST', '/v1/pki/issue/web', { commonName: 'shop.example.test', ttlSeconds: 86_400 * 20 });
    const listed = (await ok('GET', '/v1/certs')) as {
      certificates: { fingerprintSha256: string; subject: string }[];
    };
    const cert = listed.certificates.find((c) => c.subject.includes('shop.example.test'));
    expect(cert).toBeDefined();

    const page = await open('/ui/certs', 'Certificates');
    const bar = page.locator(`svg g[data-fingerprint="${cert?.fingerprintSha256}"]`);
    await bar.waitFor();
    expect(await bar.locator('title').textContent()).toMatch(
      /shop\.example\.test: expires .* \((19|20) days left\)/,
    );
    expect(await bar.locator('rect').getAttribute('class')).toContain('ops-bar-warn');
    const issuedTable = page.getByRole('table', { name: 'Certificates issued by the Hush CA' });
    await issuedTable.getByRole('cell', { name: 'shop.example.test' }).waitFor();
    // The CA's own certificates ride along with every chain; only leaves are listed as issued.
    expect(await issuedTable.getByRole('cell', { name: 'Hush Root CA' }).count()).toBe(0);
    await page.getByText('web', { exact: true }).first().waitFor();
    await ui.axe();
    await ui.screenshot('ops-certificates');
  });

  it('encrypted files and scan findings: what the server knows, names rendered as text, findings linked to secrets', async () => {
    await ok('POST', '/v1/crypt/audit', {
      operation: 'recipients.add',
      files: [`deploy/${XSS}.enc.yaml`],
      recipients: ['transit:orders', 'age1qyqszqgpqyqszqgpqyqszqgpqyqszqgpqyqszqgpqyqszqgpqyqs3290gq'],
      rotated: [],
      rotateByHand: 0,
    });
    const page = await open('/ui/crypt/recipients', 'Encrypted-file recipients');
    await page
      .getByRole('table', { name: 'Files and their recipients' })
      .getByRole('cell', { name: `deploy/${XSS}.enc.yaml` })
      .waitFor();
    await page.getByRole('link', { name: 'transit:orders' }).first().waitFor();
    await ui.axe();
    await ui.screenshot('ops-crypt-recipients');

    await ok('POST', '/v1/scan/findings', {
      source: `repo:web ${XSS}`,
      findings: [
        {
          fingerprint: 'b'.repeat(64),
          rule: 'known-secret',
          file: 'deploy/.env',
          line: 4,
          storedPath: 'app/prod/glass',
        },
        { fingerprint: 'c'.repeat(64), rule: 'generic-api-key', file: `src/${XSS}.ts`, line: 9 },
      ],
    });
    await open('/ui/scan/findings', 'Scan findings');
    const link = page.getByRole('link', { name: 'app/prod/glass' });
    await link.waitFor();
    expect(await link.getAttribute('href')).toBe('/ui/secrets/app/prod/glass');
    await page.getByRole('cell', { name: `src/${XSS}.ts:9` }).waitFor();
    await ui.axe();
    await ui.screenshot('ops-scan-findings');
    expect(await page.locator('img[src="x"]').count()).toBe(0);
    expect(ui.dialogs).toEqual([]);
  });

  it('a session without the capabilities sees no action buttons (asked of the server, not guessed)', async () => {
    const reader = await tokenWith('ops-reader', [
      { path: 'sys/keys', capabilities: ['read'] },
      { path: 'transit/keys', capabilities: ['list'] },
      { path: 'transit/keys/orders', capabilities: ['read'] },
      { path: 'app/prod/*', capabilities: ['read'] },
    ]);
    await ui.page.getByRole('button', { name: 'Log out' }).click();
    await ui.login(reader);
    const page = await open('/ui/transit/keys/orders', 'Transit key orders');
    await page.getByRole('cell', { name: 'encrypts and decrypts' }).waitFor();
    expect(await page.getByRole('button', { name: 'Rotate' }).count()).toBe(0);
    await open('/ui/keys/status', 'Keys');
    await page.getByRole('cell', { name: 'app/prod' }).waitFor();
    expect(await page.getByRole('button', { name: /Rotate KEK/ }).count()).toBe(0);
    await open('/ui/sys/incident', 'Incidents');
    await page.getByText('Incident response needs admin on sys/incident').waitFor();
    expect(await page.getByRole('button', { name: 'Lockdown…' }).count()).toBe(0);
  });

  // Last: the lockdown seals the server for the rest of the file.
  it('incidents: blast radius of a path, revoke an identity, rotate a scope and lock down, each confirmed', async () => {
    const victim = await tokenWith('victim', [{ path: 'app/prod/*', capabilities: ['read'] }]);
    expect((await httpApi(ui.server, victim, 'GET', '/v1/secrets/app/prod/rot')).status).toBe(200);
    const page = await open('/ui/sys/incident', 'Incidents');
    await page.getByLabel('Path or glob').fill('app/prod/rot');
    await page.getByRole('button', { name: 'Report' }).click();
    const readers = page.getByRole('region', { name: 'Could have read the value' });
    await readers.getByRole('cell', { name: 'token:victim' }).waitFor();
    await ui.axe();
    await ui.screenshot('ops-incidents');

    await page.getByLabel(/^Identity/).fill('token:victim');
    await page.getByRole('button', { name: 'Revoke…' }).click();
    await confirm(page, 'token:victim', 'Revoke');
    await page
      .getByRole('status')
      .getByText(/Revoked token:victim: 1 token\(s\)/)
      .waitFor();
    expect((await httpApi(ui.server, victim, 'GET', '/v1/secrets/app/prod/rot')).status).toBe(401);

    await page.getByLabel('Prefix').fill('app/prod');
    await page.getByRole('button', { name: 'Rotate…' }).click();
    await confirm(page, 'app/prod', 'Rotate');
    await page
      .getByRole('status')
      .getByText(/Rotated \d+ secret\(s\) below app\/prod/)
      .waitFor();

    await page.getByRole('button', { name: 'Lockdown…' }).click();
    await confirm(page, 'lockdown', 'Lock down');
    await page
      .getByRole('status')
      .getByText(/sealed on every node/)
      .waitFor();
    expect((await ui.api('GET', '/v1/sys/seal-status')).json).toMatchObject({ sealed: true });
  });
});
