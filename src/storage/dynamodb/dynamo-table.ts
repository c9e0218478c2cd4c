import {
  CreateTableCommand,
  DescribeTableCommand,
  type DynamoDBClient,
  type TableDescription,
  waitUntilTableExists,
} from '@aws-sdk/client-dynamodb';
import { hushError } from '../../core/errors/index.js';
import type { DynamoConfig } from './dynamo-config.js';
import { toDynamoError } from './dynamo-errors.js';

/** The AWS CLI command that creates a table of the expected shape (for messages and docs). */
export function createTableCommand(table: string, region: string): string {
  return `aws dynamodb create-table --region ${region} --table-name ${table} --attribute-definitions AttributeName=pk,AttributeType=S AttributeName=sk,AttributeType=B --key-schema AttributeName=pk,KeyType=HASH AttributeName=sk,KeyType=RANGE --billing-mode PAY_PER_REQUEST`;
}

async function describe(client: DynamoDBClient, config: DynamoConfig): Promise<TableDescription | undefined> {
  try {
    return (await client.send(new DescribeTableCommand({ TableName: config.table }))).Table;
  } catch (err) {
    if ((err as { name?: unknown }).name === 'ResourceNotFoundException') return undefined;
    throw toDynamoError(err, config, `open DynamoDB ${config.target}`);
  }
}

/** Refuse a table whose key schema is not pk (S, HASH) + sk (B, RANGE): its items would not fit our layout. */
function checkShape(table: TableDescription, config: DynamoConfig): void {
  const keys = (table.KeySchema ?? []).map((k) => `${k.AttributeName}:${k.KeyType}`).join(',');
  const types = new Map((table.AttributeDefinitions ?? []).map((a) => [a.AttributeName, a.AttributeType]));
  if (keys !== 'pk:HASH,sk:RANGE' || types.get('pk') !== 'S' || types.get('sk') !== 'B') {
    throw hushError('DYNAMO_DB_KEY_SCHEMA_HUSH', {
      target: config.target,
      value: keys || '(none)',
      table: createTableCommand(config.table, config.region),
    });
  }
}

/**
 * Check that the table exists with the expected key schema; with `createTable` create it first (on-demand
 * billing) when it is missing, and wait until it is active.
 */
export async function ensureTable(client: DynamoDBClient, config: DynamoConfig): Promise<void> {
  let table = await describe(client, config);
  if (!table && !config.createTable) {
    throw hushError('DYNAMO_DB_NOT_EXIST', {
      target: config.target,
      table: createTableCommand(config.table, config.region),
    });
  }
  if (!table) {
    try {
      await client.send(
        new CreateTableCommand({
          TableName: config.table,
          AttributeDefinitions: [
            { AttributeName: 'pk', AttributeType: 'S' },
            { AttributeName: 'sk', AttributeType: 'B' },
          ],
          KeySchema: [
            { AttributeName: 'pk', KeyType: 'HASH' },
            { AttributeName: 'sk', KeyType: 'RANGE' },
          ],
          BillingMode: 'PAY_PER_REQUEST',
        }),
      );
    } catch (err) {
      // Another node creating the same table at the same time is fine: wait for it below.
      if ((err as { name?: unknown }).name !== 'ResourceInUseException')
        throw toDynamoError(err, config, `create DynamoDB ${config.target}`);
    }
    await waitUntilTableExists({ client, maxWaitTime: 120, minDelay: 1 }, { TableName: config.table });
    table = await describe(client, config);
  }
  if (table) checkShape(table, config);
}
