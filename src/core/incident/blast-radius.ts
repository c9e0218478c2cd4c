import type { AuditRecord } from '../audit/audit-record.js';
import { compileGlob } from '../policy/path-glob.js';

/** What `hush incident report` asks: which path (exact or policy glob), over which period. */
export interface BlastRadiusQuery {
  readonly path: string;
  readonly since?: Date;
  readonly until?: Date;
}

/** One party that touched the path: an identity with every token, address and path it used. */
export interface Party {
  readonly identity: string;
  readonly tokenAccessors: string[];
  readonly sourceAddresses: string[];
  readonly paths: string[];
  readonly operations: string[];
  readonly count: number;
  readonly first: string;
  readonly last: string;
}

/** The blast radius of a leaked secret: who could have the value, who changed it, who tried and was refused. */
export interface BlastRadius {
  readonly path: string;
  readonly since: string | null;
  readonly until: string | null;
  /** Audit records examined (in the period). */
  readonly examined: number;
  /** Allowed operations that disclosed a value at the path (reads, exports, lease reads, runs, renders). */
  readonly readers: Party[];
  /** Allowed operations that changed it (writes, deletes, rollbacks, moves, imports, rotations). */
  readonly writers: Party[];
  /** Denied attempts on the path (probing, stolen tokens without the capability). */
  readonly denied: Party[];
}

/** Operations whose success hands a secret value to the caller. */
const DISCLOSING = new Set(['secrets.read', 'secrets.export']);
/** Operations that disclose every secret below their (prefix) path. */
const SUBTREE_DISCLOSING = new Set(['secrets.export']);
const CHANGING_PREFIXES = [
  'secrets.write',
  'secrets.delete',
  'secrets.rollback',
  'secrets.move',
  'secrets.import',
];

/** Which list a matching record belongs to; undefined for errors and operations that neither read nor change. */
function classify(r: AuditRecord): 'readers' | 'writers' | 'denied' | undefined {
  if (r.outcome === 'denied') return 'denied';
  if (r.outcome !== 'allowed') return undefined;
  if (DISCLOSING.has(r.operation)) return 'readers';
  const changes = CHANGING_PREFIXES.some((p) => r.operation.startsWith(p)) || r.operation.includes('rotate');
  return changes ? 'writers' : undefined;
}

/**
 * Fold audit records into a blast-radius report for `query`. A record matches when its path matches the query
 * (exact or glob) or, for subtree operations such as export, when the queried path lies below the record's prefix.
 * Records outside [since, until) are skipped. Pure: feed it any iterable of records (files, a test's array).
 *
 * @example
 * const report = blastRadius(records, { path: 'payments/prod/db-password', since: new Date('2026-11-01') });
 * report.readers.map((p) => p.identity); // ['approle:payments-api', 'user:amy']
 */
export function blastRadius(records: Iterable<AuditRecord>, query: BlastRadiusQuery): BlastRadius {
  const acc = blastRadiusAccumulator(query);
  for (const r of records) acc.add(r);
  return acc.result();
}

/** The streaming form of {@link blastRadius}: add records one by one (e.g. from audit files), then read the result. */
export function blastRadiusAccumulator(query: BlastRadiusQuery): {
  add(record: AuditRecord): void;
  result(): BlastRadius;
} {
  const glob = compileGlob(query.path);
  const literal = !/[*?[]/.test(query.path);
  const since = query.since?.getTime();
  const until = query.until?.getTime();
  const parties = { readers: new Map<string, MutableParty>(), writers: new Map(), denied: new Map() };
  let examined = 0;
  return {
    add(r) {
      const t = Date.parse(r.time);
      if (since !== undefined && !(t >= since)) return;
      if (until !== undefined && !(t < until)) return;
      examined++;
      if (r.path === null || !touches(r, glob, literal ? query.path : undefined)) return;
      const kind = classify(r);
      if (kind) add(parties[kind], r);
    },
    result: () => ({
      path: query.path,
      since: query.since?.toISOString() ?? null,
      until: query.until?.toISOString() ?? null,
      examined,
      readers: finish(parties.readers),
      writers: finish(parties.writers),
      denied: finish(parties.denied),
    }),
  };
}

function touches(r: AuditRecord, glob: ReturnType<typeof compileGlob>, literal: string | undefined): boolean {
  const path = r.path ?? '';
  try {
    if (glob.matches(path)) return true;
  } catch {
    // A record may carry a path that is not a valid secret path (a rejected request): it cannot match the glob.
  }
  const prefix = path.replace(/\/+$/, '');
  return (
    literal !== undefined &&
    SUBTREE_DISCLOSING.has(r.operation) &&
    (prefix === '' || literal.startsWith(`${prefix}/`))
  );
}

interface MutableParty {
  identity: string;
  tokenAccessors: Set<string>;
  sourceAddresses: Set<string>;
  paths: Set<string>;
  operations: Set<string>;
  count: number;
  first: string;
  last: string;
}

function add(into: Map<string, MutableParty>, r: AuditRecord): void {
  const identity = r.identity ?? '(unauthenticated)';
  let p = into.get(identity);
  if (!p) {
    p = {
      identity,
      tokenAccessors: new Set(),
      sourceAddresses: new Set(),
      paths: new Set(),
      operations: new Set(),
      count: 0,
      first: r.time,
      last: r.time,
    };
    into.set(identity, p);
  }
  if (r.tokenAccessor) p.tokenAccessors.add(r.tokenAccessor);
  if (r.sourceAddress) p.sourceAddresses.add(r.sourceAddress);
  if (r.path) p.paths.add(r.path);
  p.operations.add(r.operation);
  p.count++;
  if (r.time < p.first) p.first = r.time;
  if (r.time > p.last) p.last = r.time;
}

function finish(parties: Map<string, MutableParty>): Party[] {
  return [...parties.values()]
    .map((p) => ({
      identity: p.identity,
      tokenAccessors: [...p.tokenAccessors].sort(),
      sourceAddresses: [...p.sourceAddresses].sort(),
      paths: [...p.paths].sort(),
      operations: [...p.operations].sort(),
      count: p.count,
      first: p.first,
      last: p.last,
    }))
    .sort((a, b) => b.count - a.count || a.identity.localeCompare(b.identity));
}
