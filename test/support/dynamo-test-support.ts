import { DynamoDBClient, ScanCommand, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import type { Item } from '../../src/storage/dynamodb/dynamo-items.js';
import { DYNALITE_CREDENTIALS, type TestDynamo } from './dynalite.js';

/** Test support: a raw SDK client on a dynalite server, to look at (and, for crash cases, shape) stored items. */
export function rawClient(server: TestDynamo): DynamoDBClient {
  // The SDK's Node-version notice is noise in test output (the backend itself switches it off the same way).
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  return new DynamoDBClient({
    region: 'us-east-1',
    endpoint: server.endpoint,
    credentials: DYNALITE_CREDENTIALS,
  });
}

/** Every item of a table. */
export async function scanAll(client: DynamoDBClient, table: string): Promise<Item[]> {
  const items: Item[] = [];
  let start: Item | undefined;
  do {
    const out = await client.send(
      new ScanCommand({ TableName: table, ...(start ? { ExclusiveStartKey: start } : {}) }),
    );
    items.push(...(out.Items ?? []));
    start = out.LastEvaluatedKey;
  } while (start);
  return items;
}

/** Set attributes on an item directly (to leave it as a crashed writer would). */
export async function setAttributes(
  client: DynamoDBClient,
  table: string,
  key: Item,
  attrs: Item,
): Promise<void> {
  const names = Object.keys(attrs);
  await client.send(
    new UpdateItemCommand({
      TableName: table,
      Key: key,
      UpdateExpression: `SET ${names.map((_n, i) => `#a${i} = :a${i}`).join(', ')}`,
      ExpressionAttributeNames: Object.fromEntries(names.map((n, i) => [`#a${i}`, n])),
      ExpressionAttributeValues: Object.fromEntries(names.map((n, i) => [`:a${i}`, attrs[n]!])),
    }),
  );
}
