export type { DynamoOpenOptions } from './dynamo-backend.js';
export {
  type DynamoConfig,
  type DynamoConfigInput,
  dynamoStorageConfigSchema,
  parseDynamoConfig,
} from './dynamo-config.js';
export * from './open-dynamo-backend.js';
