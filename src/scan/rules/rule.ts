/**
 * A scanner rule: uniform data plus optional functions. The rule's own `examples` must match and its
 * `falsePositives` must not: they are the rule's tests (see rules.test.ts), so every rule documents itself.
 */
export type Severity = 'critical' | 'high' | 'medium' | 'low';

/** What a rule sees for a candidate match. */
export interface RuleMatchContext {
  /** The captured secret (the `secret` named group, else group 1, else the whole match). */
  readonly secret: string;
  /** The whole regex match. */
  readonly match: string;
  /** The line the match is on (for context checks), cut to 2,048 characters each side of the match on long lines. */
  readonly line: string;
  /** The path (or virtual location) of the content, for path-aware filters; may be empty for streams. */
  readonly path: string;
}

/** One raw candidate of one rule, before engine-level filters (placeholders, allow comments, baselines). */
export interface RuleHit {
  readonly ruleId: string;
  readonly secret: string;
  /** Offset of the secret in the scanned text (UTF-16 code units). */
  readonly index: number;
  readonly match: string;
}

export interface Rule {
  /** Stable kebab-case id, e.g. `github-pat-classic`. Used in baselines and `hush:allow rule-id` comments. */
  readonly id: string;
  /** Human title, e.g. "GitHub personal access token (classic)". */
  readonly title: string;
  readonly severity: Severity;
  /**
   * Lower-case literals, at least one of which must appear in the content (case-insensitively) before the
   * pattern runs. The prefilter selects rules by these, so every rule needs at least one unless `alwaysRun`.
   */
  readonly keywords: readonly string[];
  /** The pattern (the engine adds the `g` flag). Capture the secret in a `(?<secret>...)` group. */
  readonly pattern: RegExp;
  /** Minimum Shannon entropy (bits per char) of the secret; candidates below are dropped. */
  readonly minEntropy?: number;
  /** Structural validation (checksums, lengths, decodable JSON). Return false to drop the candidate. */
  readonly validate?: (ctx: RuleMatchContext) => boolean;
  /**
   * A cheap necessary condition at a keyword occurrence (`end` = offset just past it in `text`): false when no
   * match of the pattern can contain that occurrence. The engine drops failing occurrences before running the
   * pattern, so lines that merely mention a keyword (`token` in prose) cost a few character checks.
   */
  readonly keywordFollows?: (text: string, end: number) => boolean;
  /**
   * A literal that every match of `pattern` holds at `offset` characters from the match's start (the dot of a
   * kubeadm token). The engine then tries the pattern only where the literal is (found by `indexOf`, native and
   * fast), not at every character: for a pattern that starts with a character class, that is most of its cost.
   */
  readonly anchor?: { readonly literal: string; readonly offset: number };
  /**
   * Set on rules whose regex comes from an untrusted place (a scanned repository's `.hush-scan.yaml`): the engine
   * hands this the texts to search (the regions around the rule's keywords) instead of running `pattern` itself,
   * and gets each text's hits back. It runs the pattern in a worker thread under a time budget (see
   * scan/config/regex-sandbox.ts), so a regex that backtracks for minutes costs a bounded time and a warning.
   */
  readonly matchOutside?: (texts: readonly string[]) => readonly (readonly RuleHit[])[];
  /**
   * Run only on files whose path matches. A rule with `paths` and no keywords is selected by the path alone, for
   * files whose content has no keyword (a Rails `master.key` is 32 hex digits); the path test costs nothing per byte.
   */
  readonly paths?: RegExp;
  /** Run even when no keyword is present (rare: generic high-entropy rules). */
  readonly alwaysRun?: boolean;
  /**
   * A generic rule (assignment-style patterns rather than a vendor format). The engine applies stricter
   * false-positive filters to generic rules (off in lockfiles and minified lines; digests, UUIDs, integrity hashes,
   * data URIs and public keys dropped). Default: true for ids starting `generic-` and for `alwaysRun` rules.
   */
  readonly generic?: boolean;
  /**
   * A catch-all for its files (any password setting in a credential file): its finding is dropped when a specific rule
   * found the same value (a `hush_` token in `.env` is one finding, the token's, not two).
   */
  readonly fallback?: boolean;
  /**
   * The path its examples and look-alikes are tested under, for rules that judge the file they are in (credential
   * files, key-only files); `example.txt` when absent.
   */
  readonly examplePath?: string;
  /** Strings (whole file snippets) that must produce at least one finding of this rule. */
  readonly examples: readonly string[];
  /** Look-alikes that must produce no finding of this rule. */
  readonly falsePositives: readonly string[];
}
