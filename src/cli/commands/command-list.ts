import type { Command } from 'commander';
import { registerAccess } from './access.js';
import { registerAlerts } from './alerts.js';
import { registerApprole } from './approle.js';
import { registerApprove } from './approve.js';
import { registerAudit } from './audit.js';
import { registerAws } from './aws.js';
import { registerCanary } from './canary.js';
import { registerCerts } from './certs.js';
import { registerCompletion } from './completion.js';
import { registerCreds } from './creds.js';
import { registerCrypt } from './crypt.js';
import { registerDelete } from './delete.js';
import { registerDestroy } from './destroy.js';
import { registerExport } from './export.js';
import { registerGenerate } from './generate.js';
import { registerGet } from './get.js';
import { registerHooks } from './hooks.js';
import { registerImport } from './import.js';
import { registerIncident } from './incident.js';
import { registerInit } from './init.js';
import { registerJwt } from './jwt.js';
import { registerKeys } from './keys.js';
import { registerLease } from './lease.js';
import { registerList } from './list.js';
import { registerMv } from './mv.js';
import { registerOperator } from './operator.js';
import { registerPki } from './pki.js';
import { registerPolicy } from './policy.js';
import { registerPut } from './put.js';
import { registerRedact } from './redact.js';
import { registerRender } from './render.js';
import { registerRollback } from './rollback.js';
import { registerRotate } from './rotate.js';
import { registerRun } from './run.js';
import { registerRunbook } from './runbook.js';
import { registerScan } from './scan.js';
import { registerSeal } from './seal.js';
import { registerServer } from './server.js';
import { registerSignArtefact } from './sign-artefact.js';
import { registerStatus } from './status.js';
import { registerToken } from './token.js';
import { registerTransit } from './transit.js';
import { registerTrust } from './trust.js';
import { registerUndelete } from './undelete.js';
import { registerUnseal } from './unseal.js';
import { registerVersions } from './versions.js';

/** A CLI command module: adds its command(s) to the program. Each file in this folder exports one. */
export type RegisterCommand = (program: Command) => void;

/** Every command module, in help order. Add a new command by adding its register function here (one per line). */
export const COMMANDS: readonly RegisterCommand[] = [
  registerInit,
  registerStatus,
  registerUnseal,
  registerSeal,
  registerPut,
  registerGet,
  registerList,
  registerVersions,
  registerDelete,
  registerUndelete,
  registerDestroy,
  registerRollback,
  registerMv,
  registerImport,
  registerExport,
  registerRun,
  registerRender,
  registerGenerate,
  registerRotate,
  registerKeys,
  registerOperator,
  registerScan,
  registerRedact,
  registerHooks,
  registerServer,
  registerToken,
  registerPolicy,
  registerApprole,
  registerJwt,
  registerAccess,
  registerApprove,
  registerAudit,
  registerCreds,
  registerLease,
  registerAlerts,
  registerCerts,
  registerPki,
  registerIncident,
  registerCanary,
  registerTransit,
  registerAws,
  registerTrust,
  registerCrypt,
  registerSignArtefact,
  registerRunbook,
  registerCompletion,
];
