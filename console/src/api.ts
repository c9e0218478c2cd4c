/**
 * The console's one API client: `api('GET', '/sys/policies')` calls `/v1/sys/policies` with the session cookie
 * (sent by the browser, httpOnly: this code never sees a token) and the CSRF header read from the `hush_csrf`
 * cookie. A non-2xx reply throws an {@link ApiError} built from the server's coded error body; a 401 also tells
 * the shell to show the login page.
 */
export type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly hint?: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/** The CSRF value of the session (a readable cookie by design: a page of another site cannot read it). */
export function csrfToken(): string {
  for (const part of document.cookie.split(';')) {
    const [name, ...rest] = part.trim().split('=');
    if (name === 'hush_csrf') return rest.join('=');
  }
  return '';
}

type UnauthorizedListener = () => void;
const unauthorized = new Set<UnauthorizedListener>();

/** The shell listens here to show the login page when the session ends. */
export function onUnauthorized(listener: UnauthorizedListener): () => void {
  unauthorized.add(listener);
  return () => unauthorized.delete(listener);
}

type WriteListener = () => void;
const writes = new Set<WriteListener>();

/**
 * Called after every request that may change state (any method but GET, login and logout included), so memoised
 * reads (the names of secrets-api) are asked for again instead of showing what the session just changed.
 */
export function onWrite(listener: WriteListener): () => void {
  writes.add(listener);
  return () => writes.delete(listener);
}

/** Turn a reply into its JSON body, or throw the coded error it carries. */
async function parse<T>(res: Response): Promise<T> {
  const text = await res.text();
  let body: unknown;
  try {
    body = text === '' ? undefined : JSON.parse(text);
  } catch {
    body = undefined;
  }
  if (res.ok) return body as T;
  const e = (body as { error?: { code?: string; message?: string; hint?: string } } | undefined)?.error;
  if (res.status === 401) for (const l of unauthorized) l();
  throw new ApiError(res.status, e?.code ?? `HTTP_${res.status}`, e?.message ?? res.statusText, e?.hint);
}

/** Call `/v1${path}` as the session; `headers` adds e.g. X-Hush-Token for the login exchange only. */
export async function api<T>(
  method: Method,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<T> {
  const res = await fetch(`/v1${path}`, {
    method,
    credentials: 'same-origin',
    headers: {
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      ...(method === 'GET' ? {} : { 'x-hush-csrf': csrfToken() }),
      ...headers,
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  // capabilities-self is a question every page asks, not a change: it must not throw the loaded names away.
  if (method !== 'GET' && path !== '/sys/capabilities-self') for (const l of writes) l();
  return parse<T>(res);
}

/** Encode each segment of a secret address for a URL path (names may hold any character the store allows). */
export const enc = (path: string): string => path.split('/').map(encodeURIComponent).join('/');
