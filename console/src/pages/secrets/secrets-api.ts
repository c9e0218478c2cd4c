import { api, enc, onWrite } from '../../api';

/** One entry of GET /v1/list/... */
export interface ListEntry {
  name: string;
  path: string;
  kind: 'secret' | 'folder';
}

/**
 * The largest list page the API gives (its scan budget): a project of 10,000 names arrives in one request instead of
 * ten sequential ones (the cursor of a page is only known once that page arrives).
 */
const PAGE = '10000';

/** Every entry below `prefix` (all pages of the cursor), recursive or one level. */
export async function listAll(prefix: string, recursive: boolean): Promise<ListEntry[]> {
  const out: ListEntry[] = [];
  let cursor: string | undefined;
  do {
    const q = new URLSearchParams({ limit: PAGE });
    if (recursive) q.set('recursive', 'true');
    if (cursor) q.set('cursor', cursor);
    const page = await api<{ entries: ListEntry[]; cursor?: string }>(
      'GET',
      `/list${prefix ? `/${enc(prefix)}` : ''}?${q}`,
    );
    out.push(...page.entries);
    cursor = page.cursor;
  } while (cursor);
  return out;
}

/** How long a loaded listing is reused when a page asks again (another client may have changed the names). */
const REUSE_MS = 30_000;
/** Recursive listings asked for this session, by prefix ('' = every project), with when they were asked. */
const loaded = new Map<string, { at: number; names: Promise<ListEntry[]> }>();
// Anything this console changes may add or remove names: list again after it.
onWrite(() => loaded.clear());

/**
 * Every secret below `prefix` (recursive, as `listAll`), reusing a listing loaded or in flight in the last 30 s:
 * the grid's listing started while the session is checked (see `prefetch` in page-def), and the global search
 * over names already loaded. A project's names are taken from a loaded listing of every project when there is
 * one (the server filtered that listing for this same session). `fresh` always asks the server.
 */
export function loadNames(prefix: string, fresh = false): Promise<ListEntry[]> {
  const now = Date.now();
  const reuse = (key: string) => {
    const hit = loaded.get(key);
    return !fresh && hit && now - hit.at < REUSE_MS ? hit : undefined;
  };
  const own = reuse(prefix);
  if (own) return own.names;
  const all = prefix === '' ? undefined : reuse('');
  const names = all ? all.names.then((es) => underProject(es, prefix)) : listAll(prefix, true);
  const entry = { at: now, names };
  loaded.set(prefix, entry);
  // A failed listing is not remembered (the next visit asks again); its error reaches the caller of this call.
  names.catch(() => {
    if (loaded.get(prefix) === entry) loaded.delete(prefix);
  });
  return names;
}

/** The entries of one project out of a listing of every project, named relative to the project as the API does. */
function underProject(entries: readonly ListEntry[], project: string): ListEntry[] {
  const head = `${project}/`;
  return entries
    .filter((e) => e.path.startsWith(head))
    .map((e) => ({ ...e, name: e.path.slice(head.length) }));
}

/** Compares names for display order: one collator, far cheaper than `localeCompare` over 10,000 rows. */
export const byName = new Intl.Collator().compare;

/** A secret's address split: project / environment / name (the name may hold slashes). */
export function splitAddress(path: string): { project: string; env: string; name: string } {
  const [project = '', env = '', ...rest] = path.split('/');
  return { project, env, name: rest.join('/') };
}

/** The console URL of a secret's page (mirrors GET /v1/secrets/<address>). */
export const secretHref = (path: string): string => `/ui/secrets/${enc(path)}`;

/** Read a secret's served value (the audited read the Reveal button makes). */
export async function readValue(path: string, version?: number): Promise<string> {
  const r = await api<{ value: unknown }>(
    'GET',
    `/secrets/${enc(path)}${version ? `?version=${version}` : ''}`,
  );
  return asText(r.value);
}

/** GET /v1/metadata/<address>. */
export interface SecretMeta {
  path: string;
  current: number;
  updatedAt: string;
  updatedBy: string;
  description?: string;
  versions: {
    version: number;
    state: 'active' | 'deleted' | 'destroyed';
    createdAt: string;
    createdBy: string;
  }[];
}

export const readMeta = (path: string): Promise<SecretMeta> =>
  api<SecretMeta>('GET', `/metadata/${enc(path)}`);

/** Show a value as text (objects as pretty JSON), never as markup. */
export const asText = (value: unknown): string =>
  typeof value === 'string' ? value : JSON.stringify(value, null, 2);

/** Write a string value (a new version). */
export const writeValue = (path: string, value: string): Promise<{ version: number }> =>
  api<{ version: number }>('PUT', `/secrets/${enc(path)}`, { value });

/** Run `fn` over `items`, at most `width` at a time (a bulk edit must not open hundreds of requests at once). */
export async function eachLimited<T, R>(
  items: readonly T[],
  width: number,
  fn: (item: T) => Promise<R>,
): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(width, items.length) }, worker));
  return out;
}
