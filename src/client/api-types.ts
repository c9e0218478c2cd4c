/**
 * Request and reply types of the client's API groups (tokens, policies, access, leases, creds, rotation, incident,
 * alerts, runbook, known secrets): the shapes the server routes accept and return, over JSON.
 */

import type { z } from 'zod';
import type { BodyOf, ReplyOf } from '../api/contract.js';
import type { sysSealApi } from '../api/sys-seal.js';
import type { renewSelfBody, tokenApi } from '../api/tokens.js';
import type { Alert } from '../core/alerts/alert.js';
import type { BlastRadius } from '../core/incident/blast-radius.js';
import type { DeploymentFacts } from '../core/incident/runbook.js';
import type { PolicyDocument } from '../core/policy/policy-schema.js';
import type { AccessHolder } from '../identity/access-review.js';

export type { Alert, AlertSeverity } from '../core/alerts/alert.js';
export type { BlastRadius, Party } from '../core/incident/blast-radius.js';
export type { DeploymentFacts } from '../core/incident/runbook.js';
export type { PolicyDocument, PolicyRule } from '../core/policy/policy-schema.js';
export type { EngineView } from '../engines/engine-records.js';
export type { ConfigureEngineInput, RoleView, SetRoleInput } from '../engines/engine-service.js';
export type { AccessHolder, TokenExplanation } from '../identity/access-review.js';
export type { CanaryView, CreatedCanary } from '../incident/canaries.js';
export type {
  ManualRotation,
  RevokeIdentityResult,
  RotateScopeResult,
} from '../incident/incident-service.js';
export type { LeakReport, RemediationAction, RemediationResult } from '../incident/remediate-leaks.js';
export type { FindingsInput, FindingsReport, ReportedFinding } from '../incident/scan-findings.js';
export type { DeletedEngine } from '../leases/delete-engine.js';
export type { IssuedLease } from '../leases/issue-lease.js';
export type { LeaseView } from '../leases/lease-records.js';
export type { RevokeSummary } from '../leases/lease-service.js';
export type {
  BatchReport,
  RotationPolicy,
  RotationPolicyInput,
  RotationResult,
  RotationState,
  RotationStatusEntry,
} from '../rotation/index.js';
export type { KnownMatchReply, KnownSession } from '../scan/known/remote-matcher.js';

/** The body of `policies.write`: a policy document whose name, when given, must match the URL's. */
export type PolicyWrite = Omit<PolicyDocument, 'name'> & { readonly name?: string };

/** Options of `tokens.create`: a child of the calling token (policies a subset of its own); see api/tokens.ts. */
export type CreateTokenOptions = BodyOf<typeof tokenApi.create>;

/** A token as shown to callers (never its text): the reply of lookups and renewals. */
export type TokenView = ReplyOf<typeof tokenApi.lookupSelf>;

/** Reply of `tokens.create`: the token text (shown only now) and its description. */
export type CreatedToken = ReplyOf<typeof tokenApi.create>;

/** Options of `rotateRoot`: the new material's shape for the server's seal kind (none: the configured one). */
export type RotateRootOptions = BodyOf<typeof sysSealApi.rotateRoot>;

/** Reply of `rotateRoot`: the new one-time material (shamir shares), the RSA fingerprint or the HSM key label. */
export type RotatedRoot = ReplyOf<typeof sysSealApi.rotateRoot>;

/** Options of a token or lease renewal: `increment`, how long from now (default: the TTL it was created with). */
export type RenewOptions = z.input<typeof renewSelfBody>;

/** Reply of a token revocation: the token tree's accessors and the leases those tokens obtained. */
export type RevokedTokens = ReplyOf<typeof tokenApi.revokeSelf>;

/** Whom `policies.explain` explains: the calling token (default), or another by accessor or token text. */
export interface ExplainRequest {
  readonly path: string;
  readonly capability: string;
  /** Prefer `accessor`: a token text is a secret. Give at most one of the two. */
  readonly token?: string;
  readonly accessor?: string;
}

/** Reply of `access.whoCan`. */
export interface WhoCanResult {
  readonly path: string;
  readonly capability: string;
  readonly holders: AccessHolder[];
}

/** Options of `incident.report` (`since`/`until`: ISO-8601 or a duration ago, e.g. `30m`, `7d`). */
export interface IncidentReportOptions {
  readonly path: string;
  readonly since?: string;
  readonly until?: string;
}

/** Options of `alerts.list`. */
export interface AlertListOptions {
  /** At most this many (1 to 999999). */
  readonly limit?: number;
  /** Only this rule, e.g. `denial-burst`. */
  readonly rule?: string;
}

/** Reply of `alerts.list`, newest first. */
export interface AlertList {
  readonly alerts: Alert[];
}

/** Reply of `runbook()`: the deployment's facts and the runbook rendered from them (Markdown). */
export interface Runbook {
  readonly facts: DeploymentFacts;
  readonly markdown: string;
}

/** Reply of `incident.report`. */
export type IncidentReport = BlastRadius;
