import type { FastifyRequest } from 'fastify';
import { emptyReply, jsonSchemaOf } from '../../../api/contract.js';
import { vaultEnvelope } from '../../../api/vault.js';
import { hushError } from '../../../core/errors/index.js';
import { parseDuration } from '../../../identity/duration.js';
import { type RouteAuth, routeAuth } from '../../route-config.js';

/** Where the Vault-compatible API is served: `VAULT_ADDR=http(s)://<hush server>/vault`. */
export const VAULT_PREFIX = '/vault';

/** Options of every Vault route that needs a token: an unsealed store and `X-Vault-Token` (or a Bearer token). */
export const VAULT_AUTHED = {
  requireUnsealed: true,
  auth: routeAuth.token,
  tokenHeader: 'x-vault-token',
} as const;

/** A Vault route's options with its declared auth (`onAddress(...)`, `keyAuth(...)`...), token in `X-Vault-Token`. */
export function vaultAuthed<O extends { readonly auth: RouteAuth }>(options: O) {
  return { ...VAULT_AUTHED, ...options } as const;
}

/** A body schema that takes any JSON object: Vault ignores fields it does not know, and so do these routes. */
export const ANY_OBJECT = { type: 'object' } as const;

/** The full URL prefix of a Vault path (`/v1/secret/data/` -> `/vault/v1/secret/data/`), for the raw-URL readers. */
export const vaultUrl = (path: string): string => `${VAULT_PREFIX}${path}`;

/** The request's id, as Vault's `request_id`. */
export const requestIdOf = (request: FastifyRequest): string => request.id;

/**
 * A Vault duration (`"1h"`, `"90s"`, or a number of seconds) as Hush's duration text; undefined when absent. A
 * value of any other type is a coded 400 naming the field.
 */
export function vaultDuration(value: unknown, field: string): string | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value === 'number' && Number.isInteger(value) && value >= 0) return `${value}s`;
  if (typeof value === 'string') {
    const text = /^\d+$/.test(value) ? `${value}s` : value;
    parseDuration(text, field); // refuses a malformed duration with its own coded message
    return text;
  }
  throw hushError('DURATION_INVALID', { field, text: typeof value });
}

/**
 * Schema fields of every Vault route: left out of Hush's own OpenAPI document, which describes API v1 (its error
 * shape, its 401s); the Vault routes follow Vault's contract, listed in docs/compat.md and walked by test/vault-*.
 */
export const VAULT_DOC = { tags: ['vault'], hide: true } as const;

/** The reply schema of every Vault-compatible route with a body: Vault's envelope (204s have no body). */
export const VAULT_RESPONSE = {
  200: jsonSchemaOf(vaultEnvelope, 'output'),
  204: jsonSchemaOf(emptyReply, 'output'),
} as const;
