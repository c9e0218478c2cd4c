import type { FastifyInstance } from 'fastify';
import { undeclaredResponse } from '../../../api/contract.js';
import { hushError } from '../../../core/errors/index.js';
import {
  type DatakeyInput,
  hashOutput,
  type ItemResult,
  randomOutput,
  single,
  type Transit,
} from '../../../transit/index.js';
import { routeAuth } from '../../route-config.js';
import { checkedDigest, keyAuth } from './transit-auth.js';
import {
  datakeyBody,
  decryptBody,
  encryptBody,
  hashBody,
  hmacBody,
  keyParams,
  randomBody,
  rewrapBody,
  signBody,
  verifyBody,
  verifyHmacBody,
} from './transit-schemas.js';

type Item = Record<string, unknown>;
type Op = (name: string, items: readonly never[]) => Promise<ItemResult<unknown>[]>;

/** One operation: its URL word, the capability it needs, the field a single request must carry, the service call. */
interface OpSpec {
  readonly path: string;
  readonly capability: string;
  readonly field: string;
  /** Fields whose values the audit record keeps as HMACs (to correlate requests, never to reveal them). */
  readonly audited: readonly string[];
  readonly schema: object;
  readonly summary: string;
  readonly run: (transit: Transit) => Op;
}

const OPS: readonly OpSpec[] = [
  {
    path: 'encrypt',
    capability: 'encrypt',
    field: 'plaintext',
    audited: ['plaintext', 'associatedData', 'context'],
    schema: encryptBody,
    summary: 'Encrypt base64 plaintext(s) with a transit key',
    run: (t) => t.ops.encrypt as Op,
  },
  {
    path: 'decrypt',
    capability: 'decrypt',
    field: 'ciphertext',
    audited: ['ciphertext', 'associatedData', 'context'],
    schema: decryptBody,
    summary: 'Decrypt hush:v<N>: ciphertext(s)',
    run: (t) => t.ops.decrypt as Op,
  },
  {
    path: 'rewrap',
    capability: 'rotate',
    field: 'ciphertext',
    audited: ['ciphertext', 'associatedData', 'context'],
    schema: rewrapBody,
    summary: 'Re-encrypt ciphertext(s) under the latest key version without returning plaintext',
    run: (t) => t.ops.rewrap as Op,
  },
  {
    path: 'sign',
    capability: 'sign',
    field: 'input',
    audited: ['input'],
    schema: signBody,
    summary: 'Sign base64 input(s) (message or prehashed digest)',
    run: (t) => t.ops.sign as Op,
  },
  {
    path: 'verify',
    capability: 'verify',
    field: 'signature',
    audited: ['input', 'signature'],
    schema: verifyBody,
    summary: 'Verify signature(s)',
    run: (t) => t.ops.verify as Op,
  },
  {
    path: 'hmac',
    capability: 'sign',
    field: 'input',
    audited: ['input'],
    schema: hmacBody,
    summary: 'HMAC base64 input(s)',
    run: (t) => t.ops.hmac as Op,
  },
  {
    path: 'verify-hmac',
    capability: 'verify',
    field: 'hmac',
    audited: ['input', 'hmac'],
    schema: verifyHmacBody,
    summary: 'Verify HMAC(s) in constant time',
    run: (t) => t.ops.verifyHmac as Op,
  },
];

/**
 * The audit details of an operation: the key, the item count, and each item's inputs under `inputValues`, a
 * sensitive field name, so the audit log writes every value as its HMAC (`hush audit hash` of the same base64 or
 * hush:v<N>: string finds the request; nothing readable is kept).
 */
export function transitAuditDetails(name: string, items: readonly Item[], fields: readonly string[]) {
  const inputValues = items.map((item) => {
    const kept: Record<string, string> = {};
    for (const f of fields) if (typeof item[f] === 'string') kept[f] = item[f] as string;
    return kept;
  });
  return { key: name, items: items.length, inputValues };
}

/** A batch's wire shape: each item's result, or its coded error. */
function batchReply(results: ItemResult<unknown>[]) {
  return {
    batch: results.map((r) => (r.ok ? r.value : { error: { code: r.error.code, message: r.error.message } })),
  };
}

/** Register the operation routes (`POST /v1/transit/<op>/:name`, datakey, random, hash). */
export function registerTransitOpRoutes(app: FastifyInstance, transit: Transit): void {
  const tags = ['transit'];
  for (const op of OPS) {
    app.post<{ Params: { name: string }; Body: Item & { batch?: Item[] } }>(
      `/v1/transit/${op.path}/:name`,
      {
        schema: {
          summary: op.summary,
          tags,
          params: keyParams,
          body: op.schema,
          response: undeclaredResponse,
        },
        config: keyAuth(`transit.${op.path}`, op.capability),
      },
      async (request) => {
        const { name } = request.params;
        const { batch, ...one } = request.body;
        if (batch !== undefined && Object.keys(one).length > 0) throw hushError('SEND_EITHER_BATCH_ONE_ITEM');
        if (batch === undefined && one[op.field] === undefined)
          throw hushError('PATH_NEEDS_FIELD_BATCH', { path: op.path, field: op.field });
        const items = batch ?? [one];
        const digest = checkedDigest(request);
        request.auditDetails = {
          ...transitAuditDetails(name, items, op.audited),
          ...(digest ? { requestDigest: digest } : {}),
        };
        const results = await op.run(transit)(name, items as never[]);
        return batch === undefined ? single(results) : batchReply(results);
      },
    );
  }

  app.post<{ Params: { name: string }; Body: DatakeyInput }>(
    '/v1/transit/datakey/:name',
    {
      schema: {
        summary: 'A new data key wrapped by a transit key (plaintext too unless wrappedOnly)',
        tags,
        params: keyParams,
        body: datakeyBody,
        response: undeclaredResponse,
      },
      config: keyAuth('transit.datakey', 'encrypt', (r) => ({
        key: r.params.name,
        wrappedOnly: (r.body as DatakeyInput).wrappedOnly === true,
      })),
    },
    async (request) => {
      const { name } = request.params;
      return transit.ops.datakey(name, request.body);
    },
  );

  app.post<{ Body: { bytes?: number; format?: 'base64' | 'hex' } }>(
    '/v1/transit/random',
    {
      schema: {
        summary: 'Random bytes from the server CSPRNG',
        tags,
        body: randomBody,
        response: undeclaredResponse,
      },
      config: { requireUnsealed: true, operation: 'transit.random', auth: routeAuth.token },
    },
    async (request) => ({ random: randomOutput(request.body.bytes ?? 32, request.body.format) }),
  );

  app.post<{ Body: { input: string; algorithm?: string; format?: 'base64' | 'hex' } }>(
    '/v1/transit/hash',
    {
      schema: { summary: 'SHA-2 digest of base64 input', tags, body: hashBody, response: undeclaredResponse },
      config: { requireUnsealed: true, operation: 'transit.hash', auth: routeAuth.token },
    },
    async (request) => {
      request.auditDetails = { inputValue: request.body.input };
      return { sum: hashOutput(request.body.input, request.body.algorithm, request.body.format) };
    },
  );
}
