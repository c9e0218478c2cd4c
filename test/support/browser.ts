import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, expect } from 'vitest';
import { REPO_ROOT } from './compiled.js';
import { type HushServer, api as httpApi, type SharedHushServer, useHushServer } from './hush-server.js';
import { makeTempDir } from './temp-dir.js';

/** Debian's Chromium (`.ci/run` installs it); playwright-core never downloads a browser here. */
export const CHROMIUM = '/usr/bin/chromium';

/** Why the browser suites cannot run here, or undefined (for describeNeeding). */
export function chromiumMissing(): string | undefined {
  if (!existsSync(CHROMIUM)) return `${CHROMIUM} is not installed: apt-get install -y chromium`;
  if (!existsSync(join(REPO_ROOT, 'dist', 'console', 'index.html'))) {
    return 'the console is not built: run `npm run build` (it bundles console/ into dist/console)';
  }
  return undefined;
}

const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

export interface ConsoleHarness {
  /** The page of the current test (a fresh browser context each test; logged in unless `login: false`). */
  readonly page: Page;
  readonly context: BrowserContext;
  readonly server: HushServer;
  readonly rootToken: string;
  readonly url: string;
  /** The API as the root token (X-Hush-Token), for arranging data. */
  api(method: string, path: string, body?: unknown): Promise<{ status: number; json: unknown; text: string }>;
  /** Log in through the login page with `token` (default the root token). */
  login(token?: string): Promise<void>;
  /** A PNG of the page: docs/ui/<name>.png with HUSH_UI_SCREENSHOTS=docs/ui, else into a temp dir. */
  screenshot(name: string): Promise<string>;
  /** Run axe-core on the page; fails on any serious or critical violation (named with its nodes). */
  axe(page?: Page): Promise<void>;
  /** Console errors matching this are expected in the current test (e.g. a CSP refusal the test provokes). */
  allowConsoleError(pattern: RegExp): void;
  /** JavaScript dialogs (alert/confirm) the page opened during this test: an XSS probe expects none. */
  readonly dialogs: string[];
}

/**
 * One real `hush server` and ONE Chromium per test file (launched in beforeAll), a new browser context per test,
 * logged in through the login page with the root token. Any browser console error or uncaught page error fails the
 * test (unless the test allowed it). Use inside describeNeeding(chromiumMissing(), ...).
 */
export function useConsole(
  name: string,
  options: { login?: boolean; serverArgs?: readonly string[] } = {},
): ConsoleHarness {
  const shared: SharedHushServer = useHushServer(
    name,
    options.serverArgs ? { args: options.serverArgs } : {},
  );
  let browser: Browser | undefined;
  let context: BrowserContext | undefined;
  let page: Page | undefined;
  let shotDir = process.env['HUSH_UI_SCREENSHOTS'] ?? '';
  let allowed: RegExp[] = [];
  let errors: string[] = [];
  const dialogs: string[] = [];

  beforeAll(async () => {
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
    if (shotDir === '') shotDir = await makeTempDir(`${name}-shots`);
    else shotDir = join(REPO_ROOT, shotDir);
    mkdirSync(shotDir, { recursive: true });
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
  });
  beforeEach(async () => {
    allowed = [];
    errors = [];
    dialogs.length = 0;
    if (!browser) throw new Error('the browser did not start');
    context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: shared.server.url });
    page = await context.newPage();
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(m.text());
    });
    page.on('pageerror', (e) => errors.push(`uncaught: ${e.message}`));
    page.on('dialog', (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });
    if (options.login !== false) await harness.login();
  }, 30_000);
  afterEach(async () => {
    await context?.close();
    // A 401 shown as the login page is the console working, not an error of the page.
    const unexpected = errors.filter((e) => !allowed.some((r) => r.test(e)) && !/status of 401/.test(e));
    expect(unexpected, 'browser console errors').toEqual([]);
  });

  const harness: ConsoleHarness = {
    get page() {
      if (!page) throw new Error('no page outside a test');
      return page;
    },
    get context() {
      if (!context) throw new Error('no context outside a test');
      return context;
    },
    get server() {
      return shared.server;
    },
    get rootToken() {
      return shared.root;
    },
    get url() {
      return shared.server.url;
    },
    dialogs,
    api: (method, path, body) => httpApi(shared.server, shared.root, method, path, body),
    async login(token = shared.root) {
      const p = harness.page;
      await p.goto(`${shared.server.url}/ui/`);
      await p.getByLabel('Token', { exact: true }).fill(token);
      await p.getByRole('button', { name: 'Log in' }).click();
      await p.getByRole('button', { name: 'Log out' }).waitFor();
    },
    async screenshot(shot) {
      const file = join(shotDir, `${shot}.png`);
      await harness.page.screenshot({ path: file, fullPage: true });
      return file;
    },
    async axe(target = harness.page) {
      // evaluate() runs over the DevTools protocol, outside the page's CSP (an injected <script> would be refused).
      await target.evaluate(AXE_SOURCE);
      const found = await target.evaluate(async () => {
        const axe = (globalThis as unknown as { axe: { run: (o: object) => Promise<AxeResult> } }).axe;
        const r = await axe.run({ resultTypes: ['violations'] });
        return r.violations
          .filter((v) => v.impact === 'serious' || v.impact === 'critical')
          .map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
      });
      expect(found, 'axe serious/critical violations').toEqual([]);
    },
    allowConsoleError(pattern) {
      allowed.push(pattern);
    },
  };
  return harness;
}

interface AxeResult {
  violations: { id: string; impact?: string; nodes: { target: string[] }[] }[];
}

/**
 * The slice of the browser's globals the tests touch inside `page.evaluate` (the test tsconfig has no DOM lib):
 * `const w = globalThis as unknown as BrowserGlobals;` inside the callback.
 */
export interface BrowserGlobals {
  document: {
    cookie: string;
    createElement(tag: string): { textContent: string };
    body: { appendChild(node: unknown): void };
    querySelectorAll(selector: string): { length: number };
  };
  localStorage: object;
  sessionStorage: object;
  location: { href: string };
  __pwned?: boolean;
}
