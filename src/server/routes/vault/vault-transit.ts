import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import {
  type VaultItem,
  vaultData,
  vaultTransitItems,
  vaultTransitResult,
} from '../../../compat/vault/index.js';
import { hushError } from '../../../core/errors/index.js';
import { checkBatchSize, type ItemResult, runItems, single, type Transit } from '../../../transit/index.js';
import { keyAuth } from '../transit/transit-auth.js';
import { transitAuditDetails } from '../transit/transit-op-routes.js';
import { ANY_OBJECT, requestIdOf, VAULT_DOC, VAULT_RESPONSE, vaultAuthed } from './vault-request.js';

type Translate = (item: VaultItem, urlHash?: string) => object;
type Run = (name: string, items: readonly never[]) => Promise<ItemResult<Record<string, unknown>>[]>;

/**
 * One Vault transit operation: its URL word, the native capability (the route's declared auth, on
 * `transit/keys/<name>`) and audit fields, and the engine call.
 */
interface VaultOp {
  readonly word: 'encrypt' | 'decrypt' | 'rewrap' | 'sign' | 'verify' | 'hmac';
  readonly capability: string;
  readonly audited: readonly string[];
  /** Sign, verify and hmac take the hash as a last URL segment too (`sign/:name/sha2-512`). */
  readonly hashInUrl: boolean;
  /** The translation and engine call for this item shape (verify picks signature or HMAC by the body). */
  readonly pick: (body: VaultItem) => { translate: Translate; run: (t: Transit) => Run };
}

const plain = (translate: Translate, run: (t: Transit) => Run) => () => ({ translate, run });

// The same capabilities as the native routes: encrypt, decrypt, rotate (rewrap), sign (sign, hmac), verify.
const OPS: readonly VaultOp[] = [
  {
    word: 'encrypt',
    capability: 'encrypt',
    audited: ['plaintext', 'associated_data', 'context'],
    hashInUrl: false,
    pick: plain(vaultTransitItems.encrypt, (t) => t.ops.encrypt as Run),
  },
  {
    word: 'decrypt',
    capability: 'decrypt',
    audited: ['ciphertext', 'associated_data', 'context'],
    hashInUrl: false,
    pick: plain(vaultTransitItems.decrypt, (t) => t.ops.decrypt as Run),
  },
  {
    word: 'rewrap',
    capability: 'rotate',
    audited: ['ciphertext', 'associated_data', 'context'],
    hashInUrl: false,
    pick: plain(vaultTransitItems.rewrap, (t) => t.ops.rewrap as Run),
  },
  {
    word: 'sign',
    capability: 'sign',
    audited: ['input'],
    hashInUrl: true,
    pick: plain(vaultTransitItems.sign, (t) => t.ops.sign as Run),
  },
  {
    word: 'verify',
    capability: 'verify',
    audited: ['input', 'signature', 'hmac'],
    hashInUrl: true,
    // Vault verifies an HMAC through the same endpoint when the body carries `hmac` instead of `signature`.
    pick: (body) =>
      firstItem(body)['hmac'] !== undefined
        ? { translate: vaultTransitItems.verifyHmac, run: (t) => t.ops.verifyHmac as Run }
        : { translate: vaultTransitItems.verify, run: (t) => t.ops.verify as Run },
  },
  {
    word: 'hmac',
    capability: 'sign',
    audited: ['input'],
    hashInUrl: true,
    pick: plain(vaultTransitItems.hmac, (t) => t.ops.hmac as Run),
  },
];

function firstItem(body: VaultItem): VaultItem {
  const batch = body['batch_input'];
  return Array.isArray(batch) && typeof batch[0] === 'object' && batch[0] !== null
    ? (batch[0] as VaultItem)
    : body;
}

/** The items of a request: `batch_input`, or the body as one item. */
function itemsOf(body: VaultItem): { items: VaultItem[]; batch: boolean } {
  const batch = body['batch_input'];
  if (batch === undefined) return { items: [body], batch: false };
  if (!Array.isArray(batch) || batch.some((i) => typeof i !== 'object' || i === null || Array.isArray(i))) {
    throw hushError('BATCH_INPUT_MUST_LIST_OBJECTS');
  }
  return { items: batch as VaultItem[], batch: true };
}

/**
 * Translate every item (a malformed one fails alone, as in the engine's batches), run the engine on the rest, and
 * put the results back in request order.
 */
async function runTranslated(
  items: readonly VaultItem[],
  translate: (item: VaultItem) => object,
  run: (items: readonly object[]) => Promise<ItemResult<Record<string, unknown>>[]>,
): Promise<ItemResult<Record<string, unknown>>[]> {
  const translated = runItems(items, translate);
  const good = translated.flatMap((t) => (t.ok ? [t.value] : []));
  // An empty batch still goes to the engine, which refuses it with its own coded error.
  const ran = good.length > 0 || items.length === 0 ? await run(good) : [];
  let next = 0;
  return translated.map((t) => (t.ok ? (ran[next++] as ItemResult<Record<string, unknown>>) : t));
}

/** A batch's Vault shape: each item's result in Vault's names, or `{ error }` with the coded message. */
function batchResults(results: ItemResult<Record<string, unknown>>[]) {
  return results.map((r) =>
    r.ok ? vaultTransitResult(r.value) : { error: `${r.error.code}: ${r.error.message}` },
  );
}

/**
 * Vault's transit endpoints (`transit/encrypt|decrypt|rewrap|sign|verify|hmac/:name`, and `transit/keys/:name` to
 * create a key) over the Hush transit engine, with the native routes' capabilities and audit details.
 * `vault:v<N>:` strings are mapped to and from the engine's `hush:v<N>:` ones (src/compat/vault/transit-strings.ts).
 */
export function vaultTransitRoutes(transit: Transit): FastifyPluginAsync {
  return async (app) => {
    for (const op of OPS) {
      const handler = async (
        request: FastifyRequest<{ Params: { name: string; hash?: string }; Body: VaultItem }>,
      ) => {
        const { name, hash } = request.params;
        const body = request.body ?? {};
        const chosen = op.pick(body);
        const { items, batch } = itemsOf(body);
        // The engine's limit on the whole request, as natively: the items that fail translation here never reach
        // the engine, so without this 1000 good items plus any number of bad ones would pass (and be audited).
        checkBatchSize(items.length, transit.ops.maxBatch);
        request.auditDetails = { ...transitAuditDetails(name, items, op.audited), api: 'vault' };
        const results = await runTranslated(
          items,
          (item) => chosen.translate(item, hash),
          (hushItems) => chosen.run(transit)(name, hushItems as never[]),
        );
        const data = batch ? { batch_results: batchResults(results) } : vaultTransitResult(single(results));
        return vaultData(requestIdOf(request), data);
      };
      const options = {
        schema: {
          summary: `Transit ${op.word} (Vault-compatible)`,
          ...VAULT_DOC,
          body: ANY_OBJECT,
          response: VAULT_RESPONSE,
        },
        config: vaultAuthed(keyAuth(`transit.${op.word}`, op.capability)),
      };
      app.post(`/v1/transit/${op.word}/:name`, options, handler);
      if (op.hashInUrl) app.post(`/v1/transit/${op.word}/:name/:hash`, options, handler);
    }

    app.post<{ Params: { name: string }; Body: { type?: string; derived?: boolean; exportable?: boolean } }>(
      '/v1/transit/keys/:name',
      {
        schema: {
          summary: 'Create a transit key (Vault-compatible; default type aes256-gcm96)',
          ...VAULT_DOC,
          body: {
            type: 'object',
            properties: {
              type: { type: 'string' },
              derived: { type: 'boolean' },
              exportable: { type: 'boolean' },
            },
          },
          response: VAULT_RESPONSE,
        },
        config: vaultAuthed(keyAuth('transit.keys.create', 'create')),
      },
      async (request, reply) => {
        const { name } = request.params;
        const b = request.body ?? {};
        await transit.keys.create(name, {
          type: b.type ?? 'aes256-gcm96',
          ...(b.derived !== undefined ? { derived: b.derived } : {}),
          ...(b.exportable !== undefined ? { exportable: b.exportable } : {}),
        });
        return reply.code(204).send();
      },
    );
  };
}
