import { api, enc } from '../../api';

/** One entry of GET /v1/list/... */
export interface ListEntry {
  name: string;
  path: string;
  kind: 'secret' | 'folder';
}

/** Every entry below `prefix` (all pages of the cursor), recursive or one level. */
export async function listAll(prefix: string, recursive: boolean): Promise<ListEntry[]> {
  const out: ListEntry[] = [];
  let cursor: string | undefined;
  do {
    const q = new URLSearchParams({ limit: '1000' });
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

/** A secret's address split: project / environment / name (the name may hold slashes). */
export function splitAddress(path: string): { project: string; env: string; name: string } {
  const [project = '', env = '', ...rest] = path.split('/');
  return { project, env, name: rest.join('/') };
}

/** The console URL of a secret's page (mirrors GET /v1/secrets/<address>). */
export const secretHref = (path: string): string => `/ui/secrets/${enc(path)}`;

/** Read a secret's served value (the audited read the Reveal button makes). */
export async function readValue(path: string, version?: number): Promise<string> {
  const r = await api<{ value: string }>(
    'GET',
    `/secrets/${enc(path)}${version ? `?version=${version}` : ''}`,
  );
  return r.value;
}
