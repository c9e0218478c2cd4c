import { DynamoDBClient, type DynamoDBClientConfig } from '@aws-sdk/client-dynamodb';
import { hushError } from '../../core/errors/index.js';
import type { BatchOp, ListOptions, ListPage, StorageBackend, StorageEntry } from '../backend.js';
import { pageSize } from '../backend-helpers.js';
import type { ClusterStorage, LeaseStore, SweepResult } from '../lease-store.js';
import { applyBatch } from './dynamo-batch.js';
import { type DynamoConfig, type DynamoConfigInput, parseDynamoConfig } from './dynamo-config.js';
import { visibleState } from './dynamo-heads.js';
import { DynamoIo } from './dynamo-io.js';
import { partitionOf, REGISTRY_PARTITION, ROOT_PARTITION, sortKeyOf } from './dynamo-keys.js';
import { dynamoLeaseStore } from './dynamo-lease.js';
import { listPage } from './dynamo-list.js';
import { type SweepOptions, sweepDynamoLeftovers } from './dynamo-sweep.js';
import { ensureTable } from './dynamo-table.js';
import { readValue } from './dynamo-values.js';

/** Things a caller may pass besides the config: credentials for tests and embedding (never read from a file). */
export interface DynamoOpenOptions {
  readonly credentials?: DynamoDBClientConfig['credentials'];
  /** Clock for lock leases (tests). */
  readonly now?: () => number;
  /** Unreferenced value parts younger than this are left by the sweeper (tests shorten it). */
  readonly partMinAgeMs?: number;
}

/** Rounds a get retries when a large value is replaced while its parts are read. */
const READ_ROUNDS = 8;

/**
 * StorageBackend on one DynamoDB table (layout in dynamo-keys.ts, protocol in dynamo-batch.ts). All reads are
 * strongly consistent. No externalChangeMarker: other nodes' writes are invisible without streams, so caches stay off.
 */
export class DynamoBackend implements StorageBackend, ClusterStorage {
  readonly kind = 'dynamodb';
  private closed = false;
  private readonly registered = new Set<string>();

  constructor(
    private readonly client: DynamoDBClient,
    private readonly io: DynamoIo,
    private readonly now: () => number,
    private readonly sweepOptions: Omit<SweepOptions, 'now'> = {},
  ) {}

  /** The lease record `name`, for leader election among the nodes sharing this table. */
  leaseStore(name: string): LeaseStore {
    this.assertOpen();
    return dynamoLeaseStore(this.io, name);
  }

  /** Remove crashed writers' batch records, stale locks and orphaned value parts (see dynamo-sweep.ts). */
  sweepLeftovers(): Promise<SweepResult> {
    this.assertOpen();
    return sweepDynamoLeftovers(this.io, { ...this.sweepOptions, now: this.now });
  }

  async get(key: string): Promise<StorageEntry | undefined> {
    this.assertOpen();
    sortKeyOf(key);
    for (let round = 0; round < READ_ROUNDS; round++) {
      const state = await visibleState(this.io, key);
      if (state.rev === 0) return undefined;
      const value = await readValue(this.io, state);
      if (value) return { key, value, revision: state.rev };
    }
    throw hushError('KEPT_CHANGING_WHILE_READ_TRIES', { key, readRounds: READ_ROUNDS });
  }

  async put(key: string, value: Uint8Array, expectedRevision?: number): Promise<number> {
    const [rev] = await this.write([
      { op: 'put', key, value, ...(expectedRevision === undefined ? {} : { expectedRevision }) },
    ]);
    return rev!;
  }

  async delete(key: string, expectedRevision?: number): Promise<boolean> {
    const [removed] = await this.write([
      { op: 'delete', key, ...(expectedRevision === undefined ? {} : { expectedRevision }) },
    ]);
    return removed! > 0;
  }

  async list(prefix: string, options: ListOptions = {}): Promise<ListPage> {
    this.assertOpen();
    return listPage(this.io, prefix, options.after, pageSize(options.limit));
  }

  async batch(ops: readonly BatchOp[]): Promise<void> {
    await this.write(ops);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.client.destroy();
  }

  private async write(ops: readonly BatchOp[]): Promise<number[]> {
    this.assertOpen();
    if (ops.length === 0) return [];
    for (const op of ops) sortKeyOf(op.key);
    await this.register(ops);
    return applyBatch(this.io, ops, this.now);
  }

  /** Record each data partition written to, so listings that span partitions can find it (kept forever: cheap). */
  private async register(ops: readonly BatchOp[]): Promise<void> {
    const fresh = [...new Set(ops.map((o) => partitionOf(o.key)))].filter(
      (p) => p !== ROOT_PARTITION && !this.registered.has(p),
    );
    await Promise.all(
      fresh.map((p) =>
        this.io.put(
          { pk: REGISTRY_PARTITION, sk: Buffer.from(p, 'utf8') },
          { rv: { N: '1' } },
          'register a partition',
        ),
      ),
    );
    for (const p of fresh) this.registered.add(p);
  }

  private assertOpen(): void {
    if (this.closed) throw hushError('DYNAMO_DB_BACKEND_CLOSED');
  }
}

/** Open (and check, or with createTable create) the DynamoDB table; the config is validated here. */
export async function openDynamoBackendNow(
  input: DynamoConfigInput | DynamoConfig,
  options: DynamoOpenOptions = {},
): Promise<DynamoBackend> {
  const config = 'target' in input ? input : parseDynamoConfig(input);
  const client = quietClient(config, options);
  try {
    await ensureTable(client, config);
  } catch (err) {
    client.destroy();
    throw err;
  }
  return new DynamoBackend(
    client,
    new DynamoIo(client, config.table, config),
    options.now ?? Date.now,
    options.partMinAgeMs !== undefined ? { partMinAgeMs: options.partMinAgeMs } : {},
  );
}

/**
 * The SDK client, built with the SDK's Node-version notice switched off for the construction only: on Node 20 it
 * prints a multi-line NodeVersionSupportWarning that is noise on a Hush user's terminal (docs/storage.md says so).
 */
function quietClient(config: DynamoConfig, options: DynamoOpenOptions): DynamoDBClient {
  const flag = 'AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED';
  const before = process.env[flag];
  process.env[flag] = 'true';
  try {
    return new DynamoDBClient({
      region: config.region,
      ...(config.endpoint ? { endpoint: config.endpoint } : {}),
      ...(options.credentials ? { credentials: options.credentials } : {}),
      maxAttempts: config.maxAttempts,
      // Without throwOnRequestTimeout the SDK only logs a slow request and keeps waiting (a black-holed endpoint
      // would hang the caller for minutes).
      requestHandler: {
        requestTimeout: config.requestTimeoutMs,
        connectionTimeout: config.requestTimeoutMs,
        throwOnRequestTimeout: true,
      },
    });
  } finally {
    if (before === undefined) delete process.env[flag];
    else process.env[flag] = before;
  }
}
