import './styles.css';
import { render } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { api, csrfToken, onUnauthorized } from './api';
import { clearCaps } from './caps';
import { Button } from './components/ui';
import { Login } from './login';
import { registry } from './pages/registry';
import { findPage, interceptLinks, navigate, useLocation } from './router';

const NAV_GROUPS = ['Secrets', 'Access', 'Audit', 'Operations'];

interface Self {
  identity: string;
  displayName: string;
  policies: string[];
}

/** Light, dark, or the system's choice (prefers-color-scheme); only the preference is kept, never a credential. */
function useTheme(): [string, () => void] {
  const [theme, setTheme] = useState(localStorage.getItem('hush-theme') ?? 'system');
  useEffect(() => {
    if (theme === 'system') document.documentElement.removeAttribute('data-theme');
    else document.documentElement.setAttribute('data-theme', theme);
  }, [theme]);
  const next = () => {
    const t = theme === 'system' ? 'dark' : theme === 'dark' ? 'light' : 'system';
    localStorage.setItem('hush-theme', t);
    setTheme(t);
  };
  return [theme, next];
}

function Shell() {
  const [self, setSelf] = useState<Self | null | undefined>(undefined);
  const [theme, nextTheme] = useTheme();
  const { path, query } = useLocation();
  // Without the session's CSRF cookie, ask whether a session is live first, so a logged-out browser shows the login
  // without a failing request. With it (set and expired with the session), ask who we are at once: one round trip
  // instead of two before the page, and a session that ended on the server answers 401, which shows the login.
  const load = () =>
    (csrfToken() !== ''
      ? Promise.resolve(true)
      : api<{ active: boolean }>('GET', '/console/session').then((s) => s.active)
    )
      .then((active) => (active ? api<Self>('GET', '/auth/token/lookup-self') : null))
      .then(setSelf, () => setSelf(null));
  useEffect(() => {
    void load();
    return onUnauthorized(() => setSelf(null));
  }, []);
  useEffect(() => {
    const found = findPage(registry, path);
    document.title = found ? `${found.page.title} · Hush` : 'Hush';
  }, [path]);
  if (self === undefined) return <p class="loading">Loading…</p>;
  if (self === null)
    return (
      <Login
        onLoggedIn={() => {
          clearCaps();
          void load();
        }}
      />
    );
  const logout = async () => {
    await api('DELETE', '/console/session').catch(() => undefined);
    clearCaps();
    setSelf(null);
    navigate('/ui/', true);
  };
  const found = findPage(registry, path === '/ui' || path === '/ui/' ? '/ui/secrets' : path);
  const Component = found?.page.component;
  return (
    <div class="shell">
      <a class="skip" href="#main">
        Skip to content
      </a>
      <header class="top">
        <a class="brand" href="/ui/secrets">
          Hush
        </a>
        <nav aria-label="Main">
          {NAV_GROUPS.map((group) => {
            const items = registry.filter((p) => p.nav === group && !p.route.includes(':'));
            if (items.length === 0) return null;
            return (
              <div class="nav-group" key={group}>
                <span class="nav-title">{group}</span>
                {items.map((p) => (
                  <a key={p.route} href={p.route} aria-current={path === p.route ? 'page' : undefined}>
                    {p.title}
                  </a>
                ))}
              </div>
            );
          })}
        </nav>
        <div class="who">
          <span class="muted" title={self.policies.join(', ')}>
            {self.displayName || self.identity}
          </span>
          <Button onClick={nextTheme} title="Change the theme (auto follows the system)">
            Theme: {theme === 'dark' ? 'dark' : theme === 'light' ? 'light' : 'auto'}
          </Button>
          <Button onClick={logout}>Log out</Button>
        </div>
      </header>
      <main id="main">
        {Component && found ? (
          <Component params={found.params} query={query} />
        ) : (
          <section class="page">
            <h1>Not found</h1>
            <p>No console page at {path}.</p>
          </section>
        )}
      </main>
    </div>
  );
}

const root = document.getElementById('app');
if (root) {
  // The first page's read runs alongside the session check rather than after it (see PageDef.prefetch).
  if (csrfToken() !== '') {
    const first = findPage(
      registry,
      location.pathname === '/ui' || location.pathname === '/ui/' ? '/ui/secrets' : location.pathname,
    );
    first?.page.prefetch?.(first.params);
  }
  interceptLinks(root);
  render(<Shell />, root);
}
