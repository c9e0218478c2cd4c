import { canonicalJson } from '../audit/canonical-json.js';
import { sha256Hex } from '../crypto/sha256.js';

/** The form of a request digest: `sha256:` and 64 hex digits. */
export const REQUEST_DIGEST = /^sha256:[0-9a-f]{64}$/;

/** What a pinned approval covers: the operation, the key (or gate) it acts on, and every item of the batch. */
export interface DigestSubject {
  /** The operation, e.g. `transit.sign` or `gates.pass`. */
  readonly operation: string;
  /** The key or gate name. */
  readonly name: string;
  /** Every item as sent (inputs, hash algorithm, prehashed, context...), in order. */
  readonly items: readonly Record<string, unknown>[];
}

/**
 * The digest an approval request can pin: SHA-256 over the canonical JSON (sorted keys, no whitespace) of the
 * operation, the name and every item in order, so changing, adding, removing or reordering one item changes it.
 * The requester computes it before asking (SDK/CLI) and the server computes it again from the request it guards.
 *
 * @example
 * requestDigest({ operation: 'transit.sign', name: 'release', items: [{ input: 'aGk=' }] }); // 'sha256:…'
 */
export function requestDigest(subject: DigestSubject): string {
  const items = subject.items.map((item) =>
    Object.fromEntries(Object.entries(item).filter(([, v]) => v !== undefined)),
  );
  return `sha256:${sha256Hex(canonicalJson({ items, name: subject.name, operation: subject.operation }))}`;
}

/** An artefact a deploy gate pass names: its file and the SHA-256 (hex) of its bytes. */
export interface GateArtefact {
  readonly file: string;
  readonly sha256: string;
}

/** The `requestDigest` of passing deploy gate `gate` with `artefacts` (in order): what a gate approval pins. */
export const gateRequestDigest = (gate: string, artefacts: readonly GateArtefact[]): string =>
  requestDigest({ operation: 'gates.pass', name: gate, items: artefacts.map((a) => ({ ...a })) });

/**
 * The `requestDigest` of a transit request on key `name` (`operation` such as `transit.sign`; one item is a batch
 * of one): what a transit approval pins.
 */
export const transitRequestDigest = (
  operation: string,
  name: string,
  items: readonly Record<string, unknown>[],
): string => requestDigest({ operation, name, items });
