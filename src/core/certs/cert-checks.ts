import { expiryStage } from '../alerts/expiry-stage.js';
import type { CertFacts } from './cert-facts.js';
import type { ChainStatus } from './chain.js';
import { isWeakSignature } from './der.js';
import { lifetimeCapDays, lifetimeDays } from './lifetime-cap.js';

/** What a check found wrong with a certificate. */
export type CertCheckId =
  | 'expired'
  | 'not-yet-valid'
  | 'expiring'
  | 'hostname-mismatch'
  | 'chain-incomplete'
  | 'chain-untrusted'
  | 'weak-key'
  | 'sha1-signature'
  | 'lifetime-over-cap'
  | 'private-key-exposed';

/** One finding about a certificate; `where` names the sighting it concerns when it is about one. */
export interface CertFinding {
  readonly check: CertCheckId;
  readonly severity: 'info' | 'warning' | 'critical';
  readonly message: string;
  /** For `expiring`/`expired`: the expiry stage (`expiring-14d`, `expired`), as alerts count them. */
  readonly stage?: string;
  readonly where?: string;
}

/** Default lead times (days before notAfter) at which an expiring certificate is reported. */
export const DEFAULT_LEAD_DAYS: readonly number[] = [30, 14, 7, 1];

const DAY_MS = 86_400_000;

/** Certificates living at most this long are short-lived: they are renewed at ~2/3 of their life, not days ahead. */
export const SHORT_LIVED_MS = 3 * DAY_MS;

/**
 * The expiry stage: the configured lead times, except for a short-lived certificate (hours to days, as Hush's CA
 * issues), which every lead time would report as expiring from birth; it is reported once past 5/6 of its life,
 * when the renewal due at 2/3 has plainly not happened (stage `expiring-overdue`).
 */
function expiringStage(notBefore: number, notAfter: number, ctx: CheckContext) {
  const lifetime = notAfter - notBefore;
  if (lifetime > SHORT_LIVED_MS || ctx.now >= notAfter)
    return expiryStage(notAfter, ctx.now, ctx.leadDays ?? DEFAULT_LEAD_DAYS);
  return ctx.now >= notAfter - lifetime / 6
    ? { rank: 1, label: 'expiring-overdue', expired: false }
    : undefined;
}

/** What the checks need beyond the certificate itself. */
export interface CheckContext {
  readonly now: number;
  readonly leadDays?: readonly number[];
  /** Endpoint sightings: the name a client asked for (SNI), checked against the SANs, and the chain it got. */
  readonly endpoints?: readonly {
    readonly where: string;
    readonly host: string;
    readonly chain: ChainStatus;
  }[];
  /** Chain status of the certificate within the inventory (files, secrets) when no endpoint serves it. */
  readonly chain?: ChainStatus;
  /** Where private keys matching this certificate's public key were found (scanner, files). */
  readonly exposedKeys?: readonly string[];
}

/** Whether `host` is covered by a SAN entry (`*.example.com` covers one label), per RFC 6125. */
export function hostMatches(sans: readonly string[], host: string): boolean {
  const h = host.toLowerCase().replace(/\.$/, '');
  return sans.some((san) => {
    const s = san.toLowerCase();
    if (s === h) return true;
    if (!s.startsWith('*.')) return false;
    const dot = h.indexOf('.');
    return dot > 0 && h.slice(dot + 1) === s.slice(2);
  });
}

/**
 * Every finding for one certificate at `ctx.now`: validity, expiry stage, hostname and chain of endpoint
 * sightings, weak keys, SHA-1/MD5 signatures, lifetime above the CA/B Forum cap at its issue date (leaf
 * certificates only), and a private key seen outside (critical).
 *
 * @example
 * checkCertificate(facts, { now: Date.now() }).map((f) => f.check); // ['expiring']
 */
export function checkCertificate(facts: CertFacts, ctx: CheckContext): CertFinding[] {
  const out: CertFinding[] = [];
  const notBefore = Date.parse(facts.notBefore);
  const notAfter = Date.parse(facts.notAfter);
  const days = Math.ceil((notAfter - ctx.now) / DAY_MS);
  const stage = expiringStage(notBefore, notAfter, ctx);
  if (ctx.now < notBefore)
    out.push({
      check: 'not-yet-valid',
      severity: 'warning',
      message: `not valid until ${facts.notBefore}`,
    });
  if (stage?.expired)
    out.push({
      check: 'expired',
      severity: 'critical',
      stage: stage.label,
      message: `expired at ${facts.notAfter} (${-days} day${days === -1 ? '' : 's'} ago)`,
    });
  else if (stage)
    out.push({
      check: 'expiring',
      severity: days <= 7 ? 'critical' : 'warning',
      stage: stage.label,
      message: `expires at ${facts.notAfter} (in ${days} day${days === 1 ? '' : 's'}, stage ${stage.label})`,
    });
  for (const e of ctx.endpoints ?? []) {
    if (!hostMatches(facts.sans, e.host))
      out.push({
        check: 'hostname-mismatch',
        severity: 'critical',
        where: e.where,
        message: `served by ${e.where} but names ${facts.sans.length ? facts.sans.join(', ') : 'no SAN'}, not ${e.host}`,
      });
    out.push(...chainFinding(e.chain, e.where));
  }
  if (!ctx.endpoints?.length && ctx.chain) out.push(...chainFinding(ctx.chain, undefined));
  const weak = weakKey(facts);
  if (weak) out.push({ check: 'weak-key', severity: 'critical', message: weak });
  if (isWeakSignature(facts.signatureAlgorithmOid))
    out.push({
      check: 'sha1-signature',
      severity: 'warning',
      message: `signed with ${facts.signatureAlgorithm}; reissue with SHA-256 or better`,
    });
  const cap = facts.isCa ? undefined : lifetimeCapDays(notBefore);
  const life = lifetimeDays(notBefore, notAfter);
  if (cap !== undefined && life > cap)
    out.push({
      check: 'lifetime-over-cap',
      severity: 'info',
      message: `valid for ${Math.round(life)} days; publicly trusted certificates issued on ${facts.notBefore.slice(0, 10)} may last at most ${cap} (CA/B Forum)`,
    });
  for (const where of ctx.exposedKeys ?? [])
    out.push({
      check: 'private-key-exposed',
      severity: 'critical',
      where,
      message: `its private key was found at ${where}; revoke and reissue with a new key`,
    });
  return out;
}

function chainFinding(status: ChainStatus, where: string | undefined): CertFinding[] {
  const at = where ? { where } : {};
  const by = where ? ` presented by ${where}` : '';
  if (status === 'incomplete')
    return [
      {
        check: 'chain-incomplete',
        severity: 'warning',
        ...at,
        message: `chain${by} stops before a trusted root (an intermediate is missing)`,
      },
    ];
  if (status === 'untrusted' || status === 'self-signed')
    return [
      {
        check: 'chain-untrusted',
        severity: 'warning',
        ...at,
        message: `${status === 'self-signed' ? 'self-signed' : 'chain ends at an untrusted root'}${by}; trust its root with hush certs add --trust-anchor FILE if it is yours`,
      },
    ];
  return [];
}

/** A one-line reason the key is too weak, or undefined. */
function weakKey(facts: CertFacts): string | undefined {
  const bits = facts.keyBits;
  if (
    (facts.keyType === 'rsa' || facts.keyType === 'rsa-pss' || facts.keyType === 'dsa') &&
    bits !== undefined &&
    bits < 2048
  )
    return `${facts.keyType.toUpperCase()} key of ${bits} bits; use at least 2048`;
  if (facts.keyType === 'ec' && bits !== undefined && bits < 256)
    return `EC key on ${facts.curve ?? 'a curve'} (${bits} bits); use P-256 or stronger`;
  return undefined;
}
