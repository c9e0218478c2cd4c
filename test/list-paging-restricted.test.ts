import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, type HushServer, startHushServer } from './support/hush-server.js';
import { assertCompiledCli } from './support/run-hush.js';
import { makeTempDir, removeTempDir } from './support/temp-dir.js';

// List paging as a restricted caller over real HTTP: the pages, their number and the cursors must say nothing
// about names outside the caller's grant (issue 12, item 2: cursors were the base64url of the next storage key).

let server: HushServer;
let dir: string;
let root: string;
let reader: string;
let other: string;

const VISIBLE = ['app/prod/a', 'app/prod/b', 'app/prod/c'];
const HIDDEN = [
  'app/dev/hiddenalpha',
  'app/dev/hiddenbeta',
  'app/prod2/hiddengamma',
  'app/prod0/hiddendelta',
  'billinghidden/prod/k',
  'zetahidden/prod/k',
  'app/staging/hiddeneps',
];

interface Page {
  entries: { name: string; path: string; kind: string }[];
  cursor?: string;
}

async function walk(token: string, path: string, limit: number): Promise<{ pages: Page[]; texts: string[] }> {
  const pages: Page[] = [];
  const texts: string[] = [];
  let cursor: string | undefined;
  for (let i = 0; i < 50; i++) {
    const sep = path.includes('?') ? '&' : '?';
    const url = `${path}${sep}limit=${limit}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
    const res = await api(server, token, 'GET', url);
    expect(res.status, res.text).toBe(200);
    texts.push(res.text);
    const page = res.json as Page;
    pages.push(page);
    cursor = page.cursor;
    if (cursor === undefined) return { pages, texts };
  }
  throw new Error(`${path}: more than 50 pages`);
}

/** Every way a careless cursor could carry a name: base64url/base64/hex decodings, as UTF-8 and Latin-1. */
function decodings(cursor: string): string {
  const out: string[] = [cursor];
  for (const enc of ['base64url', 'base64', 'hex'] as const) {
    const bytes = Buffer.from(cursor, enc);
    out.push(bytes.toString('utf8'), bytes.toString('latin1'));
  }
  return out.join('\n');
}

beforeAll(async () => {
  assertCompiledCli();
  dir = await makeTempDir('list-paging');
  server = await startHushServer({ dataDir: dir });
  root = server.rootToken ?? '';
  for (const p of [...VISIBLE, ...HIDDEN]) {
    expect((await api(server, root, 'PUT', `/v1/secrets/${p}`, { value: 'v' })).status).toBe(200);
  }
  const policy = { rules: [{ path: 'app/prod/**', capabilities: ['read', 'list'] }] };
  expect((await api(server, root, 'PUT', '/v1/sys/policies/prod-reader', policy)).status).toBe(200);
  const made = await api(server, root, 'POST', '/v1/auth/token/create', { policies: ['prod-reader'] });
  reader = (made.json as { token: string }).token;
  const made2 = await api(server, root, 'POST', '/v1/auth/token/create', { policies: ['prod-reader'] });
  other = (made2.json as { token: string }).token;
}, 60_000);

afterAll(async () => {
  await server?.stop();
  if (dir) await removeTempDir(dir);
});

describe('list paging as a restricted caller', () => {
  it('walking recursive cursors with limit=1 shows exactly the readable names, one per page, and nothing else', async () => {
    const { pages, texts } = await walk(reader, '/v1/list/app?recursive=true', 1);
    expect(pages.flatMap((p) => p.entries.map((e) => e.path))).toEqual(VISIBLE);
    // One page per visible name: the page count does not grow with hidden names, and no page is empty.
    expect(pages.map((p) => p.entries.length)).toEqual([1, 1, 1]);
    for (const text of texts) expect(text).not.toMatch(/hidden|billing|zeta|dev|staging|prod0|prod2/);
    for (const page of pages) {
      if (page.cursor)
        expect(decodings(page.cursor)).not.toMatch(/hidden|dev|staging|prod0|prod2|prod\/[bc]/);
    }
  });

  it('one page of limit=10000 (the largest, a whole project for the console) is filtered the same', async () => {
    const { pages } = await walk(reader, '/v1/list/app?recursive=true', 10_000);
    expect(pages.flatMap((p) => p.entries.map((e) => e.path))).toEqual(VISIBLE);
    expect(pages.length).toBe(1);
    expect((await api(server, reader, 'GET', '/v1/list/app?limit=10001')).status).toBe(400);
  });

  it('walking the project list and one level with limit=1 reveals no other project or folder', async () => {
    const projects = await walk(reader, '/v1/list?recursive=false', 1);
    expect(projects.pages.flatMap((p) => p.entries.map((e) => e.path))).toEqual(['app/']);
    expect(projects.texts.join('\n')).not.toMatch(/billing|zeta/);
    const recursiveAll = await walk(reader, '/v1/list?recursive=true', 1);
    expect(recursiveAll.pages.flatMap((p) => p.entries.map((e) => e.path))).toEqual(VISIBLE);
    expect(recursiveAll.texts.join('\n')).not.toMatch(/hidden|billing|zeta/);
    const level = await walk(reader, '/v1/list/app', 1);
    expect(level.pages.flatMap((p) => p.entries.map((e) => e.path))).toEqual(['app/prod/']);
    for (const page of [...projects.pages, ...recursiveAll.pages, ...level.pages]) {
      if (page.cursor) expect(decodings(page.cursor)).not.toMatch(/hidden|billing|zeta|dev|staging/);
    }
  });

  it('pages of 2 as the restricted caller: full pages, then the rest, no cursor at the end', async () => {
    const { pages } = await walk(reader, '/v1/list/app?recursive=true', 2);
    expect(pages.map((p) => p.entries.map((e) => e.path))).toEqual([VISIBLE.slice(0, 2), VISIBLE.slice(2)]);
    expect(pages[1]?.cursor).toBeUndefined();
  });

  it('a cursor continues only the same listing for the same caller; a forged cursor is a coded 400', async () => {
    const first = (await api(server, reader, 'GET', '/v1/list/app?recursive=true&limit=1')).json as Page;
    const cursor = encodeURIComponent(first.cursor ?? '');
    const again = await api(server, reader, 'GET', `/v1/list/app?recursive=true&limit=1&cursor=${cursor}`);
    expect((again.json as Page).entries.map((e) => e.path)).toEqual(['app/prod/b']);
    for (const [token, url] of [
      [other, `/v1/list/app?recursive=true&limit=1&cursor=${cursor}`],
      [root, `/v1/list/app?recursive=true&limit=1&cursor=${cursor}`],
      [reader, `/v1/list/app?limit=1&cursor=${cursor}`],
      [reader, `/v1/list/app/prod?recursive=true&limit=1&cursor=${cursor}`],
      // The old format: base64url of a storage position, here one inside a hidden folder.
      [
        reader,
        `/v1/list/app?recursive=true&limit=1&cursor=${Buffer.from('dev/hiddenalpha').toString('base64url')}`,
      ],
    ] as const) {
      const res = await api(server, token, 'GET', url);
      expect([res.status, (res.json as { error?: { code: string } }).error?.code], url).toEqual([
        400,
        'HUSH_E_INVALID_INPUT',
      ]);
    }
  });

  it('an unrestricted caller still pages through everything', async () => {
    const { pages } = await walk(root, '/v1/list/app?recursive=true', 2);
    const all = pages.flatMap((p) => p.entries.map((e) => e.path));
    expect(all).toEqual([...VISIBLE, ...HIDDEN].filter((p) => p.startsWith('app/')).sort());
  });
});
