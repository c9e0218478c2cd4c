import type { ServerConfig } from '../../config/server-config-schema.js';
import { createIdentity } from '../../identity/index.js';
import { createDynamicCredentials } from '../../leases/index.js';
import type { OutboundGuard } from '../../net/outbound-allow-list.js';
import type { ServerAudit } from '../../ports/audit-port.js';
import type { HushStore } from '../../store/index.js';

/**
 * Identity and the dynamic credentials its tokens obtain, as the server runs them: both read through the store's
 * read cache (token and policy rows are served from memory too), and revoking a token revokes its leases.
 */
export function composeIdentity(
  config: ServerConfig,
  store: HushStore,
  audit: ServerAudit,
  outbound: OutboundGuard,
) {
  const creds = createDynamicCredentials({ backend: store.readBackend, barrier: store.barrier, outbound });
  const identity = createIdentity({
    backend: store.readBackend,
    barrier: store.barrier,
    audit,
    revokeDependents: creds.revokeDependents,
    loginLimits: config.loginLimits,
    outbound,
  });
  return { creds, identity };
}
