import type { PageDef } from '../page-def';

/**
 * Every console page, ONE line per page module (add yours on its own line; on a merge conflict keep both lines).
 * The dynamic imports are bundled in (esbuild inlines them: one JS file), awaited once at start.
 */
export const registry: PageDef[] = [...(await import('./secrets/secrets-list')).pages];
