import { expect, it } from 'vitest';
import { chromiumMissing, useConsole } from './support/browser.js';
import { describeNeeding } from './support/require-tool.js';

describeNeeding(chromiumMissing(), 'web console: serving, login, session, CSRF, CSP', () => {
  const ui = useConsole('console-core');

  it('logs in with the root token through the login page and shows the Secrets page', async () => {
    const { page } = ui;
    await page.getByRole('heading', { name: 'Secrets', level: 1 }).waitFor();
    await ui.axe();
    await ui.screenshot('secrets-home');
  });
});
