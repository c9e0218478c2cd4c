import { HushError } from '../core/errors/hush-error.js';
import { hushError } from '../core/errors/index.js';
import { generateToken, parseToken } from '../core/token/token-format.js';
import { generateAccessor } from '../core/token/token-ids.js';
import {
  consumeTokenUse,
  createTokenRecord,
  renewTokenRecord,
  shareUses,
  tokenUnusableReason,
} from '../core/token/token-lifecycle.js';
import { type RecordOp, retryCas, type SealedView, type Versioned } from '../store/sealed-view/index.js';
import { createRevokedTokens } from './revoked-tokens.js';
import { inheritedIdentity, ROOT_IDENTITY, ROOT_POLICY } from './token-identity.js';
import {
  type AccessorEntry,
  accessorKey,
  childKey,
  revokedKey,
  type StoredToken,
  TOKEN_PREFIX_KEY,
  type TokenView,
  tokenKey,
  viewToken,
} from './token-records.js';
import { createTokenTree, edgeOps, retireOps } from './token-tree.js';

export { ROOT_POLICY } from './token-identity.js';

/** What a caller may ask for when creating a token. */
export interface CreateTokenRequest {
  readonly policies?: readonly string[];
  readonly ttlMs?: number;
  readonly maxTtlMs?: number;
  readonly numUses?: number;
  readonly renewable?: boolean;
  readonly displayName?: string;
  readonly metadata?: Readonly<Record<string, string>>;
  /** Who the token acts for; defaults to the parent's identity (or `token:<display name or accessor>`). */
  readonly identity?: string;
}

/** A freshly minted token: the only time the token text exists outside the caller's hands. */
export interface CreatedToken {
  readonly token: string;
  readonly view: TokenView;
}

/** Limits of the token service. */
export interface TokenServiceOptions {
  /** TTL when none is asked for (default 1 hour). */
  readonly defaultTtlMs?: number;
  /** Hard cap on any token's lifetime (default 32 days). */
  readonly maxTtlMs?: number;
}

/** Which token an operation targets: the token text (self) or its accessor (anyone else's). */
export type TokenRef = { readonly token: string } | { readonly accessor: string };

const NOT_FOUND_ACCESSOR = (a: string) => hushError('NO_LIVE_TOKEN_ACCESSOR_REVOKED', { a });

/** Token lifecycle over encrypted storage. See docs/identity.md. */
export function createTokenService(
  records: SealedView,
  clock: () => Date,
  options: TokenServiceOptions = {},
) {
  const defaultTtlMs = options.defaultTtlMs ?? 3_600_000;
  const systemMaxMs = options.maxTtlMs ?? 32 * 86_400_000;
  const now = () => clock().getTime();
  const graves = createRevokedTokens(records, now, systemMaxMs);

  async function byToken(token: string): Promise<Versioned<StoredToken> | undefined> {
    return records.get<StoredToken>(tokenKey(await records.lookupId(token)));
  }

  async function byAccessor(accessor: string): Promise<Versioned<StoredToken> | undefined> {
    const entry = await records.get<AccessorEntry>(accessorKey(accessor));
    return entry ? records.get<StoredToken>(tokenKey(entry.value.lookupId)) : undefined;
  }

  async function resolve(ref: TokenRef): Promise<Versioned<StoredToken>> {
    if ('token' in ref) {
      const found = parseToken(ref.token).ok ? await byToken(ref.token) : undefined;
      if (!found) throw hushError('TOKEN_NOT_LIVE');
      return found;
    }
    const found = await byAccessor(ref.accessor);
    if (!found) throw NOT_FOUND_ACCESSOR(ref.accessor);
    return found;
  }

  const { revokeTree, hasChildren } = createTokenTree(records, now, graves, byAccessor);

  async function create(req: CreateTokenRequest, parent?: StoredToken): Promise<CreatedToken> {
    const token = generateToken('service');
    const accessor = generateAccessor();
    const lookupId = await records.lookupId(token);
    const policies = [...new Set(req.policies ?? parent?.policies ?? [])];
    const maxTtlMs = Math.min(req.maxTtlMs ?? systemMaxMs, systemMaxMs);
    // This request was the parent's last use: authenticate already removed its row, and the child takes that use.
    const lastUse = parent !== undefined && parent.usesRemaining !== null && parent.usesRemaining <= 0;
    return retryCas(async () => {
      // Re-read the parent so the batch below is fenced on its row: a parent revoked meanwhile fails the batch.
      const fence =
        parent && !lastUse ? await records.get<StoredToken>(tokenKey(parent.lookupId)) : undefined;
      if (parent && !lastUse && !fence) throw hushError('PARENT_TOKEN_REVOKED');
      if (parent && lastUse && (await graves.wasRevoked(parent.lookupId)))
        throw hushError('PARENT_TOKEN_REVOKED');
      const current = fence?.value ?? parent;
      const uses = shareUses(current === undefined ? null : lastUse ? 0 : current.usesRemaining, req.numUses);
      // A root-policy parent may grant any policy; everyone else only a subset of their own (checked in core).
      const effectiveParent = current?.policies.includes(ROOT_POLICY)
        ? { ...current, policies: [...current.policies, ...policies] }
        : current;
      const rec = createTokenRecord(
        {
          lookupId,
          accessor,
          type: 'service',
          identity: req.identity ?? inheritedIdentity(parent, req.displayName, accessor),
          policies,
          ttlMs: Math.min(req.ttlMs ?? defaultTtlMs, maxTtlMs),
          maxTtlMs,
          ...(uses.child === undefined ? {} : { numUses: uses.child }),
          ...(req.renewable === undefined ? {} : { renewable: req.renewable }),
          ...(effectiveParent ? { parent: effectiveParent } : {}),
        },
        now(),
      );
      const stored: StoredToken = {
        ...rec,
        displayName: req.displayName ?? 'token',
        metadata: req.metadata ?? {},
      };
      const ops: RecordOp[] = [
        { op: 'put', key: tokenKey(lookupId), value: stored, expectedRevision: 0 },
        {
          op: 'put',
          key: accessorKey(accessor),
          value: { lookupId } satisfies AccessorEntry,
          expectedRevision: 0,
        },
      ];
      if (parent && lastUse) {
        // The parent's row went when this request took its last use: link the child below it all the same.
        ops.push(...edgeOps(parent, accessor));
      } else if (fence && uses.parentLeft === 0) {
        // The parent handed its last uses to this child: it is used up (its other children keep their own uses).
        ops.push(...retireOps(fence.value, fence.revision, true), ...edgeOps(fence.value, accessor));
      } else if (fence) {
        ops.push({
          op: 'put',
          key: childKey(fence.value.accessor, accessor),
          value: {},
          expectedRevision: 0,
        });
        const kept: StoredToken =
          uses.parentLeft === null ? fence.value : { ...fence.value, usesRemaining: uses.parentLeft };
        ops.push({
          op: 'put',
          key: tokenKey(fence.value.lookupId),
          value: kept,
          expectedRevision: fence.revision,
        });
      }
      await records.batch(ops);
      return { token, view: viewToken(stored, now()) };
    });
  }

  return {
    create,

    /** The root token: `root` policy, no parent, no expiry, no use limit. Call once at store init. */
    async createRootToken(): Promise<CreatedToken> {
      const token = generateToken('service');
      const accessor = generateAccessor();
      const lookupId = await records.lookupId(token);
      const rec = createTokenRecord(
        { lookupId, accessor, type: 'service', identity: ROOT_IDENTITY, policies: [ROOT_POLICY], ttlMs: 0 },
        now(),
      );
      const stored: StoredToken = { ...rec, displayName: 'root', metadata: {} };
      await records.batch([
        { op: 'put', key: tokenKey(lookupId), value: stored, expectedRevision: 0 },
        {
          op: 'put',
          key: accessorKey(accessor),
          value: { lookupId } satisfies AccessorEntry,
          expectedRevision: 0,
        },
      ]);
      return { token, view: viewToken(stored, now()) };
    },

    /**
     * Check a presented token and count one use. Shape and checksum are checked before any storage access; the
     * lookup is by HMAC. Failures are HUSH_E_UNAUTHENTICATED with a reason that never contains the token.
     */
    async authenticate(presented: string | undefined): Promise<StoredToken> {
      if (presented === undefined || presented === '') {
        throw hushError('NO_TOKEN_PRESENTED');
      }
      const parsed = parseToken(presented);
      if (!parsed.ok) throw hushError('TOKEN_REJECTED', { reason: parsed.reason });
      const lookupId = await records.lookupId(presented.trim());
      return retryCas(async () => {
        const found = await records.get<StoredToken>(tokenKey(lookupId));
        if (!found) throw await graves.notHeld(lookupId);
        // Checked apart from the row: a revoked token's row put back into storage (a rollback) stays refused.
        const replay = await graves.replayed(lookupId);
        if (replay) throw replay;
        const t = now();
        const why = tokenUnusableReason(found.value, t);
        if (why) {
          const expired = found.value.expiresAt !== null && t >= found.value.expiresAt;
          // Children expire no later than their parent; a used-up parent's children keep their own uses.
          if (expired) await revokeTree(found.value.accessor);
          else
            await records.batch(
              retireOps(found.value, found.revision, await hasChildren(found.value.accessor)),
            );
          throw new HushError('HUSH_E_UNAUTHENTICATED', why, {
            reason: expired ? 'token-expired' : 'token-exhausted',
          });
        }
        const { record, exhausted } = consumeTokenUse(found.value, t);
        const next = record as StoredToken;
        if (exhausted) {
          // This request is the token's last use: it goes through, and the token goes away (its children, whose
          // uses came out of its own, stay until theirs run out or they expire with it).
          await records.batch(
            retireOps(found.value, found.revision, await hasChildren(found.value.accessor)),
          );
        } else if (record !== found.value) {
          await records.batch([
            { op: 'put', key: tokenKey(lookupId), value: next, expectedRevision: found.revision },
          ]);
        }
        return next;
      });
    },

    /**
     * The synchronous fast path of `authenticate`, for the common case: a well-formed token whose row and plaintext
     * are in the caches, usable now, and without a use limit (so counting this use writes nothing). Undefined for
     * anything else (malformed, unknown, expired, exhausted, uncached, a use to count): call `authenticate`, which
     * re-reads, decides and writes with check-and-set.
     */
    peekAuthenticate(presented: string | undefined): StoredToken | undefined {
      if (presented === undefined || !parseToken(presented).ok) return undefined;
      const lookupId = records.peekLookupId(presented.trim());
      if (lookupId === undefined) return undefined;
      const cached = records.peek<StoredToken>(tokenKey(lookupId));
      if (!cached || cached.value.usesRemaining !== null || tokenUnusableReason(cached.value, now()))
        return undefined;
      // Only when the tombstone is known to be absent (cached as such); anything else takes the full path.
      if (records.peek(revokedKey(lookupId)) !== null) return undefined;
      return cached.value;
    },

    /** A token's details by token or accessor (no use counted; never returns the token). */
    async lookup(ref: TokenRef): Promise<TokenView> {
      const found = await resolve(ref);
      if (tokenUnusableReason(found.value, now())) throw NOT_FOUND_ACCESSOR(found.value.accessor);
      return viewToken(found.value, now());
    },

    /** The stored token by its text, without counting a use, or undefined when not live (for explain). */
    async findByToken(token: string): Promise<StoredToken | undefined> {
      const found = parseToken(token).ok ? await byToken(token.trim()) : undefined;
      return found && !tokenUnusableReason(found.value, now()) ? found.value : undefined;
    },

    /** The stored token by accessor, or undefined (for authorisation and explain). */
    async findByAccessor(accessor: string): Promise<StoredToken | undefined> {
      const found = await byAccessor(accessor);
      return found && !tokenUnusableReason(found.value, now()) ? found.value : undefined;
    },

    /** Extend a token's life by `incrementMs` (default its ttl), never past its max TTL. */
    async renew(ref: TokenRef, incrementMs?: number): Promise<TokenView> {
      return retryCas(async () => {
        const found = await resolve(ref);
        const next: StoredToken = { ...found.value, ...renewTokenRecord(found.value, now(), incrementMs) };
        await records.batch([
          { op: 'put', key: tokenKey(next.lookupId), value: next, expectedRevision: found.revision },
        ]);
        return viewToken(next, now());
      });
    },

    /** Revoke a token and all its descendants; returns the revoked accessors (parents first). */
    async revoke(ref: TokenRef): Promise<string[]> {
      // A token that ran out of uses is gone, but revoking it by accessor still revokes the children it left.
      if ('accessor' in ref && !(await byAccessor(ref.accessor)) && (await hasChildren(ref.accessor)))
        return revokeTree(ref.accessor, true);
      const found = await resolve(ref);
      return revokeTree(found.value.accessor, true);
    },

    /** Whether the token with `lookupId` was explicitly revoked and is still remembered so (its tombstone). */
    wasRevoked: (lookupId: string) => graves.wasRevoked(lookupId),

    /** Forget tombstones whose time is up (the leader's hourly job); returns how many went. */
    sweepRevoked: () => graves.sweep(),

    /** Every live token (for access review). */
    async list(): Promise<StoredToken[]> {
      const out: StoredToken[] = [];
      const t = now();
      for (const key of await records.keys(TOKEN_PREFIX_KEY)) {
        const found = await records.get<StoredToken>(key);
        if (found && !tokenUnusableReason(found.value, t)) out.push(found.value);
      }
      return out;
    },
  };
}

/** The token service API. */
export type TokenService = ReturnType<typeof createTokenService>;
