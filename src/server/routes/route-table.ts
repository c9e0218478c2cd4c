import type { FastifyPluginAsync } from 'fastify';
import type { IdentityServices } from '../../identity/index.js';
import type { ServerAudit, ServerAuth } from '../../ports/index.js';
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
import { cryptAuditRoutes } from './crypt/crypt-audit.js';
import { type AlertsRouteDeps, alertsRoutes } from './incident/alerts.js';
import { type CanaryRouteDeps, canaryRoutes } from './incident/canaries.js';
import { type IncidentRouteDeps, incidentRoutes } from './incident/incident.js';
import { type RemediateRouteDeps, remediateRoutes } from './incident/remediate.js';
import { type LeaseRouteDeps, leaseRoutes } from './leases/leases.js';
import { type PkiRouteDeps, pkiRoutes } from './pki/pki-routes.js';
import { type RotationRouteDeps, rotationRoutes } from './rotation/rotation.js';
import { type KnownSecretsDeps, knownSecretsRoutes } from './secrets/known-secrets.js';
import { secretsRoutes } from './secrets/secrets.js';
import type { SecretsRouteDeps } from './secrets/secrets-deps.js';
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
  /** `/v1/secrets/...`, `/v1/keys/...`, `/v1/sys/rotate-root` (checked per path with `ServerDeps.auth`). */
  readonly secrets?: Omit<SecretsRouteDeps, 'auth'>;
  /** `/v1/auth/...` (tokens, AppRole, JWT), `/v1/sys/policies/...`, access review. */
  readonly identity?: IdentityServices;
  /** `/v1/sys/known-secrets/...` (needs `identity` for the caller's policies). */
  readonly knownSecrets?: Omit<KnownSecretsDeps, 'identity'>;
  /** `/v1/sys/engines/...`, `/v1/creds/...` and `/v1/leases/...`. */
  readonly creds?: Omit<CredsRouteDeps, 'auth' | 'audit' | 'leases'> & Pick<LeaseRouteDeps, 'leases'>;
  /** `/v1/rotation/...`. */
  readonly rotation?: Omit<RotationRouteDeps, 'auth'>;
  /** `/v1/sys/incident/...`. */
  readonly incident?: IncidentRouteDeps;
  /** `/v1/sys/alerts`. */
  readonly alerts?: AlertsRouteDeps;
  /** `POST /v1/sys/remediate`: rotate and revoke what a scan found leaked. */
  readonly remediation?: RemediateRouteDeps;
  /** `/v1/sys/canaries`: decoy secrets and tokens whose every touch alerts. */
  readonly canaries?: CanaryRouteDeps;
  /** `/v1/transit/...`. */
  readonly transit?: Omit<TransitRouteDeps, 'auth' | 'audit'>;
  /** `/v1/approvals/...` and `/v1/gates/:name/pass`: the two-person rule. */
  readonly approvals?: Omit<ApprovalRouteDeps, 'auth' | 'audit'>;
  /** `/v1/trust/...`: trust stores of signer certificates and CRLs. */
  readonly trust?: Omit<TrustRouteDeps, 'auth' | 'audit'>;
  /** `/v1/certs/...`: the certificate inventory. */
  readonly certs?: Omit<CertsRouteDeps, 'auth'>;
  /** `/v1/aws` (the AWS SDK/CLI endpoint: Secrets Manager and KMS over SigV4) and `/v1/aws/keys`. */
  readonly aws?: Omit<AwsRouteDeps, 'auth' | 'audit'>;
  /**
   * `/vault/v1/...`: the Vault-compatible API. It serves no services of its own: it translates into the secrets,
   * identity and transit groups above (whichever are present), with their checks and audit.
   */
  readonly vault?: Pick<VaultRouteDeps, 'bodyBytes'>;
  /** `/v1/pki/...`: Hush's certificate authority. */
  readonly pki?: Omit<PkiRouteDeps, 'auth' | 'audit'>;
}

/** What every route group shares: the server's auth port and audit port. */
export interface RouteAccess {
  readonly auth?: ServerAuth;
  readonly audit?: ServerAudit;
  /** The seal state and version (the Vault-compatible sys/health and sys/seal-status). */
  readonly store?: Pick<SealControl, 'status'>;
  readonly version?: string;
}

/**
 * The one route table: each domain's route plugins, in registration order, built from one services object. The
 * sys health and seal routes are the app's own (`buildApp`), as they serve while sealed.
 *
 * @example
 * for (const routes of routeTable({ identity: identity.services }, { auth, audit })) app.register(routes);
 */
export function routeTable(services: RouteServices, access: RouteAccess): FastifyPluginAsync[] {
  const audit = access.audit ? { audit: access.audit } : {};
  const auth = (group: string): ServerAuth => {
    if (!access.auth)
      throw new TypeError(`the ${group} routes need ServerDeps.auth for their per-path checks`);
    return access.auth;
  };
  const table: FastifyPluginAsync[] = [];
  if (services.auditHash) table.push(sysAuditRoutes(services.auditHash), cryptAuditRoutes());
  if (services.secrets) table.push(secretsRoutes({ ...services.secrets, auth: auth('secrets') }));
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
    const creds = { ...services.creds, auth: auth('creds'), ...audit };
    table.push(credsRoutes(creds), leaseRoutes(creds));
  }
  if (services.rotation) table.push(rotationRoutes({ ...services.rotation, auth: auth('rotation') }));
  if (services.incident) table.push(incidentRoutes(services.incident));
  if (services.alerts) table.push(alertsRoutes(services.alerts));
  if (services.remediation) table.push(remediateRoutes({ ...services.remediation, auth: auth('remediate') }));
  if (services.canaries) table.push(canaryRoutes(services.canaries));
  if (services.transit) table.push(transitRoutes({ ...services.transit, auth: auth('transit'), ...audit }));
  if (services.approvals) {
    table.push(approvalRoutes({ ...services.approvals, auth: auth('approvals'), ...audit }));
  }
  if (services.trust) table.push(trustRoutes({ ...services.trust, auth: auth('trust'), ...audit }));
  if (services.certs) table.push(certsRoutes({ ...services.certs, auth: auth('certs') }));
  if (services.aws) table.push(awsRoutes({ ...services.aws, auth: auth('aws'), ...audit }));
  if (services.vault) table.push(vaultRoutes(vaultDeps(services, access, auth)));
  if (services.pki) table.push(pkiRoutes({ ...services.pki, auth: auth('pki'), ...audit }));
  return table;
}

/** The Vault-compatible API's deps: the native groups it translates into, with the same auth and audit ports. */
function vaultDeps(
  services: RouteServices,
  access: RouteAccess,
  auth: (group: string) => ServerAuth,
): VaultRouteDeps {
  if (!access.store || access.version === undefined)
    throw new TypeError('the vault routes need ServerDeps.store and version (sys/health)');
  const audit = access.audit ? { audit: access.audit } : {};
  return {
    store: access.store,
    version: access.version,
    bodyBytes: services.vault?.bodyBytes ?? 0,
    ...(services.secrets ? { secrets: { ...services.secrets, auth: auth('vault') } } : {}),
    ...(services.identity ? { identity: services.identity } : {}),
    ...(services.transit ? { transit: { ...services.transit, auth: auth('vault'), ...audit } } : {}),
  };
}
