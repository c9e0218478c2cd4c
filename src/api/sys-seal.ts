/** The seal operations' requests and replies that carry one-time unseal material (`/v1/sys/rotate-root`). */
import { z } from 'zod';
import { defineRoute } from './contract.js';

/**
 * POST /v1/sys/rotate-root body: the shape of the new unseal material, for the server's seal kind only. Nothing
 * (or `{}`) keeps the configured shape: new shares of the same split, or the root re-wrapped under the same RSA or
 * HSM key (the root key changes; that key keeps working).
 */
const rotateRootBody = z.strictObject({
  /** shamir: number of new shares (default: the configured number). */
  shares: z.int().min(1).max(255).optional(),
  /** shamir: shares needed to unseal (default: the configured threshold). */
  threshold: z.int().min(1).max(255).optional(),
  /** rsa: the PEM public key (RSA >= 3072 bits) to seal the new root key to; its private key unseals from now on. */
  publicKeyPem: z.string().min(1).max(16_384).optional(),
  /** pkcs11: label of the AES key, on the configured token, to wrap the new root key with. */
  keyLabel: z.string().min(1).max(64).optional(),
});

/** POST /v1/sys/rotate-root reply: the new one-time material, shown once (never stored, never audited). */
const rotateRootReply = z.object({
  sealKind: z.enum(['shamir', 'key-file', 'rsa', 'pkcs11']),
  oneTime: z
    .object({ shares: z.array(z.string()).readonly().optional(), threshold: z.int().optional() })
    .optional(),
  warning: z.string().optional(),
  /** rsa: fingerprint (`sha256:<hex>`) of the public key the new root key is sealed to. */
  fingerprint: z.string().optional(),
  /** pkcs11: the HSM key now wrapping the root key. */
  keyLabel: z.string().optional(),
});

/** The seal operations of the HTTP API. */
export const sysSealApi = {
  rotateRoot: defineRoute({
    method: 'POST',
    path: '/v1/sys/rotate-root',
    summary: 'New root key; returns new one-time unseal material',
    tags: ['keys'],
    body: rotateRootBody,
    reply: rotateRootReply,
  }),
};

/** What a caller may ask of a root rotation. */
export type RotateRootRequest = z.output<typeof rotateRootBody>;
/** What a root rotation returns. */
export type RotateRootReply = z.output<typeof rotateRootReply>;
