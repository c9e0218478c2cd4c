import type { RecordOp, SealedView, Versioned } from '../store/sealed-view/index.js';
import type { createRevokedTokens } from './revoked-tokens.js';
import {
  type AccessorEntry,
  accessorKey,
  childKey,
  childrenPrefix,
  type StoredToken,
  tokenKey,
} from './token-records.js';

/** Revocation of a token with its descendants (the tree of tokens each minted below its parent). */
export function createTokenTree(
  records: SealedView,
  now: () => number,
  graves: ReturnType<typeof createRevokedTokens>,
  byAccessor: (accessor: string) => Promise<Versioned<StoredToken> | undefined>,
) {
  /**
   * Revoke `accessor` and every descendant in one atomic batch; returns the revoked accessors. `remember`: leave a
   * tombstone per token (an explicit revocation), so a later use is audited as a revoked token of its identity;
   * tokens removed because they expired or ran out of uses need none (their own reason is reported at the time).
   */
  async function revokeTree(accessor: string, remember = false): Promise<string[]> {
    const root = await byAccessor(accessor);
    // A used-up token's row is gone, but the children it minted (with its uses) may live on below it.
    if (!root && !(await hasChildren(accessor))) return [];
    const revoked: string[] = [];
    const seen = new Set([accessor]);
    const at = now();
    // Passes until no new child shows up. A create fences on its parent's row, so one that had not committed when
    // this pass deleted the parent fails; one that committed after this pass listed the parent's children left an
    // edge that the next pass finds. Rows are deleted without a revision check, so a busy token (uses counted on
    // every request) cannot make its own revocation lose to check-and-set.
    const frontier = [accessor];
    let strayEdges: string[] = [];
    const parent = root?.value.parentAccessor ?? null;
    if (parent !== null) strayEdges.push(childKey(parent, accessor));
    while (frontier.length > 0 || strayEdges.length > 0) {
      const ops: RecordOp[] = strayEdges.map((key) => ({ op: 'delete' as const, key }));
      const pass: string[] = [];
      for (let acc = frontier.shift(); acc !== undefined; acc = frontier.shift()) {
        const entry = await records.get<AccessorEntry>(accessorKey(acc));
        if (entry) {
          const lookupId = entry.value.lookupId;
          ops.push({ op: 'delete', key: tokenKey(lookupId) }, { op: 'delete', key: accessorKey(acc) });
          const token = remember ? await records.get<StoredToken>(tokenKey(lookupId)) : undefined;
          if (token) ops.push(graves.tombstoneOp(token.value, at));
          revoked.push(acc);
        }
        pass.push(acc);
        for (const edge of await records.keys(childrenPrefix(acc))) {
          ops.push({ op: 'delete', key: edge });
          const child = edge.slice(childrenPrefix(acc).length);
          if (!seen.has(child)) {
            seen.add(child); // a corrupt cycle must not loop forever
            frontier.push(child);
          }
        }
      }
      await records.batch(ops);
      // Edges written since this pass listed them: children created meanwhile, revoked by the next pass.
      strayEdges = [];
      for (const acc of pass) {
        for (const edge of await records.keys(childrenPrefix(acc))) {
          strayEdges.push(edge);
          const child = edge.slice(childrenPrefix(acc).length);
          if (!seen.has(child)) {
            seen.add(child);
            frontier.push(child);
          }
        }
      }
    }
    return revoked;
  }

  /** Whether `accessor` has (had) children whose edges are still stored. */
  const hasChildren = async (accessor: string) => (await records.keys(childrenPrefix(accessor))).length > 0;

  return { revokeTree, hasChildren };
}

/**
 * Delete a token that ran out of uses: its own rows, with no tombstone (its reason is told at the time) and without
 * its children, whose uses came out of its own (see `shareUses`) and which expire with it. Its parent's edge to it
 * goes only when it has no children (`keepEdge` false): otherwise revoking an ancestor must still walk through it
 * to them (the walk follows edges, not rows).
 */
export function retireOps(token: StoredToken, revision: number, keepEdge: boolean): RecordOp[] {
  const ops: RecordOp[] = [
    { op: 'delete', key: tokenKey(token.lookupId), expectedRevision: revision },
    { op: 'delete', key: accessorKey(token.accessor) },
  ];
  if (token.parentAccessor !== null && !keepEdge)
    ops.push({ op: 'delete', key: childKey(token.parentAccessor, token.accessor) });
  return ops;
}

/** The edges linking `child` below `parent` (and `parent` below its own parent, whose row may be gone). */
export function edgeOps(parent: StoredToken, child: string): RecordOp[] {
  const ops: RecordOp[] = [
    { op: 'put', key: childKey(parent.accessor, child), value: {}, expectedRevision: 0 },
  ];
  if (parent.parentAccessor !== null)
    ops.push({ op: 'put', key: childKey(parent.parentAccessor, parent.accessor), value: {} });
  return ops;
}
