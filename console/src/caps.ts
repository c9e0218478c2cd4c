import { useEffect, useState } from 'preact/hooks';
import { api } from './api';

interface CapsReply {
  capabilities: Record<string, string[]>;
}

const cache = new Map<string, Promise<Record<string, string[]>>>();

/** Forget every answer (after login or logout: another token holds other capabilities). */
export function clearCaps(): void {
  cache.clear();
}

/** Ask the server what the session may do on `paths` (once per set of paths); never guessed on the client. */
export function fetchCaps(paths: readonly string[]): Promise<Record<string, string[]>> {
  const key = [...paths].sort().join('\n');
  let pending = cache.get(key);
  if (!pending) {
    pending = api<CapsReply>('POST', '/sys/capabilities-self', { paths: [...paths] }).then(
      (r) => r.capabilities,
    );
    // A failed ask is not remembered: the next render asks again.
    pending.catch(() => cache.delete(key));
    cache.set(key, pending);
  }
  return pending;
}

/**
 * `useCaps(['secrets/app/prod/DB_URL'])` -> `{ 'secrets/app/prod/DB_URL': ['read', 'update'] }` once known
 * (undefined while asking). Pages hide or disable the actions a path does not list.
 */
export function useCaps(paths: string[]): Record<string, string[]> | undefined {
  const key = [...paths].sort().join('\n');
  const [caps, setCaps] = useState<Record<string, string[]> | undefined>(undefined);
  useEffect(() => {
    let live = true;
    setCaps(undefined);
    if (paths.length === 0) setCaps({});
    else
      fetchCaps(paths).then(
        (c) => live && setCaps(c),
        () => live && setCaps({}),
      );
    return () => {
      live = false;
    };
  }, [key]);
  return caps;
}

/** Whether `caps` grants `capability` on `path` (`admin` implies every grant, as on the server). */
export function can(caps: Record<string, string[]> | undefined, path: string, capability: string): boolean {
  const held = caps?.[path];
  return held !== undefined && (held.includes(capability) || held.includes('admin'));
}
