import { hushError } from '../core/errors/index.js';

/** A certificate a template or `hush run --cert` asks for: a role, its names (CN first), an optional lifetime. */
export interface CertRequest {
  readonly role: string;
  readonly names: readonly string[];
  readonly ttlSeconds?: number;
}

/** An issued certificate as the server returns it. */
export interface IssuedPem {
  readonly serial: string;
  readonly certificate: string;
  readonly chain: readonly string[];
  readonly privateKey?: string;
  readonly notAfter: string;
}

/** The parts of an issued certificate a template can place. */
export const CERT_PARTS = ['cert', 'key', 'chain', 'fullchain'] as const;
export type CertPart = (typeof CERT_PARTS)[number];

/** One part of an issued certificate as PEM text. */
export function certPart(issued: IssuedPem, part: CertPart): string {
  if (part === 'cert') return issued.certificate;
  if (part === 'chain') return issued.chain.join('');
  if (part === 'fullchain') return issued.certificate + issued.chain.join('');
  if (issued.privateKey === undefined) throw new TypeError('an issued certificate without its key');
  return issued.privateKey;
}

/** Renewal is due at this share of a certificate's lifetime, so a missed round still leaves a third of it. */
export const RENEW_AT = 2 / 3;

/** The identity of a request: the same role, names and TTL share one certificate (and one key). */
export const requestKey = (r: CertRequest) =>
  `${r.role}:${r.names.join(',')}${r.ttlSeconds ? `:${r.ttlSeconds}s` : ''}`;

/**
 * The certificates a watched command holds, issued on first use and again once 2/3 of their lifetime has passed.
 * `fingerprint()` names each with its serial, or `due` once renewal is due, so the watch loop's change detection
 * (built for secret versions) renews certificates too.
 *
 * @example
 * const certs = createCertRenewals((r) => client.pki.issue(r.role, { commonName: r.names[0] }));
 * const pem = certPart(await certs.get({ role: 'web', names: ['localhost'] }), 'fullchain');
 */
export function createCertRenewals(
  issue: (request: CertRequest) => Promise<IssuedPem>,
  now: () => number = Date.now,
) {
  const held = new Map<string, { issued: IssuedPem; renewAt: number }>();
  const due = (k: string) => {
    const h = held.get(k);
    return h === undefined || now() >= h.renewAt;
  };
  return {
    /** The held certificate for `request`, issued again when due. */
    async get(request: CertRequest): Promise<IssuedPem> {
      const k = requestKey(request);
      const h = held.get(k);
      if (h && !due(k)) return h.issued;
      const issuedAt = now();
      const issued = await issue(request);
      const lifetime = Date.parse(issued.notAfter) - issuedAt;
      held.set(k, { issued, renewAt: issuedAt + Math.max(0, lifetime) * RENEW_AT });
      return issued;
    },
    /** `certificate <key>` -> serial, or `due`: compared between polls like secret versions. */
    fingerprint(): Map<string, string> {
      return new Map([...held].map(([k, h]) => [`certificate ${k}`, due(k) ? 'due' : h.issued.serial]));
    },
    /** When the next renewal is due (ms since the epoch), or undefined when nothing is held. */
    nextRenewal(): number | undefined {
      const times = [...held.values()].map((h) => h.renewAt);
      return times.length ? Math.min(...times) : undefined;
    },
  };
}

export type CertRenewals = ReturnType<typeof createCertRenewals>;

/**
 * `--cert NAME=ROLE:NAME[,NAME...][:TTL]` of `hush run`: the variable prefix and the request (TTL as `90s`, `1h`).
 */
export function parseCertFlag(
  text: string,
  parseTtl: (ttl: string) => number,
): { env: string; request: CertRequest } {
  const m = /^([A-Z_][A-Z0-9_]{0,63})=([a-z0-9][a-z0-9_.-]{0,63}):([^:\s]+)(?::(\w+))?$/.exec(text);
  if (!m) throw hushError('CERT_FLAG_INVALID', { text: text.slice(0, 100) });
  const names = (m[3] as string).split(',').filter(Boolean);
  return {
    env: m[1] as string,
    request: { role: m[2] as string, names, ...(m[4] ? { ttlSeconds: parseTtl(m[4]) } : {}) },
  };
}
