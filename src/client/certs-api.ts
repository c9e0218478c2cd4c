import type { CertFinding } from '../core/certs/cert-checks.js';
import type { CertFacts } from '../core/certs/cert-facts.js';
import type { CertRecord, CertSource } from '../core/certs/cert-record.js';
import type { Transport } from './http-transport.js';

export type { CertFinding, CertRecord };

/** One certificate as listed: its facts (no PEM), days left, whether it is still served, where seen, findings. */
export type CertSummary = Omit<CertFacts, 'pem'> & {
  readonly daysLeft: number;
  readonly live: boolean;
  readonly trustAnchor?: true;
  readonly lastSeen: string;
  readonly locations: string[];
  readonly findings: CertFinding[];
};

/** One certificate in full: facts, PEM, sightings, findings. */
export type CertDetail = CertRecord & {
  readonly daysLeft: number;
  readonly live: boolean;
  readonly findings: CertFinding[];
};

/** Certificates to add, as PEM text with where they came from. */
export interface CertUploadItem {
  readonly source: Exclude<CertSource, 'endpoint' | 'secret'>;
  readonly location: string;
  readonly pem: string;
}

/** Per-item outcome of an add, a scan or a probe. */
export interface CertItemResult {
  readonly location: string;
  readonly fingerprints: string[];
  readonly error?: { readonly code: string; readonly message: string };
}

/** What an add, scan or probe did. */
export interface CertIngestReport {
  readonly items: CertItemResult[];
  readonly added: number;
  readonly updated: number;
  readonly failed: number;
}

/** A TLS endpoint to probe. */
export interface CertProbeTarget {
  readonly host: string;
  readonly port: number;
  readonly servername?: string;
  readonly starttls?: 'smtp' | 'imap' | 'pop3' | 'postgres';
}

/** A remembered endpoint and its last probe. */
export interface CertEndpoint {
  readonly name: string;
  readonly target: CertProbeTarget;
  readonly addedAt: string;
  readonly lastProbe?: string;
  readonly fingerprint?: string;
  readonly error?: { readonly code: string; readonly message: string };
}

/** `certs`: the certificate inventory, its checks and endpoint probes. */
export function certsApi(call: Transport) {
  return {
    /** Every certificate with days left and findings, soonest expiry first (needs read on sys/certs). */
    list: async () => call<{ certificates: CertSummary[] }>({ method: 'GET', path: '/v1/certs' }),
    /** One certificate by SHA-256 fingerprint (or a unique prefix of 8+ hex digits). */
    show: async (fingerprint: string) =>
      call<{ certificate: CertDetail }>({
        method: 'GET',
        path: `/v1/certs/items/${encodeURIComponent(fingerprint)}`,
      }),
    /** Remembered endpoints and their last probe. */
    endpoints: async () =>
      call<{ endpoints: CertEndpoint[] }>({ method: 'GET', path: '/v1/certs/endpoints' }),
    /** Add certificates (PEM); `trustAnchor` marks them as roots Hush trusts when judging chains (needs admin on sys/certs/endpoints). */
    add: async (items: readonly CertUploadItem[], opts: { trustAnchor?: boolean } = {}) =>
      call<CertIngestReport>({ method: 'POST', path: '/v1/certs/items', body: { items, ...opts } }),
    /** Record where private keys were found, by the SHA-256 of their public key (never the key). */
    reportKeys: async (keys: readonly { spkiSha256: string; location: string }[]) =>
      call<{ matched: string[] }>({ method: 'POST', path: '/v1/certs/keys', body: { keys } }),
    /** Add the certificates held in secrets below `prefix` that the token may read. */
    scanSecrets: async (opts: { prefix?: string } = {}) =>
      call<CertIngestReport>({ method: 'POST', path: '/v1/certs/scan-secrets', body: opts }),
    /** Probe endpoints now (needs admin on sys/certs/endpoints); `remember` adds them to the scheduled probes. */
    probe: async (targets: readonly CertProbeTarget[], opts: { remember?: boolean } = {}) =>
      call<CertIngestReport>({ method: 'POST', path: '/v1/certs/probe', body: { targets, ...opts } }),
  };
}
