import type {
  AlertList,
  AlertListOptions,
  CanaryView,
  CreatedCanary,
  FindingsInput,
  FindingsReport,
  IncidentReport,
  IncidentReportOptions,
  KnownMatchReply,
  KnownSession,
  LeakReport,
  RemediationResult,
  RevokeIdentityResult,
  RotateScopeResult,
  Runbook,
} from './api-types.js';
import type { ServerSealStatus, UnsealMaterial } from './client-types.js';
import type { Transport } from './http-transport.js';

/** `incident`: the leak playbook's steps (all need sudo on sys/incident). */
export function incidentApi(call: Transport) {
  return {
    /** Revoke every token (and child) and every lease of an identity, e.g. `approle:ci`. */
    revoke: async (identity: string) =>
      call<RevokeIdentityResult>({ method: 'POST', path: '/v1/sys/incident/revoke', body: { identity } }),
    /** Rotate every secret below `prefix`; `manual` lists what must be rotated by hand. */
    rotate: async (prefix: string) =>
      call<RotateScopeResult>({ method: 'POST', path: '/v1/sys/incident/rotate', body: { prefix } }),
    /** Who read, changed or probed a path (or glob), from the audit trail. */
    report: async (opts: IncidentReportOptions) =>
      call<IncidentReport>({
        method: 'GET',
        path: '/v1/sys/incident/report',
        query: { path: opts.path, since: opts.since, until: opts.until },
      }),
    /**
     * Remediate what a scan found leaked (needs admin on sys/remediate): rotate the stored secrets, revoke the
     * `hush_` tokens, alert. A dry run unless `apply: true`.
     */
    remediate: async (report: LeakReport) =>
      call<RemediationResult>({ method: 'POST', path: '/v1/sys/remediate', body: report }),
    /** Store what a scan found (fingerprints, file, line, rule, matched stored path; never values). */
    reportFindings: async (input: FindingsInput) =>
      call<FindingsReport>({ method: 'POST', path: '/v1/scan/findings', body: input }),
    /** The newest stored scan reports, newest first (needs read on sys/scan/findings). */
    findings: async (limit?: number) =>
      call<{ reports: FindingsReport[] }>({ method: 'GET', path: '/v1/scan/findings', query: { limit } }),
    /** Seal the store now, on every node. */
    lockdown: async () => call<{ sealed: boolean }>({ method: 'POST', path: '/v1/sys/incident/lockdown' }),
    /**
     * Lift an operator's seal or lockdown, the only way to: a key-file or pkcs11 server needs the client's token
     * (`admin` on `sys/seal`) and no material; a shamir or rsa server needs the unseal material instead.
     */
    unlock: async (material?: UnsealMaterial) =>
      call<ServerSealStatus>({
        method: 'POST',
        path: '/v1/sys/incident/unlock',
        ...(material !== undefined ? { body: material } : {}),
      }),
  };
}

/** `canaries`: decoy secrets and tokens whose every touch raises a critical alert (need admin on sys/canaries). */
export function canariesApi(call: Transport) {
  return {
    /** A decoy secret at `path`, or (without one) a decoy `hush_` token, returned once, to plant. */
    create: async (input: { readonly name: string; readonly path?: string }) =>
      call<CreatedCanary>({ method: 'POST', path: '/v1/sys/canaries', body: input }),
    /** Every canary (never a token). */
    list: async () => call<{ canaries: CanaryView[] }>({ method: 'GET', path: '/v1/sys/canaries' }),
    /** Delete a canary by name (a path canary's decoy secret is destroyed with it). */
    delete: async (name: string) =>
      call<CanaryView>({ method: 'DELETE', path: `/v1/sys/canaries/${encodeURIComponent(name)}` }),
  };
}

/** `alerts`: security alerts the server raised. */
export function alertsApi(call: Transport) {
  return {
    /** Recent alerts, newest first (needs sudo on sys/alerts). */
    list: async (opts: AlertListOptions = {}) =>
      call<AlertList>({
        method: 'GET',
        path: '/v1/sys/alerts',
        query: { limit: opts.limit, rule: opts.rule },
      }),
  };
}

/** The incident runbook of this deployment (needs sudo on sys/incident). */
export function runbookApi(call: Transport) {
  return async () => call<Runbook>({ method: 'GET', path: '/v1/sys/runbook' });
}

/** `knownSecrets`: which candidate values are stored, by salted digest (what `hush scan --known` sends). */
export function knownSecretsApi(call: Transport) {
  return {
    /** A fresh random salt for this check (valid for 60 s, for this token only). */
    session: async () =>
      call<KnownSession>({ method: 'POST', path: '/v1/sys/known-secrets/session', body: {} }),
    /** Which of `digests` (hex SHA-256 of salt || value) are stored, with the readable paths holding them. */
    match: async (session: string, digests: readonly string[]) =>
      call<KnownMatchReply>({
        method: 'POST',
        path: '/v1/sys/known-secrets/match',
        body: { session, digests },
      }),
  };
}
