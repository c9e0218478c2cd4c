import { useEffect, useState } from 'preact/hooks';
import type { PageDef } from './page-def';

/**
 * A tiny history router: real `<a href>` links (keyboard, middle-click and copy-link work), intercepted here for
 * plain left clicks on same-origin `/ui` URLs. Patterns: `/ui/sys/policies/:name`, and a trailing `*` that takes
 * the rest of the path (params['*'], for secret addresses with slashes).
 */
const listeners = new Set<() => void>();

export function navigate(to: string, replace = false): void {
  if (replace) history.replaceState(null, '', to);
  else history.pushState(null, '', to);
  for (const l of listeners) l();
  window.scrollTo(0, 0);
}

/** The current location, re-rendering on navigation. */
export function useLocation(): { path: string; query: URLSearchParams } {
  const [, tick] = useState(0);
  useEffect(() => {
    const l = () => tick((n) => n + 1);
    listeners.add(l);
    window.addEventListener('popstate', l);
    return () => {
      listeners.delete(l);
      window.removeEventListener('popstate', l);
    };
  }, []);
  return { path: location.pathname, query: new URLSearchParams(location.search) };
}

/** Match `path` against a route pattern; the decoded params, or undefined. */
export function match(pattern: string, path: string): Record<string, string> | undefined {
  const want = pattern.split('/').filter(Boolean);
  const got = path.split('/').filter(Boolean);
  const params: Record<string, string> = {};
  for (let i = 0; i < want.length; i++) {
    const w = want[i]!;
    if (w === '*') {
      if (i >= got.length) return undefined;
      params['*'] = got.slice(i).map(decodeURIComponent).join('/');
      return params;
    }
    const g = got[i];
    if (g === undefined) return undefined;
    if (w.startsWith(':')) params[w.slice(1)] = decodeURIComponent(g);
    else if (w !== g) return undefined;
  }
  return want.length === got.length ? params : undefined;
}

/** The first page whose route matches (more specific routes first: fewer params, then longer). */
export function findPage(pages: readonly PageDef[], path: string) {
  const score = (r: string) => r.split('/').filter((s) => s.startsWith(':') || s === '*').length;
  const ordered = [...pages].sort(
    (a, b) => score(a.route) - score(b.route) || b.route.length - a.route.length,
  );
  for (const page of ordered) {
    const params = match(page.route, path.replace(/\/+$/, '') || '/');
    if (params) return { page, params };
  }
  return undefined;
}

/** Intercept a click on a same-origin console link (left button, no modifier) and route it in place. */
export function interceptLinks(root: HTMLElement): void {
  root.addEventListener('click', (e) => {
    if (e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
    const a = (e.target as Element | null)?.closest?.('a');
    if (!a || a.target || a.hasAttribute('download')) return;
    const url = new URL(a.href, location.href);
    if (url.origin !== location.origin || !url.pathname.startsWith('/ui')) return;
    e.preventDefault();
    navigate(url.pathname + url.search);
  });
}
