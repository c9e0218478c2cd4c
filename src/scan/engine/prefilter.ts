import type { Rule } from '../rules/rule.js';
import type { RuleHits, RuleSet } from './types.js';

const ALPHABET = 128;

/**
 * Aho-Corasick automaton over ASCII keywords, folded to lower case, compiled to a dense DFA so one pass over the
 * text finds every keyword (non-ASCII characters reset to the root, which is right because keywords are ASCII).
 */
interface Automaton {
  readonly next: Int32Array;
  /** For each state, the keyword ids that end there (including via suffix links). */
  readonly out: (readonly number[])[];
}

function buildAutomaton(keywords: readonly string[]): Automaton {
  const goto: Map<number, number>[] = [new Map()];
  const out: number[][] = [[]];
  keywords.forEach((kw, id) => {
    let s = 0;
    for (const ch of kw.toLowerCase()) {
      const c = ch.charCodeAt(0);
      if (c >= ALPHABET) throw new RangeError(`keyword "${kw}" is not ASCII`);
      let t = goto[s]!.get(c);
      if (t === undefined) {
        t = goto.length;
        goto.push(new Map());
        out.push([]);
        goto[s]!.set(c, t);
      }
      s = t;
    }
    out[s]!.push(id);
  });
  const n = goto.length;
  const next = new Int32Array(n * ALPHABET);
  const fail = new Int32Array(n);
  const queue: number[] = [];
  for (let c = 0; c < ALPHABET; c++) {
    const t = goto[0]!.get(c);
    if (t !== undefined) {
      next[c] = t;
      queue.push(t);
    }
  }
  for (let qi = 0; qi < queue.length; qi++) {
    const s = queue[qi]!;
    out[s]!.push(...out[fail[s]!]!);
    for (let c = 0; c < ALPHABET; c++) {
      const t = goto[s]!.get(c);
      if (t !== undefined) {
        fail[t] = next[fail[s]! * ALPHABET + c]!;
        next[s * ALPHABET + c] = t;
        queue.push(t);
      } else {
        next[s * ALPHABET + c] = next[fail[s]! * ALPHABET + c]!;
      }
    }
  }
  return { next, out };
}

/**
 * The DFA as one flat table indexed by `state * 256 + byte`, holding the next state already multiplied by 256, with
 * upper-case columns copied from lower-case ones and bytes >= 128 going to the root. A target state where a keyword
 * ends is stored bitwise-negated (`~`), so the hot loop is one load and one sign test.
 */
function flatten(next: Int32Array, states: number, hasOut: readonly boolean[]): Int32Array {
  const table = new Int32Array(states * 256);
  for (let s = 0; s < states; s++) {
    for (let c = 0; c < ALPHABET; c++) {
      const folded = c >= 65 && c <= 90 ? c + 32 : c;
      const t = next[s * ALPHABET + folded]!;
      table[s * 256 + c] = hasOut[t] ? ~(t * 256) : t * 256;
    }
  }
  return table;
}

/** Compile rules into a rule set whose prefilter picks candidate rules in one pass over the text. */
export function compileRules(rules: readonly Rule[]): RuleSet {
  const keywords: string[] = [];
  const ruleOfKeyword: number[] = [];
  const always: number[] = [];
  const byPath: number[] = [];
  rules.forEach((rule, i) => {
    if (rule.paths && rule.keywords.length === 0 && !rule.alwaysRun) byPath.push(i);
    else if (rule.alwaysRun || rule.keywords.length === 0) always.push(i);
    for (const kw of rule.keywords) {
      keywords.push(kw);
      ruleOfKeyword.push(i);
    }
  });
  const { next, out } = buildAutomaton(keywords);
  const table = flatten(
    next,
    out.length,
    out.map((o) => o.length > 0),
  );
  return {
    rules,
    select(text: string | Uint8Array): number[] {
      const seen = new Uint8Array(rules.length);
      for (const i of always) seen[i] = 1;
      let remaining = rules.length - always.length;
      const mark = (s: number): void => {
        for (const kw of out[s >> 8]!) {
          const r = ruleOfKeyword[kw]!;
          if (seen[r] === 0) remaining--;
          seen[r] = 1;
        }
      };
      let s = 0;
      const len = text.length;
      if (typeof text === 'string') {
        for (let i = 0; i < len && remaining > 0; i++) {
          const c = text.charCodeAt(i);
          s = c < 256 ? table[s + c]! : 0;
          if (s < 0) {
            s = ~s;
            mark(s);
          }
        }
      } else {
        for (let i = 0; i < len && remaining > 0; i++) {
          s = table[s + text[i]!]!;
          if (s < 0) {
            s = ~s;
            mark(s);
          }
        }
      }
      const selected: number[] = [];
      for (let i = 0; i < rules.length; i++) if (seen[i]) selected.push(i);
      return selected;
    },
    locate(text: string | Uint8Array, path = ''): RuleHits[] {
      const at: (number[] | undefined)[] = new Array(rules.length);
      const record = (state: number, i: number): void => {
        for (const kw of out[state >> 8]!) {
          const r = ruleOfKeyword[kw]!;
          const list = at[r];
          if (list === undefined) at[r] = [i];
          else if (list[list.length - 1] !== i) list.push(i);
        }
      };
      let s = 0;
      const len = text.length;
      if (typeof text === 'string') {
        for (let i = 0; i < len; i++) {
          const c = text.charCodeAt(i);
          s = c < 256 ? table[s + c]! : 0;
          if (s < 0) {
            s = ~s;
            record(s, i);
          }
        }
      } else {
        for (let i = 0; i < len; i++) {
          s = table[s + text[i]!]!;
          if (s < 0) {
            s = ~s;
            record(s, i);
          }
        }
      }
      const hits: RuleHits[] = always.map((rule) => ({ rule }));
      // Path-selected rules (key-only files) hold no keyword: the file's name is their prefilter.
      for (const r of byPath) if (rules[r]!.paths!.test(path)) hits.push({ rule: r });
      for (let r = 0; r < rules.length; r++) {
        const positions = at[r];
        const paths = rules[r]!.paths;
        if (positions !== undefined && !always.includes(r) && (!paths || paths.test(path)))
          hits.push({ rule: r, positions });
      }
      return hits;
    },
  };
}
