import { createHash, randomBytes, randomInt } from 'node:crypto';
import type { AuditRecord } from '../core/audit/audit-record.js';
import { hushError } from '../core/errors/index.js';
import { formatHushToken, HUSH_TOKEN_RANDOM_LENGTH } from '../scan/checksum/hush-token.js';
import type { SealedView } from '../store/sealed-view/index.js';

/** Storage prefix of canary records (sealed like identity records: storage sees keys and envelopes only). */
export const CANARY_PREFIX_KEY = 'canary/';

/** The alert rule a touched canary raises. */
export const CANARY_ALERT_RULE = 'canary-touched';

/**
 * Repeats of one canary's alert from the same caller and address within this many seconds are left to the audit
 * trail (which records every touch): whoever holds a canary token could otherwise raise alerts without end and
 * flush every other alert out of the alert list and the webhook queues.
 */
const CANARY_ALERT_COOLDOWN_S = 60;

/**
 * The audit identity prefix a presented canary token is refused under (`canary:<name>`): only the audit trail sees
 * it; the reply is the same refusal any unknown token gets.
 */
export const CANARY_IDENTITY_PREFIX = 'canary:';

/** A canary as stored: a decoy path, or the HMAC lookup id of a decoy token (and, sealed, the token itself). */
interface CanaryRecord {
  readonly id: string;
  readonly name: string;
  readonly kind: 'path' | 'token';
  readonly path?: string;
  readonly lookupId?: string;
  /** Kept (sealed) so the known-secrets check can tell a planted canary from a leak; never shown again. */
  readonly token?: string;
  readonly createdAt: string;
  readonly createdBy: string;
}

/** A canary as shown: never its token, nor its lookup id. */
export interface CanaryView {
  readonly id: string;
  readonly name: string;
  readonly kind: 'path' | 'token';
  readonly path?: string;
  readonly createdAt: string;
  readonly createdBy: string;
}

/** What `create` returns: the view, plus the decoy token once (to plant). */
export interface CreatedCanary extends CanaryView {
  readonly token?: string;
}

/** What canaries are built from. */
export interface CanaryDeps {
  readonly records: Pick<SealedView, 'get' | 'batch' | 'keys' | 'lookupId'>;
  /** Write and remove the decoy secret of a path canary (the store itself, not the audited HTTP route). */
  readonly secrets: {
    /** Write only where nothing is stored yet; false (nothing written) when a secret is there. */
    putNew(path: string, value: string): Promise<boolean>;
    destroy(path: string): Promise<unknown>;
  };
  readonly alert: (input: {
    readonly rule: string;
    readonly severity: 'critical';
    readonly message: string;
    readonly path?: string;
    readonly identity?: string;
    readonly sourceAddress?: string;
    readonly key: string;
    readonly cooldownSeconds: number;
  }) => unknown;
  readonly now?: () => Date;
}

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const randomBase62 = (n: number) => Array.from({ length: n }, () => BASE62[randomInt(62)]).join('');
const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
const viewOf = ({ lookupId: _l, token: _t, ...view }: CanaryRecord): CanaryView => view;

/**
 * Canaries: decoy secrets whose every touch is a critical alert. A path canary is a real secret at a path nobody
 * legitimate reads; a token canary is a well-formed `hush_` token that was never valid, to plant in a repository or
 * a wiki. Nothing in a canary tells it apart from the real thing: only the server knows (see docs/canaries.md).
 */
export function createCanaries(deps: CanaryDeps) {
  const now = deps.now ?? (() => new Date());
  // What the audit subscriber matches against, loaded on first use and after every change (paths and lookup ids only).
  let watched: Promise<{ paths: Map<string, string>; lookups: Map<string, string> }> | undefined;
  const load = async () => {
    const paths = new Map<string, string>();
    const lookups = new Map<string, string>();
    for (const r of await all()) {
      if (r.path) paths.set(r.path, r.name);
      if (r.lookupId) lookups.set(r.lookupId, r.name);
    }
    return { paths, lookups };
  };
  const refresh = () => {
    watched = load();
    watched.catch(() => {
      watched = undefined;
    });
    return watched;
  };
  const all = async (): Promise<CanaryRecord[]> => {
    const out: CanaryRecord[] = [];
    for (const key of await deps.records.keys(CANARY_PREFIX_KEY)) {
      const found = await deps.records.get<CanaryRecord>(key);
      if (found) out.push(found.value);
    }
    return out.sort((a, b) => a.name.localeCompare(b.name));
  };

  return {
    /** Make a canary: a decoy secret at `path`, or (without a path) a decoy `hush_` token returned once. */
    async create(
      input: { readonly name: string; readonly path?: string },
      by: string,
    ): Promise<CreatedCanary> {
      if (!NAME.test(input.name)) throw hushError('CANARY_BAD_NAME', { name: input.name });
      const existing = await all();
      if (existing.some((c) => c.name === input.name)) throw hushError('CANARY_EXISTS', { name: input.name });
      const base = {
        id: randomBytes(8).toString('hex'),
        name: input.name,
        createdAt: now().toISOString(),
        createdBy: by,
      };
      let record: CanaryRecord;
      let token: string | undefined;
      if (input.path !== undefined) {
        if (existing.some((c) => c.path === input.path))
          throw hushError('CANARY_EXISTS', { name: input.path });
        // A value shaped like what such paths hold: long, random, nothing that says "decoy". Never over a real
        // secret: its readers would lose their value and trip the canary.
        if (!(await deps.secrets.putNew(input.path, randomBase62(32))))
          throw hushError('CANARY_PATH_IN_USE', { path: input.path });
        record = { ...base, kind: 'path', path: input.path };
      } else {
        token = formatHushToken('s', randomBase62(HUSH_TOKEN_RANDOM_LENGTH));
        record = { ...base, kind: 'token', token, lookupId: await deps.records.lookupId(token) };
      }
      await deps.records.batch([{ op: 'put', key: `${CANARY_PREFIX_KEY}${record.id}`, value: record }]);
      await refresh();
      return { ...viewOf(record), ...(token ? { token } : {}) };
    },

    /** Every canary (no token, no lookup id). */
    list: async (): Promise<CanaryView[]> => (await all()).map(viewOf),

    /** Delete a canary by name or id; a path canary's decoy secret is destroyed with it. */
    async delete(ref: string): Promise<CanaryView> {
      const found = (await all()).find((c) => c.name === ref || c.id === ref);
      if (!found) throw hushError('CANARY_NOT_FOUND', { ref });
      if (found.path) await deps.secrets.destroy(found.path);
      await deps.records.batch([{ op: 'delete', key: `${CANARY_PREFIX_KEY}${found.id}` }]);
      await refresh();
      return viewOf(found);
    },

    /** The canary name a presented token belongs to (by its HMAC lookup id), or undefined. */
    async tokenCanary(presented: string): Promise<string | undefined> {
      const { lookups } = await (watched ?? refresh());
      if (lookups.size === 0) return undefined;
      return lookups.get(await deps.records.lookupId(presented.trim()));
    },

    /** SHA-256(salt || token) of every token canary: what a known-secrets session answers as "planted, not leaked". */
    async saltedDigests(salt: Uint8Array): Promise<Set<string>> {
      const out = new Set<string>();
      for (const r of await all()) {
        if (r.token) out.add(createHash('sha256').update(salt).update(r.token, 'utf8').digest('hex'));
      }
      return out;
    },

    /** Subscribe to the audit log: a request on a decoy path, or a refused canary token, raises a critical alert. */
    onAuditRecord(record: AuditRecord): void {
      const token =
        record.outcome === 'denied' && record.identity?.startsWith(CANARY_IDENTITY_PREFIX) === true;
      if (!token && record.path === null) return;
      if (record.outcome === 'requested') return;
      void (watched ?? refresh())
        .then(({ paths }) => {
          const who = record.identity ?? 'an unauthenticated caller';
          const from = record.sourceAddress ?? 'an unknown address';
          if (token) {
            const name = record.identity?.slice(CANARY_IDENTITY_PREFIX.length) ?? '?';
            deps.alert({
              rule: CANARY_ALERT_RULE,
              severity: 'critical',
              message: `canary token "${name}" was used from ${from} (${record.operation})`,
              ...(record.sourceAddress ? { sourceAddress: record.sourceAddress } : {}),
              identity: `${CANARY_IDENTITY_PREFIX}${name}`,
              key: `${CANARY_ALERT_RULE}:token:${name}:${from}`,
              cooldownSeconds: CANARY_ALERT_COOLDOWN_S,
            });
            return;
          }
          if (!record.operation.startsWith('secrets.')) return;
          for (const [path, name] of paths) {
            if (!touches(record, path)) continue;
            deps.alert({
              rule: CANARY_ALERT_RULE,
              severity: 'critical',
              message: `canary "${name}" at ${path} was touched by ${who} from ${from} (${record.operation}, ${record.outcome})`,
              path,
              ...(record.identity ? { identity: record.identity } : {}),
              ...(record.sourceAddress ? { sourceAddress: record.sourceAddress } : {}),
              key: `${CANARY_ALERT_RULE}:path:${name}:${who}:${from}`,
              cooldownSeconds: CANARY_ALERT_COOLDOWN_S,
            });
          }
        })
        .catch(() => undefined);
    },

    /** Forget what is watched (the store sealed); it is loaded again on the next use. */
    forget(): void {
      watched = undefined;
    },
  };
}

/** Operations on a folder that read or replace every secret below it (a listing only shows names: no touch). */
const BULK = new Set(['secrets.export', 'secrets.move']);
const within = (path: string, folder: string) =>
  folder === '' || path === folder || path.startsWith(`${folder}/`);

/** Whether an audited secrets request reached the decoy at `path`: on it, or in bulk on a folder above it. */
function touches(record: AuditRecord, path: string): boolean {
  if (record.path === path) return true;
  if (!BULK.has(record.operation)) return false;
  const to = record.details?.['to'];
  return (record.path !== null && within(path, record.path)) || (typeof to === 'string' && within(path, to));
}

/** The canary service API. */
export type Canaries = ReturnType<typeof createCanaries>;
