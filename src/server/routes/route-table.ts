import type { FastifyPluginAsync } from 'fastify';
import type { IdentityServices } from '../../identity/index.js';
import type { SealControl } from '../server-deps.js';
import { type ApprovalRouteDeps, approvalRoutes } from './approvals/approval-routes.js';
import { accessRoutes } from './auth/access.js';
import { appRoleRoutes } from './auth/auth-approle.js';
import { jwtRoutes } from './auth/auth-jwt.js';
import { policyRoutes } from './auth/policies.js';
import { tokenRoutes } from './auth/tokens.js';
import { type AwsRouteDeps, awsRoutes } from './aws/aws-routes.js';
import { type CertsRouteDeps, certsRoutes } from './certs/certs-routes.js';
import { type CredsRouteDeps, credsRoutes } from './creds/creds.js';
import { enginesListRoutes } from './creds/engines-list.js';
import { cryptAuditRoutes } from './crypt/crypt-audit.js';
import { type CryptRecipientsRouteDeps, cryptRecipientsRoutes } from './crypt/crypt-recipients.js';
import { type AlertsRouteDeps, alertsRoutes } from './incident/alerts.js';
import { type CanaryRouteDeps, canaryRoutes } from './incident/canaries.js';
import { type IncidentRouteDeps, incidentRoutes } from './incident/incident.js';
import { type RemediateRouteDeps, remediateRoutes } from './incident/remediate.js';
import { type ScanFindingsRouteDeps, scanFindingsRoutes } from './incident/scan-findings.js';
import { type LeaseRouteDeps, leaseRoutes } from './leases/leases.js';
import { type PkiRouteDeps, pkiRoutes } from './pki/pki-routes.js';
import { type RotationRouteDeps, rotationRoutes } from './rotation/rotation.js';
import { type KnownSecretsDeps, knownSecretsRoutes } from './secrets/known-secrets.js';
import { secretsRoutes } from './secrets/secrets.js';
import type { SecretsRouteDeps } from './secrets/secrets-deps.js';
import { type AuditTrailRouteDeps, auditTrailRoutes } from './sys/audit-trail.js';
import { type PolicySimulateDeps, policySimulateRoutes } from './sys/policy-simulate.js';
import { type SysAuditDeps, sysAuditRoutes } from './sys/sys-audit.js';
import { type TransitRouteDeps, transitRoutes } from './transit/transit-routes.js';
import { type TrustRouteDeps, trustRoutes } from './trust/trust-routes.js';
import { type VaultRouteDeps, vaultRoutes } from './vault/vault-routes.js';

/**
 * Every service the HTTP API serves, one group per domain; a group that is absent is not served. The services know
 * nothing of HTTP: the route files below translate requests into calls on them. A new domain (transit, certs...)
 * adds its group here and its routes in {@link routeTable}, nowhere else.
 */
export interface RouteServices {
  /** `POST /v1/sys/audit/hash` and `POST /v1/crypt/audit` (the audit trail's routes). */
  readonly auditHash?: SysAuditDeps;
  /** `GET /v1/sys/audit/records[/:requestId]` and `GET /v1/sys/audit/verify`: the trail read back. */
  readonly auditTrail?: AuditTrailRouteDeps;
  /** `POST /v1/sys/policies/simulate`: replay the trail against a draft policy. */
  readonly policySimulator?: PolicySimulateDeps;
  /** `/v1/secrets/...`, `/v1/keys/...`, `/v1/sys/rotate-root` (checked per path with `ServerDeps.auth`). */
  readonly secrets?: SecretsRouteDeps;
  /** `/v1/auth/...` (tokens, AppRole, JWT), `/v1/sys/policies/...`, access review. */
  readonly identity?: IdentityServices;
  /** `/v1/sys/known-secrets/...` (needs `identity` for the caller's policies). */
  readonly knownSecrets?: Omit<KnownSecretsDeps, 'identity'>;
  /** `/v1/sys/engines/...`, `/v1/creds/...` and `/v1/leases/...`. */
  readonly creds?: Omit<CredsRouteDeps, 'leases'> & Pick<LeaseRouteDeps, 'leases'>;
  /** `/v1/rotation/...`. */
  readonly rotation?: RotationRouteDeps;
  /** `/v1/sys/incident/...`. */
  readonly incident?: IncidentRouteDeps;
  /** `/v1/sys/alerts`. */
  readonly alerts?: AlertsRouteDeps;
  /** `POST /v1/sys/remediate`: rotate and revoke what a scan found leaked. */
  readonly remediation?: RemediateRouteDeps;
  /** `/v1/sys/canaries`: decoy secrets and tokens whose every touch alerts. */
  readonly canaries?: CanaryRouteDeps;
  /** `/v1/transit/...`. */
  readonly transit?: TransitRouteDeps;
  /** `/v1/approvals/...` and `/v1/gates/:name/pass`: the two-person rule. */
  readonly approvals?: ApprovalRouteDeps;
  /** `/v1/trust/...`: trust stores of signer certificates and CRLs. */
  readonly trust?: TrustRouteDeps;
  /** `/v1/certs/...`: the certificate inventory. */
  readonly certs?: CertsRouteDeps;
  /** `/v1/aws` (the AWS SDK/CLI endpoint: Secrets Manager and KMS over SigV4) and `/v1/aws/keys`. */
  readonly aws?: AwsRouteDeps;
  /**
   * `/vault/v1/...`: the Vault-compatible API. It serves no services of its own: it translates into the secrets,
   * identity and transit groups above (whichever are present), with their checks and audit.
   */
  readonly vault?: Pick<VaultRouteDeps, 'bodyBytes'>;
  /** `/v1/pki/...`: Hush's certificate authority. */
  readonly pki?: PkiRouteDeps;
  /** `/v1/scan/findings`: scan reports (fingerprints and places, never values). */
  readonly scanFindings?: ScanFindingsRouteDeps;
  /** `GET /v1/crypt/recipients`: encrypted-file recipients as the audit trail's crypt records tell. */
  readonly cryptRecipients?: CryptRecipientsRouteDeps;
}

/** What the Vault-compatible sys routes need of the server itself (no auth: the guard authorises every route). */
export interface RouteServer {
  /** The seal state and version (the Vault-compatible sys/health and sys/seal-status). */
  readonly store?: Pick<SealControl, 'status'>;
  readonly version?: string;
}

/**
 * The one route table: each domain's route plugins, in registration order, built from one services object. The
 * sys health and seal routes are the app's own (`buildApp`), as they serve while sealed. Each route declares its
 * authorisation in its config (route-config.ts); the one guard (plugins/auth-guard.ts) applies it.
 *
 * @example
 * for (const routes of routeTable({ identity: identity.services })) app.register(routes);
 */
export function routeTable(services: RouteServices, server: RouteServer = {}): FastifyPluginAsync[] {
  const table: FastifyPluginAsync[] = [];
  if (services.auditHash) table.push(sysAuditRoutes(services.auditHash), cryptAuditRoutes());
  if (services.auditTrail) table.push(auditTrailRoutes(services.auditTrail));
  if (services.policySimulator) table.push(policySimulateRoutes(services.policySimulator));
  if (services.secrets) table.push(secretsRoutes(services.secrets));
  const identity = services.identity;
  if (identity) {
    table.push(
      tokenRoutes(identity),
      appRoleRoutes(identity),
      jwtRoutes(identity),
      policyRoutes(identity),
      accessRoutes(identity),
    );
  }
  if (services.knownSecrets) {
    if (!identity)
      throw new TypeError('the known-secrets routes need services.identity (the caller policies)');
    table.push(knownSecretsRoutes({ ...services.knownSecrets, identity: { services: identity } }));
  }
  if (services.creds) {
    table.push(credsRoutes(services.creds), enginesListRoutes(services.creds), leaseRoutes(services.creds));
  }
  if (services.rotation) table.push(rotationRoutes(services.rotation));
  if (services.incident) table.push(incidentRoutes(services.incident));
  if (services.alerts) table.push(alertsRoutes(services.alerts));
  if (services.remediation) table.push(remediateRoutes(services.remediation));
  if (services.canaries) table.push(canaryRoutes(services.canaries));
  if (services.transit) table.push(transitRoutes(services.transit));
  if (services.approvals) table.push(approvalRoutes(services.approvals));
  if (services.trust) table.push(trustRoutes(services.trust));
  if (services.certs) table.push(certsRoutes(services.certs));
  if (services.aws) table.push(awsRoutes(services.aws));
  if (services.vault) table.push(vaultRoutes(vaultDeps(services, server)));
  if (services.pki) table.push(pkiRoutes(services.pki));
  if (services.scanFindings) table.push(scanFindingsRoutes(services.scanFindings));
  if (services.cryptRecipients) table.push(cryptRecipientsRoutes(services.cryptRecipients));
  return table;
}

/** The Vault-compatible API's deps: the native groups it translates into, with the same auth and audit ports. */
function vaultDeps(services: RouteServices, server: RouteServer): VaultRouteDeps {
  if (!server.store || server.version === undefined)
    throw new TypeError('the vault routes need ServerDeps.store and version (sys/health)');
  return {
    store: server.store,
    version: server.version,
    bodyBytes: services.vault?.bodyBytes ?? 0,
    ...(services.secrets ? { secrets: services.secrets } : {}),
    ...(services.identity ? { identity: services.identity } : {}),
    ...(services.transit ? { transit: services.transit } : {}),
  };
}
