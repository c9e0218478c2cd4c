import { expect, it } from 'vitest';
import { chromiumMissing, useConsole } from './support/browser.js';
import { api } from './support/hush-server.js';
import { describeNeeding } from './support/require-tool.js';

const XSS = '<img src=x onerror=alert(1)>';

describeNeeding(chromiumMissing(), 'web console: Audit pages', () => {
  const ui = useConsole('console-audit');

  it('shows the verified chain and its head, filters the trail, and opens a request’s full record', async () => {
    const { page } = ui;
    await ui.api('PUT', '/v1/sys/policies/reader', {
      rules: [{ path: 'audit-demo/**', capabilities: ['read'] }],
    });
    await ui.api('PUT', '/v1/secrets/audit-demo/prod/key', { value: 'v' });
    await ui.api('PUT', '/v1/secrets/other/prod/key', { value: 'v' });
    const created = await ui.api('POST', '/v1/auth/token/create', { policies: ['reader'], ttl: '1h' });
    const limited = created.json as { token: string };
    expect((await api(ui.server, limited.token, 'GET', '/v1/secrets/other/prod/key')).status).toBe(403);

    await page.goto(`${ui.url}/ui/sys/audit/records`);
    await page.getByText('chain verified').waitFor();
    expect(await page.getByRole('region', { name: 'Chain verification' }).textContent()).toMatch(
      /head seq \d+, hash [0-9a-f]{64}/,
    );
    await page.getByLabel('outcome').selectOption('denied');
    await page.getByLabel('path', { exact: true }).fill('other/**');
    await page.getByRole('button', { name: 'Search' }).click();
    await page.waitForURL(/outcome=denied/);
    const rows = page.getByRole('table').getByRole('row');
    await expect.poll(() => rows.count()).toBe(2); // header + the one denial
    expect(await rows.nth(1).textContent()).toContain('other/prod/key');
    await ui.axe();
    await ui.screenshot('audit-trail');

    await rows.nth(1).getByRole('link').click();
    await page.getByRole('heading', { name: /^Request / }).waitFor();
    const record = await page.locator('pre.record').first().textContent();
    expect(record).toContain('"outcome": "denied"');
    expect(record).toContain('"authz"');
    expect(record).not.toContain(limited.token);
    await ui.axe();
    await ui.screenshot('audit-record');
  });

  it('renders HTML in a filter and a request id as text (no dialog fires)', async () => {
    const { page } = ui;
    ui.allowConsoleError(/status of 40[04]/);
    await page.goto(`${ui.url}/ui/sys/audit/records?identity=${encodeURIComponent(XSS)}`);
    await page.getByText('No matching records.').waitFor();
    expect(await page.getByLabel('identity').inputValue()).toBe(XSS);
    await page.goto(`${ui.url}/ui/sys/audit/records/${encodeURIComponent(XSS)}`);
    await page.getByRole('heading', { name: `Request ${XSS}` }).waitFor();
    await page.getByRole('alert').waitFor();
    expect(await page.locator('img[src="x"]').count()).toBe(0);
    expect(ui.dialogs).toEqual([]);
  });
});
