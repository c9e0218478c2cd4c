import { generateKeyPairSync } from 'node:crypto';
import { expect, it } from 'vitest';
import { chromiumMissing, useConsole } from './support/browser.js';
import { api } from './support/hush-server.js';
import { describeNeeding } from './support/require-tool.js';

const XSS = '<img src=x onerror=alert(1)>';

describeNeeding(chromiumMissing(), 'web console: Access pages', () => {
  const ui = useConsole('console-access');

  it('lists policies, edits one in the validating editor (the coded error inline), and deletes one', async () => {
    const { page } = ui;
    ui.allowConsoleError(/status of 40[04]/);
    expect(
      (await ui.api('PUT', '/v1/sys/policies/app', { rules: [{ path: 'app/**', capabilities: ['read'] }] }))
        .status,
    ).toBe(200);
    await page.goto(`${ui.url}/ui/sys/policies`);
    await page.getByRole('link', { name: 'app', exact: true }).click();
    await page.getByRole('heading', { name: 'Policy app', level: 1 }).waitFor();
    const editor = page.getByLabel('Policy document (JSON)');
    await editor.fill('{ "rules": [\n  { "path": "app/**",\n    "capabilities": ["raed"] } ] }');
    await page.getByRole('button', { name: 'Save' }).click();
    // The server names the field; the editor adds the line it is on.
    await page
      .getByText(
        /HUSH_E_INVALID_INPUT: .*rules\[0\]\.capabilities\[0\]: unknown capability "raed".*\(line 3\)$/,
      )
      .waitFor();
    await editor.fill('{ "rules": [\n  { "path": "app/**", \n ] }');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByText(/not valid JSON \(line \d\)/).waitFor();
    await editor.fill('{ "rules": [ { "path": "app/**", "capabilities": ["read", "list"] } ] }');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByText('Saved policy "app".').waitFor();
    const stored = await ui.api('GET', '/v1/sys/policies/app');
    expect((stored.json as { rules: { capabilities: string[] }[] }).rules[0]?.capabilities).toEqual([
      'read',
      'list',
    ]);
    await ui.axe();
    await ui.screenshot('access-policy-editor');

    await page.goto(`${ui.url}/ui/sys/policies`);
    await page.getByLabel('New policy name').fill('scratch');
    await page.getByRole('button', { name: 'Write a new policy' }).click();
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByText('Saved policy "scratch".').waitFor();
    await page.getByRole('button', { name: 'Delete' }).click();
    await page.getByRole('dialog').getByRole('textbox').fill('scratch');
    await page.getByRole('dialog').getByRole('button', { name: 'Delete policy' }).click();
    await page.getByRole('heading', { name: 'Policies', level: 1 }).waitFor();
    expect((await ui.api('GET', '/v1/sys/policies/scratch')).status).toBe(404);
    await ui.axe();
    await ui.screenshot('access-policies');
  });

  it('shows the simulator on a recorded trail: a draft removing a rule flips the limited token’s read', async () => {
    const { page } = ui;
    await ui.api('PUT', '/v1/sys/policies/payments', {
      rules: [
        { path: 'payments/**', capabilities: ['read'] },
        { path: 'billing/**', capabilities: ['read'] },
      ],
    });
    await ui.api('PUT', '/v1/secrets/payments/prod/api-key', { value: 'v' });
    await ui.api('PUT', '/v1/secrets/billing/prod/invoices', { value: 'v' });
    const created = await ui.api('POST', '/v1/auth/token/create', { policies: ['payments'], ttl: '1h' });
    const limited = created.json as { token: string; auth: { accessor: string } };
    expect((await api(ui.server, limited.token, 'GET', '/v1/secrets/payments/prod/api-key')).status).toBe(
      200,
    );
    expect((await api(ui.server, limited.token, 'GET', '/v1/secrets/billing/prod/invoices')).status).toBe(
      200,
    );

    await page.goto(`${ui.url}/ui/sys/policies/payments`);
    await page.getByRole('link', { name: 'Simulate a change to this policy' }).click();
    await page.getByRole('heading', { name: 'Policy simulator', level: 1 }).waitFor();
    await page.getByLabel('Since (ISO-8601 or a duration ago, e.g. 7d)').fill('1h');
    await page
      .getByLabel('Draft policy (YAML or JSON)')
      .fill('rules:\n  - path: billing/**\n    capabilities: [read]\n');
    await page.getByRole('button', { name: 'Simulate' }).click();
    const flips = page.getByRole('table');
    const row = flips.getByRole('row').filter({ hasText: 'payments/prod/api-key' });
    await row.first().waitFor();
    expect(await row.first().textContent()).toContain(limited.auth.accessor);
    expect(await row.first().textContent()).toMatch(/allowed.*denied/);
    expect(await flips.getByRole('row').filter({ hasText: 'billing/prod/invoices' }).count()).toBe(0);
    await ui.axe();
    await ui.screenshot('access-simulator');

    ui.allowConsoleError(/status of 40[04]/);
    await page.getByLabel('Draft policy (YAML or JSON)').fill('rules:\n  - path: [unclosed\n');
    await page.getByRole('button', { name: 'Simulate' }).click();
    await page.getByText(/not valid YAML or JSON \(line \d+\)/).waitFor();
  });

  it('answers who-can and explain, and creates, looks up and revokes a token', async () => {
    const { page } = ui;
    await ui.api('PUT', '/v1/sys/policies/ops', { rules: [{ path: 'ops/**', capabilities: ['read'] }] });
    await page.goto(`${ui.url}/ui/sys/access/who-can`);
    const who = page.getByRole('form', { name: 'Who can' });
    await who.getByLabel('Path').fill('ops/prod/db');
    await who.getByRole('button', { name: 'Who can?' }).click();
    await page.getByRole('table').getByText('root').first().waitFor();
    const explain = page.getByRole('form', { name: 'Explain a decision' });
    await explain.getByLabel('Path').fill('ops/prod/db');
    await explain.getByRole('button', { name: 'Explain' }).click();
    await page
      .getByRole('region', { name: 'Explanation' })
      .getByText(/allowed/)
      .first()
      .waitFor();
    await ui.axe();
    await ui.screenshot('access-review');

    await page.goto(`${ui.url}/ui/auth/token`);
    await page.getByLabel('Policies (comma-separated)').fill('ops');
    await page.getByRole('button', { name: 'Create token' }).click();
    const status = page.getByText(/Token created; it is shown only now\. Accessor: (\S+)/);
    await status.waitFor();
    const accessor = /Accessor: (\S+)/.exec((await status.textContent()) ?? '')?.[1] ?? '';
    const lookup = page.getByRole('form', { name: 'Look up a token' });
    await lookup.getByLabel('Accessor').fill(accessor);
    await lookup.getByRole('button', { name: 'Look up' }).click();
    await page.getByText('ops', { exact: true }).first().waitFor();
    await ui.axe();
    await ui.screenshot('access-tokens');
    await lookup.getByRole('button', { name: 'Revoke' }).click();
    await page.getByText(`Revoked token ${accessor} and its children.`).waitFor();
    expect((await ui.api('POST', '/v1/auth/token/lookup', { accessor })).status).toBe(404);
  });

  it('manages AppRole roles (secret id shown once, revoked) and JWT roles; a reader sees no write action', async () => {
    const { page } = ui;
    ui.allowConsoleError(/status of 40[04]/);
    await page.goto(`${ui.url}/ui/auth/approle/role`);
    await page.getByLabel('New role name').fill('ci');
    await page.getByRole('button', { name: 'Create a role' }).click();
    const editor = page.getByLabel('Role (JSON)');
    await editor.fill('{ "policies": ["app"], "tokenTtl": "forever" }');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByText(/HUSH_E_\w+: .*tokenTtl/).waitFor();
    await editor.fill('{ "policies": ["app"], "tokenTtl": "30m", "secretIdNumUses": 3 }');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByText('Saved role "ci".').waitFor();
    expect((await ui.api('GET', '/v1/auth/approle/role/ci')).json).toMatchObject({ tokenTtlSeconds: 1800 });
    await page.getByRole('button', { name: 'Generate a secret id' }).click();
    await page.getByText(/Secret id created; it is shown only now/).waitFor();
    await page.getByRole('cell', { name: /^sid_/ }).waitFor();
    await ui.axe();
    await ui.screenshot('access-approle');
    await page.getByRole('button', { name: 'Reveal New secret id' }).click();
    const secretId =
      (await page.locator('section[aria-label="Login credentials"] code.revealed').textContent()) ?? '';
    await page.getByRole('button', { name: 'Reveal Role id' }).click();
    const roleId = (await ui.api('GET', '/v1/auth/approle/role/ci/role-id')).json as { roleId: string };
    await page.getByText(roleId.roleId).waitFor();
    expect((await ui.api('POST', '/v1/auth/approle/login', { roleId: roleId.roleId, secretId })).status).toBe(
      200,
    );
    await page.getByRole('button', { name: /^Revoke secret id sid_/ }).click();
    await page.getByText('No live secret ids.').waitFor();
    expect(
      (await ui.api('POST', '/v1/auth/approle/login', { roleId: roleId.roleId, secretId })).status,
    ).not.toBe(200);

    await page.goto(`${ui.url}/ui/auth/jwt/role`);
    await page.getByLabel('New role name').fill('gh');
    await page.getByRole('button', { name: 'Create a role' }).click();
    // Inline keys (a URL would need the issuer on the server's outbound allow list).
    const jwk = generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey.export({ format: 'jwk' });
    await page.getByLabel('Role (JSON)').fill(
      JSON.stringify({
        jwks: { keys: [{ ...jwk, kid: 'k1', alg: 'ES256', use: 'sig' }] },
        boundIssuer: 'https://issuer.test',
        boundAudiences: ['hush'],
        policies: ['app'],
      }),
    );
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByText('Saved role "gh".').waitFor();
    await page.goto(`${ui.url}/ui/auth/jwt/role`);
    await page.getByRole('link', { name: 'gh', exact: true }).click();
    await page.getByText('"boundIssuer": "https://issuer.test"').waitFor();
    await ui.axe();
    await ui.screenshot('access-jwt-role');
    await page.getByRole('button', { name: 'Delete' }).click();
    await page.getByRole('dialog').getByRole('textbox').fill('gh');
    await page.getByRole('dialog').getByRole('button', { name: 'Delete role' }).click();
    await page.getByRole('heading', { name: 'JWT/OIDC roles', level: 1 }).waitFor();
    expect((await ui.api('GET', '/v1/auth/jwt/role/gh')).status).toBe(404);

    // A token that may only read the role: no Save, Delete, secret id or revoke action is offered.
    await ui.api('PUT', '/v1/sys/policies/role-reader', {
      rules: [
        { path: 'auth/approle/role/ci', capabilities: ['read'] },
        { path: 'auth/approle/role/ci/role-id', capabilities: ['read'] },
      ],
    });
    const reader = (await ui.api('POST', '/v1/auth/token/create', { policies: ['role-reader'] })).json as {
      token: string;
    };
    await page.getByRole('button', { name: 'Log out' }).click();
    await ui.login(reader.token);
    await page.goto(`${ui.url}/ui/auth/approle/role/ci`);
    await page.getByText('You may read this role but not change it.').waitFor();
    // The answers of capabilities-self have arrived (the role id it may read is offered) before counting buttons.
    await page.getByRole('button', { name: 'Reveal Role id' }).waitFor();
    await page.waitForLoadState('networkidle');
    for (const name of ['Save', 'Delete', 'Generate a secret id'])
      expect(await page.getByRole('button', { name }).count()).toBe(0);
  });

  it('renders a policy name and a simulated path holding HTML as text (no dialog fires)', async () => {
    const { page } = ui;
    // Policy names are restricted, so the HTML rides in a rule path and an explained path instead.
    await ui.api('PUT', '/v1/sys/policies/xss', { rules: [{ path: 'x/**', capabilities: ['read'] }] });
    await page.goto(`${ui.url}/ui/sys/policies/${encodeURIComponent(XSS)}`);
    await page.getByRole('heading', { name: `Policy ${XSS}`, level: 1 }).waitFor();
    ui.allowConsoleError(/status of 40[04]/);
    await page.goto(`${ui.url}/ui/sys/access/who-can`);
    const explain = page.getByRole('form', { name: 'Explain a decision' });
    await explain.getByLabel('Path').fill(`x/${XSS}`);
    await explain.getByRole('button', { name: 'Explain' }).click();
    await page.getByRole('region', { name: 'Explanation' }).waitFor();
    expect(await page.locator('img[src="x"]').count()).toBe(0);
    expect(ui.dialogs).toEqual([]);
  });
});
