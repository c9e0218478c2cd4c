/** The DynamoDB adapter's face (the same names in every adapter folder: open, config schema, parse, types). */
export type { DynamoOpenOptions } from './dynamo-backend.js';
export {
  type DynamoConfig,
  type DynamoConfigInput,
  dynamoStorageConfigSchema as dynamoConfigSchema,
  dynamoStorageConfigSchema,
  parseDynamoConfig,
} from './dynamo-config.js';
export * from './open-dynamo-backend.js';
