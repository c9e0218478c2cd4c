import type { JSX } from 'preact';

/** One console page (see console/README.md). */
export interface PageDef {
  /** Console path that mirrors the API path it shows, e.g. '/ui/secrets/:project/:env', '/ui/sys/policies'. */
  route: string;
  title: string;
  /** Nav group: 'Secrets' | 'Access' | 'Audit' | 'Operations'. Omit for pages reached only by links. */
  nav?: string;
  /**
   * Start the page's main read while the shell still checks the session, when the browser holds a session cookie
   * (the server authorises the read anyway; a 401 shows the login). The component must pick the answer up (e.g.
   * `loadNames` of secrets-api reuses a listing in flight).
   */
  prefetch?: (params: Record<string, string>) => void;
  component: (props: { params: Record<string, string>; query: URLSearchParams }) => JSX.Element;
}
