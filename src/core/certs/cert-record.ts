import type { CertFacts } from './cert-facts.js';
import { type ChainStatus, MAX_CHAIN_LENGTH } from './chain.js';

/** Where a certificate came from. */
export type CertSource = 'file' | 'secret' | 'k8s' | 'endpoint' | 'scan' | 'upload' | 'pki';

/** One place a certificate was seen. */
export interface CertSighting {
  readonly source: CertSource;
  /** A file path, `secret:<address>`, `k8s:<ns>/<name>@<file>`, `host:port`... (never a value). */
  readonly location: string;
  readonly firstSeen: string;
  readonly lastSeen: string;
  /** Fingerprints of the certificates presented after it (its chain as seen there, leaf excluded). */
  readonly chain?: readonly string[];
  /** Endpoint sightings: the name the probe asked for and the chain verdict of what it was served. */
  readonly host?: string;
  readonly chainStatus?: ChainStatus;
}

/** An inventory record: the certificate's facts plus every place it was seen (deduplicated by fingerprint). */
export interface CertRecord extends CertFacts {
  readonly sightings: readonly CertSighting[];
  readonly lastSeen: string;
  /** Set by an admin: this certificate is a root Hush trusts when judging chains (a private CA). */
  readonly trustAnchor?: true;
}

/** Most sightings kept per certificate (oldest dropped): a shared CA can be seen in thousands of places. */
export const MAX_SIGHTINGS = 200;

/**
 * The record after one more sighting: the same location is updated in place (firstSeen kept), a new one added.
 *
 * @example
 * const rec = addSighting(undefined, facts, { source: 'file', location: 'tls/web.pem', lastSeen: now });
 */
export function addSighting(
  prev: CertRecord | undefined,
  facts: CertFacts,
  seen: Omit<CertSighting, 'firstSeen'>,
  opts: { readonly trustAnchor?: boolean } = {},
): CertRecord {
  const old = prev?.sightings ?? [];
  const same = old.find((s) => s.source === seen.source && s.location === seen.location);
  const chain =
    seen.chain && seen.chain.length > MAX_CHAIN_LENGTH
      ? { chain: seen.chain.slice(0, MAX_CHAIN_LENGTH) }
      : {};
  const next: CertSighting = { ...seen, ...chain, firstSeen: same?.firstSeen ?? seen.lastSeen };
  const rest = old.filter((s) => s !== same);
  const sightings = [...rest, next].slice(-MAX_SIGHTINGS);
  const lastSeen = prev && prev.lastSeen > seen.lastSeen ? prev.lastSeen : seen.lastSeen;
  const anchor = opts.trustAnchor || prev?.trustAnchor ? { trustAnchor: true as const } : {};
  return { ...facts, sightings, lastSeen, ...anchor };
}

/** Whole days from `now` to the certificate's notAfter (negative once expired). */
export function daysLeft(facts: Pick<CertFacts, 'notAfter'>, now: number): number {
  return Math.floor((Date.parse(facts.notAfter) - now) / 86_400_000);
}
