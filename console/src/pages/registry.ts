import type { PageDef } from '../page-def';

/**
 * Every console page, ONE line per page module (add yours on its own line; on a merge conflict keep both lines).
 * The dynamic imports are bundled in (esbuild inlines them: one JS file), awaited once at start.
 */
// biome-ignore format: one line per page module, so parallel additions merge as add/add
export const registry: PageDef[] = [
  ...(await import('./secrets/secrets-list')).pages,
  ...(await import('./secrets/secrets-grid')).pages,
  ...(await import('./secrets/secret-detail')).pages,
  ...(await import('./secrets/secrets-trash')).pages,
  ...(await import('./access/policies')).pages,
  ...(await import('./access/simulate')).pages,
  ...(await import('./access/access-review')).pages,
  ...(await import('./access/tokens')).pages,
  ...(await import('./access/auth-roles')).pages,
  ...(await import('./audit/audit-records')).pages,
  ...(await import('./ops/approvals')).pages,
  ...(await import('./ops/health')).pages,
  ...(await import('./ops/alerts')).pages,
  ...(await import('./ops/leases')).pages,
  ...(await import('./ops/rotation')).pages,
  ...(await import('./ops/incident')).pages,
  ...(await import('./ops/keys')).pages,
  ...(await import('./ops/transit')).pages,
  ...(await import('./ops/certs')).pages,
  ...(await import('./ops/crypt')).pages,
  ...(await import('./ops/scan-findings')).pages,
];
