import type { JSX } from 'preact';

/** One console page (see console/README.md). */
export interface PageDef {
  /** Console path that mirrors the API path it shows, e.g. '/ui/secrets/:project/:env', '/ui/sys/policies'. */
  route: string;
  title: string;
  /** Nav group: 'Secrets' | 'Access' | 'Audit' | 'Operations'. Omit for pages reached only by links. */
  nav?: string;
  component: (props: { params: Record<string, string>; query: URLSearchParams }) => JSX.Element;
}
