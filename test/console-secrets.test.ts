import { performance } from 'node:perf_hooks';
import { expect, it } from 'vitest';
import { chromiumMissing, useConsole } from './support/browser.js';
import { describeNeeding } from './support/require-tool.js';

const XSS = '<img src=x onerror=alert(1)><script>alert(2)</script>';

describeNeeding(chromiumMissing(), 'web console: Secrets pages', () => {
  const ui = useConsole('console-secrets');

  it('the grid shows one key across environments, edits it in every environment at once, and reveals as text', async () => {
    const { page } = ui;
    for (const env of ['dev', 'staging', 'prod']) {
      expect(
        (await ui.api('PUT', `/v1/secrets/shop/${env}/DB_URL`, { value: `postgres://${env}` })).status,
      ).toBe(200);
    }
    await ui.api('PUT', '/v1/secrets/shop/prod/HTML_PROBE', { value: XSS });
    await page.goto(`${ui.url}/ui/secrets/shop`);
    await page.getByRole('heading', { name: 'Project shop' }).waitFor();
    await page.getByText('2 keys in 3 environments').waitFor();
    await ui.axe();
    await ui.screenshot('secrets-grid');
    // Reveal is the audited read; HTML in a value is shown as text and never runs.
    await page.getByRole('button', { name: 'Reveal shop/prod/HTML_PROBE' }).click();
    await page.getByText(XSS, { exact: true }).waitFor();
    expect(await page.locator('main img').count()).toBe(0);
    expect(ui.dialogs).toEqual([]);
    // Edit DB_URL in dev and prod (staging left empty: kept).
    await page.getByRole('button', { name: 'Edit DB_URL in every environment' }).click();
    await page.getByLabel('dev (leave empty to keep)').fill('postgres://dev-2');
    await page.getByLabel('prod (leave empty to keep)').fill('postgres://prod-2');
    await ui.screenshot('secrets-grid-edit');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByRole('button', { name: 'Save' }).waitFor({ state: 'detached' });
    const read = async (p: string) =>
      (await ui.api('GET', `/v1/secrets/${p}`)).json as { value: string; version: number };
    expect(await read('shop/dev/DB_URL')).toMatchObject({ value: 'postgres://dev-2', version: 2 });
    expect(await read('shop/staging/DB_URL')).toMatchObject({ value: 'postgres://staging', version: 1 });
    expect(await read('shop/prod/DB_URL')).toMatchObject({ value: 'postgres://prod-2', version: 2 });
  });

  it('pastes a .env into one environment (bulk edit), reporting each line', async () => {
    const { page } = ui;
    await ui.api('PUT', '/v1/secrets/paste/dev/EXISTING', { value: 'old' });
    await page.goto(`${ui.url}/ui/secrets/paste`);
    await page.getByRole('button', { name: 'Paste .env' }).click();
    await page.getByLabel('Environment', { exact: true }).fill('staging');
    await page
      .getByLabel('.env content')
      .fill('# comment\nAPI_KEY=abc123\nexport QUOTED="a b"\nnot a line\n');
    await ui.axe();
    await ui.screenshot('secrets-paste-env');
    await page.getByRole('button', { name: 'Write all' }).click();
    await page.getByText('line 2: API_KEY: version 1').waitFor();
    await page.getByText('line 4: expected KEY=value').waitFor();
    expect((await ui.api('GET', '/v1/secrets/paste/staging/QUOTED')).json).toMatchObject({ value: 'a b' });
  });

  it('a secret page: versions, diff, rollback, delete, restore, destroy behind a typed confirmation', async () => {
    const { page } = ui;
    const path = 'hist/prod/CONFIG';
    await ui.api('PUT', `/v1/secrets/${path}`, { value: 'host=a\nport=1' });
    await ui.api('PUT', `/v1/secrets/${path}`, { value: 'host=b\nport=1' });
    await page.goto(`${ui.url}/ui/secrets/${path}`);
    await page.getByRole('heading', { name: path }).waitFor();
    await page.getByRole('button', { name: 'Show diff' }).click();
    await page.getByText('- host=a').waitFor();
    await page.getByText('+ host=b').waitFor();
    await ui.axe();
    await ui.screenshot('secret-versions');
    await page.getByRole('button', { name: 'Roll back to v1' }).click();
    await page.getByText('Current version 3').waitFor();
    expect((await ui.api('GET', `/v1/secrets/${path}`)).json).toMatchObject({
      value: 'host=a\nport=1',
      version: 3,
    });
    await page.getByRole('button', { name: 'Delete v3' }).click();
    await page.getByRole('button', { name: 'Restore v3' }).waitFor();
    await page.getByRole('button', { name: 'Restore v3' }).click();
    await page.getByRole('button', { name: 'Delete v3' }).waitFor();
    // Destroy: the confirm button stays disabled until the address is typed exactly.
    await page.getByRole('button', { name: 'Destroy v1' }).click();
    const confirm = page.getByRole('button', { name: 'Destroy for good' });
    expect(await confirm.isDisabled()).toBe(true);
    await page.getByLabel(/Type .* to confirm/).fill('hist/prod/CONFI');
    expect(await confirm.isDisabled()).toBe(true);
    await page.getByLabel(/Type .* to confirm/).fill(path);
    await ui.axe();
    await ui.screenshot('secret-destroy-confirm');
    await confirm.click();
    await page.getByText('destroyed').first().waitFor();
    expect((await ui.api('GET', `/v1/secrets/${path}?version=1`)).status).toBe(410);
  });

  it('the trash lists soft-deleted secrets and restores them', async () => {
    const { page } = ui;
    await ui.api('PUT', '/v1/secrets/bin/dev/GONE', { value: 'x' });
    await ui.api('DELETE', '/v1/secrets/bin/dev/GONE');
    await page.goto(`${ui.url}/ui/secrets-trash`);
    await page.getByRole('link', { name: 'bin' }).click();
    await page.getByRole('link', { name: 'bin/dev/GONE' }).waitFor();
    await ui.axe();
    await ui.screenshot('secrets-trash');
    await page.getByRole('button', { name: 'Restore bin/dev/GONE' }).click();
    await page.getByText('The trash is empty.').waitFor();
    expect((await ui.api('GET', '/v1/secrets/bin/dev/GONE')).status).toBe(200);
  });

  it('is usable at a phone width (390 px) and in the dark theme', async () => {
    const { page } = ui;
    await page.setViewportSize({ width: 390, height: 844 });
    await page.emulateMedia({ colorScheme: 'dark' });
    await page.goto(`${ui.url}/ui/secrets/shop`);
    await page.getByText('2 keys in 3 environments').waitFor();
    const overflow = await page.evaluate(
      () =>
        (globalThis as unknown as { document: { documentElement: { scrollWidth: number } } }).document
          .documentElement.scrollWidth,
    );
    expect(overflow).toBeLessThanOrEqual(390);
    await ui.axe();
    await ui.screenshot('secrets-grid-phone-dark');
    // Keyboard: Tab reaches the skip link first, then the navigation.
    await page.keyboard.press('Tab');
    expect(
      await page.evaluate(
        () =>
          (globalThis as unknown as { document: { activeElement: { textContent: string } } }).document
            .activeElement.textContent,
      ),
    ).toBe('Skip to content');
  });

  it('a project of 10,000 secrets lists and searches in the browser (timings printed)', async () => {
    const { page } = ui;
    const lines = Array.from({ length: 10_000 }, (_, i) => `KEY_${String(i).padStart(5, '0')}=v${i}`);
    const imported = await ui.api('POST', '/v1/import/big/prod', {
      format: 'dotenv',
      text: lines.join('\n'),
    });
    expect(imported.status).toBe(200);
    let t = performance.now();
    await page.goto(`${ui.url}/ui/secrets/big`);
    await page.getByText('10000 keys in 1 environments').waitFor({ timeout: 60_000 });
    const listMs = performance.now() - t;
    t = performance.now();
    await page.getByLabel('Filter keys').fill('KEY_0999');
    await page.getByText('10 keys in 1 environments').waitFor();
    const filterMs = performance.now() - t;
    t = performance.now();
    await page.goto(`${ui.url}/ui/secrets?q=KEY_09999`);
    await page.getByRole('link', { name: 'big/prod/KEY_09999' }).waitFor({ timeout: 60_000 });
    const searchMs = performance.now() - t;
    console.log(
      `console, 10,000 secrets: grid listed in ${listMs.toFixed(0)} ms, filtered in ${filterMs.toFixed(0)} ms, ` +
        `global search (load + match) in ${searchMs.toFixed(0)} ms`,
    );
  }, 180_000);
});
