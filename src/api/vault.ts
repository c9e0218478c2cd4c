/** The Vault-compatible API's reply (`/vault/v1/...`): Vault's own response envelope, the peer's shape. */
import { z } from 'zod';

/**
 * Vault's response envelope (src/compat/vault/vault-reply.ts builds it): `data` for secrets engines, `auth` for
 * logins. Their contents are the Vault operation's own (KV v2 reads, metadata, transit batches, token auth blocks)
 * and are passed through as any JSON; the envelope itself is closed.
 */
export const vaultEnvelope = z.object({
  request_id: z.string(),
  lease_id: z.string(),
  renewable: z.boolean(),
  lease_duration: z.number(),
  data: z.unknown(),
  wrap_info: z.null(),
  warnings: z.array(z.string()).readonly().nullable(),
  auth: z.unknown(),
});
