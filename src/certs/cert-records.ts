import { createHash } from 'node:crypto';
import type { CertRecord } from '../core/certs/cert-record.js';
import type { SealedView, SealedViewSpec } from '../store/sealed-view/index.js';
import type { ProbeTarget } from './tls-probe.js';

/**
 * Certificate records are sealed under their own keyring beside the project keyrings (`sys/keyring/@certs/v1`), as
 * rotation's are: a root rotation re-seals it with the others, and `@` cannot occur in a project name.
 */
export const CERTS_KEYRING = { project: '@certs', environment: 'v1' } as const;

const ITEMS = 'sys/certs/items/';
const KEYS = 'sys/certs/keys/';
const ENDPOINTS = 'sys/certs/endpoints/';

/** Where a private key whose public half matches certificates was found (only its SPKI digest is kept). */
export interface KeySightings {
  readonly spkiSha256: string;
  readonly locations: readonly { readonly location: string; readonly lastSeen: string }[];
}

/** A remembered endpoint and the outcome of its last probe. */
export interface EndpointRecord {
  readonly name: string;
  readonly target: ProbeTarget;
  readonly addedAt: string;
  /** Probed by the scheduled job (`remember`); every probed endpoint is recorded, so renewals are seen. */
  readonly scheduled?: true;
  readonly lastProbe?: string;
  /** Fingerprint of the leaf served at the last successful probe. */
  readonly fingerprint?: string;
  /** The last probe's failure (cleared by a success). */
  readonly error?: { readonly code: string; readonly message: string };
}

/** Storage keys of the inventory: fingerprints and digests are public; endpoint names are hashed out of paths. */
export const certKeys = {
  item: (fingerprint: string) => `${ITEMS}${fingerprint}`,
  key: (spki: string) => `${KEYS}${spki}`,
  endpoint: (name: string) => `${ENDPOINTS}${createHash('sha256').update(name).digest('hex')}`,
  ITEMS,
  KEYS,
  ENDPOINTS,
} as const;

/** The inventory's view: sealed under the `@certs` keyring, below `sys/certs/`. */
export const CERTS_VIEW: SealedViewSpec = {
  name: 'certs',
  prefixes: ['sys/certs/'],
  keyring: CERTS_KEYRING,
  info: { lookup: 'hush certs lookup v1', record: 'hush certs record v1' },
};

/** Every value below `prefix`, decrypted. */
export async function readAll<T>(records: Pick<SealedView, 'keys' | 'get'>, prefix: string): Promise<T[]> {
  const out: T[] = [];
  for (const key of await records.keys(prefix)) {
    const row = await records.get<T>(key);
    if (row) out.push(row.value);
  }
  return out;
}

/** A record type guard for callers that read items. */
export type { CertRecord };
