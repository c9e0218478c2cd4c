import { type AwsOperationTable, type OperationSpecs, operationTable } from '../aws-call.js';
import { listSecrets } from './list-secrets.js';
import { deleteSecret, restoreSecret } from './secret-deletion.js';
import { describeSecret, getSecretValue } from './secret-reads.js';
import { createSecret, putSecretValue, tagResource, untagResource, updateSecret } from './secret-writes.js';
import type { SecretsManagerDeps } from './secrets-manager-deps.js';

/** Each supported operation, with the native audit operation it is recorded as (so alert rules see it). */
const OPERATIONS: OperationSpecs<SecretsManagerDeps> = {
  CreateSecret: ['secrets.write', createSecret],
  PutSecretValue: ['secrets.write', putSecretValue],
  UpdateSecret: ['secrets.write', updateSecret],
  GetSecretValue: ['secrets.read', getSecretValue],
  DescribeSecret: ['secrets.metadata.read', describeSecret],
  ListSecrets: ['secrets.list', listSecrets],
  DeleteSecret: ['secrets.delete', deleteSecret],
  RestoreSecret: ['secrets.undelete', restoreSecret],
  TagResource: ['secrets.metadata.update', tagResource],
  UntagResource: ['secrets.metadata.update', untagResource],
};

/** The Secrets Manager operations (`X-Amz-Target: secretsmanager.<Operation>`) over the store. */
export function secretsManagerOperations(deps: SecretsManagerDeps): AwsOperationTable {
  return operationTable(deps, OPERATIONS);
}
