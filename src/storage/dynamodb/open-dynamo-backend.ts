import type { StorageBackend } from '../backend.js';
import type { DynamoOpenOptions } from './dynamo-backend.js';
import { type DynamoConfigInput, parseDynamoConfig } from './dynamo-config.js';

/**
 * Open the DynamoDB storage backend. The config is validated first (HUSH_E_CONFIG); the AWS SDK is imported only
 * here, so installations that do not use DynamoDB never load it (nor see its start-up notices).
 * @example const backend = await openDynamoBackend({ kind: 'dynamodb', table: 'hush', region: 'eu-west-1' });
 */
export async function openDynamoBackend(
  config: DynamoConfigInput,
  options: DynamoOpenOptions = {},
): Promise<StorageBackend> {
  const parsed = parseDynamoConfig(config);
  const { openDynamoBackendNow } = await import('./dynamo-backend.js');
  return openDynamoBackendNow(parsed, options);
}
