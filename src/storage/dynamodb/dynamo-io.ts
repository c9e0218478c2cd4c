import { setTimeout as sleep } from 'node:timers/promises';
import {
  BatchGetItemCommand,
  DeleteItemCommand,
  type DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  QueryCommand,
  ScanCommand,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import { type DynamoErrorContext, isConditionFailed, toDynamoError } from './dynamo-errors.js';
import type { Expression } from './dynamo-expression.js';
import type { Item } from './dynamo-items.js';

/** An item's primary key. */
export interface ItemKey {
  readonly pk: string;
  readonly sk: Buffer;
}

/** One page of a Query. */
export interface QueryPage {
  readonly items: Item[];
  readonly last?: Item;
}

const keyOf = (k: ItemKey): Item => ({ pk: { S: k.pk }, sk: { B: k.sk } });

/**
 * The few DynamoDB calls the backend makes, on one table, with every failure turned into a coded error. A
 * conditional write returns false when its condition failed (the callers' normal race), true when it applied.
 */
export class DynamoIo {
  constructor(
    private readonly client: DynamoDBClient,
    private readonly table: string,
    private readonly ctx: DynamoErrorContext,
  ) {}

  /** Strongly consistent GetItem. */
  async get(key: ItemKey, action: string): Promise<Item | undefined> {
    try {
      const out = await this.client.send(
        new GetItemCommand({ TableName: this.table, Key: keyOf(key), ConsistentRead: true }),
      );
      return out.Item;
    } catch (err) {
      throw toDynamoError(err, this.ctx, action);
    }
  }

  /** Strongly consistent BatchGetItem of at most 100 keys (unprocessed keys are asked for again). */
  async getMany(keys: readonly ItemKey[], action: string): Promise<Item[]> {
    const found: Item[] = [];
    let pending: Item[] = keys.map(keyOf);
    try {
      for (let round = 0; pending.length > 0; round++) {
        if (round > 0) await sleep(Math.min(500, 10 * 2 ** round));
        const out = await this.client.send(
          new BatchGetItemCommand({
            RequestItems: { [this.table]: { Keys: pending, ConsistentRead: true } },
          }),
        );
        found.push(...(out.Responses?.[this.table] ?? []));
        pending = out.UnprocessedKeys?.[this.table]?.Keys ?? [];
      }
      return found;
    } catch (err) {
      throw toDynamoError(err, this.ctx, action);
    }
  }

  /** PutItem of `attrs` at `key` (unconditional). */
  async put(key: ItemKey, attrs: Item, action: string): Promise<void> {
    try {
      await this.client.send(
        new PutItemCommand({ TableName: this.table, Item: { ...keyOf(key), ...attrs } }),
      );
    } catch (err) {
      throw toDynamoError(err, this.ctx, action);
    }
  }

  /** UpdateItem with an update expression and an optional condition. */
  async update(
    key: ItemKey,
    expr: Expression,
    update: string,
    condition: string | undefined,
    action: string,
  ) {
    return this.conditional(action, () =>
      this.client.send(
        new UpdateItemCommand({
          TableName: this.table,
          Key: keyOf(key),
          UpdateExpression: update,
          ...(condition ? { ConditionExpression: condition } : {}),
          ...expr.fields(),
        }),
      ),
    );
  }

  /** A conditional UpdateItem or DeleteItem that returns the item as it was before (undefined: it did not exist). */
  async writeReturningOld(
    kind: 'update' | 'delete',
    key: ItemKey,
    expr: Expression,
    update: string,
    condition: string,
    action: string,
  ): Promise<{ applied: boolean; old?: Item }> {
    const common = {
      TableName: this.table,
      Key: keyOf(key),
      ConditionExpression: condition,
      ReturnValues: 'ALL_OLD' as const,
      ...expr.fields(),
    };
    let old: Item | undefined;
    const applied = await this.conditional(action, async () => {
      const out = await this.client.send(
        kind === 'update'
          ? new UpdateItemCommand({ ...common, UpdateExpression: update })
          : new DeleteItemCommand(common),
      );
      old = out.Attributes;
    });
    return { applied, ...(old ? { old } : {}) };
  }

  /** DeleteItem with an optional condition. */
  async delete(key: ItemKey, expr: Expression | undefined, condition: string | undefined, action: string) {
    return this.conditional(action, () =>
      this.client.send(
        new DeleteItemCommand({
          TableName: this.table,
          Key: keyOf(key),
          ...(condition && expr ? { ConditionExpression: condition, ...expr.fields() } : {}),
        }),
      ),
    );
  }

  /** One strongly consistent Query page of `partition` with a sort-key condition (sk and a few attributes). */
  async query(
    partition: string,
    sk: { readonly beginsWith?: Buffer; readonly after?: Buffer },
    limit: number,
    start: Item | undefined,
    action: string,
  ): Promise<QueryPage> {
    const values: Item = { ':p': { S: partition } };
    let condition = '#pk = :p';
    if (sk.after) {
      condition += ' AND #sk > :s';
      values[':s'] = { B: sk.after };
    } else if (sk.beginsWith && sk.beginsWith.length > 0) {
      condition += ' AND begins_with(#sk, :s)';
      values[':s'] = { B: sk.beginsWith };
    }
    try {
      const out = await this.client.send(
        new QueryCommand({
          TableName: this.table,
          KeyConditionExpression: condition,
          ExpressionAttributeNames: { '#pk': 'pk', '#sk': 'sk', '#rv': 'rv', '#lk': 'lk' },
          ExpressionAttributeValues: values,
          ProjectionExpression: '#sk, #rv, #lk',
          ConsistentRead: true,
          Limit: limit,
          ...(start ? { ExclusiveStartKey: start } : {}),
        }),
      );
      return { items: out.Items ?? [], ...(out.LastEvaluatedKey ? { last: out.LastEvaluatedKey } : {}) };
    } catch (err) {
      throw toDynamoError(err, this.ctx, action);
    }
  }

  /** One strongly consistent Scan page of the whole table (the sweeper's only way to find leftover partitions). */
  async scan(start: Item | undefined, action: string): Promise<QueryPage> {
    try {
      const out = await this.client.send(
        new ScanCommand({
          TableName: this.table,
          ConsistentRead: true,
          ExpressionAttributeNames: {
            '#pk': 'pk',
            '#sk': 'sk',
            '#lk': 'lk',
            '#g': 'g',
            '#ng': 'ng',
            '#t': 't',
          },
          ProjectionExpression: '#pk, #sk, #lk, #g, #ng, #t',
          ...(start ? { ExclusiveStartKey: start } : {}),
        }),
      );
      return { items: out.Items ?? [], ...(out.LastEvaluatedKey ? { last: out.LastEvaluatedKey } : {}) };
    } catch (err) {
      throw toDynamoError(err, this.ctx, action);
    }
  }

  private async conditional(action: string, run: () => Promise<unknown>): Promise<boolean> {
    try {
      await run();
      return true;
    } catch (err) {
      if (isConditionFailed(err)) return false;
      throw toDynamoError(err, this.ctx, action);
    }
  }
}
