import type { KeyObject } from 'node:crypto';
import { hushError } from '../errors/index.js';
import { ipVersion } from './ip-address.js';

/** Key types Hush's CA issues and accepts in requests. */
export const PKI_KEY_TYPES = ['ec-p256', 'ec-p384', 'rsa-2048', 'rsa-3072', 'rsa-4096', 'ed25519'] as const;
export type PkiKeyType = (typeof PKI_KEY_TYPES)[number];

/** A role: the bounds every certificate issued or signed under it must keep. */
export interface PkiRole {
  readonly name: string;
  /** Domains names may be under; an entry may hold `*` (one label or part of one) when `allowGlobs`. */
  readonly allowedDomains: readonly string[];
  /** The allowed domain itself (`example.com` for `example.com`). */
  readonly allowBareDomains: boolean;
  /** Names below an allowed domain, at any depth (`a.b.example.com`). */
  readonly allowSubdomains: boolean;
  /** Allowed domains are globs: `*` matches within one label (`web-*.example.com`, `*.svc.internal`). */
  readonly allowGlobs: boolean;
  /** Wildcard certificates (`*.example.com`) for names the role otherwise allows as subdomains. */
  readonly allowWildcards: boolean;
  readonly allowIpSans: boolean;
  readonly keyTypes: readonly PkiKeyType[];
  /** Longest lifetime, seconds; the default TTL when none is asked for. */
  readonly maxTtlSeconds: number;
  readonly ttlSeconds: number;
  readonly usages: readonly ('server' | 'client')[];
}

/** Most names (CN plus SANs) one certificate may carry, so a request cannot build a huge certificate. */
export const MAX_CERT_NAMES = 100;
const DNS_NAME = /^(\*\.)?([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)*[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;

const labelGlob = (pattern: string) =>
  new RegExp(
    `^${pattern
      .split('*')
      .map((p) => p.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
      .join('[a-z0-9-]+')}$`,
  );

/** The proper parent domains of a name: `a.b.c` gives `b.c`, `c`. */
function parents(name: string): string[] {
  const out: string[] = [];
  for (let at = name.indexOf('.'); at !== -1; at = name.indexOf('.', at + 1)) out.push(name.slice(at + 1));
  return out;
}

/**
 * True when `name` (lower case, syntax checked) falls under one of the role's domains: the domain itself (bare, or
 * any name a glob entry matches), a name below it (subdomains), or `*.<allowed or below>` (wildcards, which also
 * need subdomains: a wildcard stands for every name one level down).
 */
function nameAllowed(role: PkiRole, name: string): boolean {
  return role.allowedDomains.some((domain) => {
    const d = domain.toLowerCase();
    const glob = role.allowGlobs && d.includes('*');
    const matches = (x: string) => (glob ? labelGlob(d).test(x) : x === d);
    if (name.startsWith('*.')) {
      const rest = name.slice(2);
      return role.allowWildcards && role.allowSubdomains && (matches(rest) || parents(rest).some(matches));
    }
    if (matches(name) && (role.allowBareDomains || glob)) return true;
    return role.allowSubdomains && parents(name).some(matches);
  });
}

/** The names asked for, checked and split into DNS names and IP addresses (the CN comes first). */
export function checkNames(
  role: PkiRole,
  commonName: string | undefined,
  sans: readonly string[],
): { readonly dns: string[]; readonly ip: string[] } {
  const all = [...new Set([...(commonName ? [commonName] : []), ...sans].map((n) => n.trim().toLowerCase()))];
  if (all.length === 0) throw hushError('PKI_NO_NAMES');
  if (all.length > MAX_CERT_NAMES)
    throw hushError('PKI_TOO_MANY_NAMES', { max: MAX_CERT_NAMES, count: all.length });
  const dns: string[] = [];
  const ip: string[] = [];
  for (const name of all) {
    if (ipVersion(name) !== 0) {
      if (!role.allowIpSans) throw hushError('PKI_IP_NOT_ALLOWED', { role: role.name, ip: name });
      ip.push(name);
      continue;
    }
    if (name.length > 253 || !DNS_NAME.test(name))
      throw hushError('PKI_NAME_INVALID', { name: name.slice(0, 80) });
    if (!nameAllowed(role, name))
      throw hushError('PKI_NAME_NOT_ALLOWED', { role: role.name, name, allowed: describeDomains(role) });
    dns.push(name);
  }
  return { dns, ip };
}

function describeDomains(role: PkiRole): string {
  const kinds = [
    role.allowBareDomains && 'bare',
    role.allowSubdomains && 'subdomains',
    role.allowWildcards && 'wildcards',
  ]
    .filter(Boolean)
    .join(', ');
  return `${role.allowedDomains.join(', ') || '(none)'}${kinds ? ` (${kinds})` : ''}`;
}

/** Shortest lifetime issued: renewal at 2/3 of it must still leave a client time to fetch the next one. */
export const MIN_TTL_SECONDS = 10;

/** The TTL to issue with: the role's default when none is asked, refused above the role's maximum. */
export function checkTtl(role: PkiRole, ttlSeconds: number | undefined): number {
  const ttl = ttlSeconds ?? role.ttlSeconds;
  if (!Number.isSafeInteger(ttl) || ttl < MIN_TTL_SECONDS)
    throw hushError('PKI_TTL_INVALID', { ttl: String(ttlSeconds) });
  if (ttl > role.maxTtlSeconds)
    throw hushError('PKI_TTL_TOO_LONG', { role: role.name, max: role.maxTtlSeconds, ttl });
  return ttl;
}

/** The key type of a public (or private) key, in the role's words; undefined for a kind Hush does not issue. */
export function keyTypeOf(key: KeyObject): PkiKeyType | undefined {
  const t = key.asymmetricKeyType;
  const d = key.asymmetricKeyDetails;
  if (t === 'ed25519') return 'ed25519';
  if (t === 'ec' && d?.namedCurve === 'prime256v1') return 'ec-p256';
  if (t === 'ec' && d?.namedCurve === 'secp384r1') return 'ec-p384';
  if (t === 'rsa' && [2048, 3072, 4096].includes(d?.modulusLength ?? 0))
    return `rsa-${d?.modulusLength}` as PkiKeyType;
  return undefined;
}

/** Refuse a key type the role does not list. */
export function checkKeyType(role: PkiRole, keyType: string): PkiKeyType {
  if (!(role.keyTypes as readonly string[]).includes(keyType))
    throw hushError('PKI_KEY_TYPE_NOT_ALLOWED', {
      role: role.name,
      keyType,
      allowed: role.keyTypes.join(', '),
    });
  return keyType as PkiKeyType;
}

/** Node's generateKeyPair arguments for a key type. */
export function keyGenArgs(
  type: PkiKeyType,
): ['ec', { namedCurve: string }] | ['rsa', { modulusLength: number }] | ['ed25519', Record<string, never>] {
  if (type === 'ed25519') return ['ed25519', {}];
  if (type === 'ec-p256') return ['ec', { namedCurve: 'prime256v1' }];
  if (type === 'ec-p384') return ['ec', { namedCurve: 'secp384r1' }];
  return ['rsa', { modulusLength: Number(type.slice(4)) }];
}

const TTL_UNITS: Readonly<Record<string, number>> = { s: 1, m: 60, h: 3_600, d: 86_400 };

/**
 * Seconds from `90s`, `30m`, `1h`, `7d` or a bare number of seconds.
 *
 * @example
 * parseTtlSeconds('1h'); // 3600
 */
export function parseTtlSeconds(text: string): number {
  const m = /^(\d{1,9})(s|m|h|d)?$/.exec(text.trim());
  if (!m) throw hushError('PKI_TTL_INVALID', { ttl: text.slice(0, 32) });
  return Number(m[1]) * (TTL_UNITS[m[2] ?? 's'] ?? 1);
}
