import { type CertRenewals, createCertRenewals } from '../../inject/cert-renewals.js';
import { remoteClientFor, remoteTarget } from './request.js';

/**
 * Certificates from the server's CA for `{{ pki ... }}` and `hush run --cert`: issued through HUSH_ADDR (the first
 * name is the CN, every name a SAN) and renewed at 2/3 of their life. Undefined without HUSH_ADDR (a directive then
 * fails with a coded error naming what to set).
 */
export function serverCertRenewals(env: NodeJS.ProcessEnv = process.env): CertRenewals | undefined {
  if (!env['HUSH_ADDR']) return undefined;
  const client = remoteClientFor(remoteTarget(env));
  return createCertRenewals((r) =>
    client.pki.issue(r.role, {
      ...(r.names[0] ? { commonName: r.names[0] } : {}),
      altNames: [...r.names],
      ...(r.ttlSeconds ? { ttlSeconds: r.ttlSeconds } : {}),
    }),
  );
}
