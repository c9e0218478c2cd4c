import type { Rule, Severity } from '../rules/rule.js';

/** One detected secret. `secret` stays in memory only (masking, baseline hashing); reports never print it raw. */
export interface Finding {
  readonly ruleId: string;
  readonly title: string;
  readonly severity: Severity;
  /** File path or virtual location (`outer.tar!inner.zip!path`, `image!abc123!etc/app.env`, `-` for stdin). */
  readonly path: string;
  /** 1-based line and column of the start (of the encoded text when the secret hid in a decoded layer). */
  readonly line: number;
  readonly column: number;
  readonly endLine: number;
  readonly endColumn: number;
  readonly secret: string;
  /** Hex SHA-256 of `ruleId:secret`: stable across moves, rebases and commits (baselines key on it). */
  readonly fingerprint: string;
  readonly commit?: string;
  readonly author?: string;
  readonly date?: string;
  /** Set when found inside a decoded layer, e.g. `base64`. */
  readonly layer?: string;
  /** What to do about it, when the rule knows better than "rotate and remove" (binary formats: snapshots, BYOK). */
  readonly remediation?: string;
}

/** Options of a pure text scan. */
export interface ScanTextOptions {
  /** Path or virtual location, for reports and path-aware filters (lockfiles). */
  readonly path: string;
  /** Rules to use (default: the built-in catalogue plus none). */
  readonly rules?: readonly Rule[];
  /** Line number of the first line of `text` (for chunks of a larger file); default 1. */
  readonly firstLine?: number;
  /** Column of the text's first character (windows that start inside a long line); default 1. */
  readonly firstColumn?: number;
  /**
   * Lines longer than this are minified: generic rules run there only in windows around their keywords, and
   * generic rules without keywords not at all (default 4096 chars).
   */
  readonly minifiedLineLength?: number;
  /** Decode base64 layers (k8s Secret data, docker auths, Basic auth); default true. */
  readonly decodeLayers?: boolean;
  /**
   * Polled between rules and every few hundred candidates: once it returns true the scan throws
   * {@link ScanInterrupted} (how `--time-budget` reaches inside one large file).
   */
  readonly expired?: () => boolean;
  /** Run rule patterns over the whole text instead of the regions around keywords (an oracle for tests). */
  readonly wholeText?: boolean;
}

/** A compiled rule set: the rules plus the prefilter that selects them. Build once, scan many texts. */
export interface RuleSet {
  readonly rules: readonly Rule[];
  /** Indexes of the rules whose keywords occur in `text` (case-insensitive), plus the always-run rules. */
  select(text: string | Uint8Array): number[];
  /**
   * The rules whose keywords occur in `text`, each with the offsets where a keyword ends (always-run: none). On
   * bytes the offsets are byte offsets, equal to string offsets only for ASCII content. Rules with `paths` are
   * kept only when `path` matches; those without keywords are selected by the path alone (no positions).
   */
  locate(text: string | Uint8Array, path?: string): RuleHits[];
}

/** One selected rule and where its keywords were seen (`positions` absent for always-run rules). */
export interface RuleHits {
  readonly rule: number;
  readonly positions?: readonly number[];
}

/** Thrown by the engine when `expired()` said the time budget ran out in the middle of a text. */
export class ScanInterrupted extends Error {
  constructor() {
    super('scan interrupted: time budget spent');
    this.name = 'ScanInterrupted';
  }
}
