import type { HushError } from '../core/errors/hush-error.js';
import { hushError } from '../core/errors/index.js';
import { type CompiledPolicy, compilePolicy } from '../core/policy/compile-policy.js';
import { type PolicyDocument, parsePolicyDocument } from '../core/policy/policy-schema.js';
import type { SealedView } from '../store/sealed-view/index.js';
import { ROOT_POLICY } from './token-service.js';

/** Prefix of stored policies. */
export const POLICY_PREFIX = 'sys/policy/';

/** The built-in `root` policy: admin on everything. It cannot be written or deleted. */
export const ROOT_POLICY_DOCUMENT: PolicyDocument = {
  name: ROOT_POLICY,
  description: 'built-in: every capability on every path',
  rules: [{ path: '**', capabilities: ['admin'] }],
};

const ROOT_COMPILED = compilePolicy(ROOT_POLICY_DOCUMENT);

function immutableRoot(): HushError {
  return hushError('ROOT_POLICY_BUILT_CANNOT_CHANGED');
}

/**
 * Policies over encrypted storage (`sys/policy/<name>`), compiled once per stored document: the record store hands
 * back the same frozen document while the row's bytes are unchanged, so a policy written by another server process
 * (new bytes, new document) is compiled afresh on its next use.
 */
export function createPolicyService(records: SealedView) {
  const compiledDocs = new WeakMap<PolicyDocument, CompiledPolicy>();

  function compiledFor(doc: PolicyDocument): CompiledPolicy {
    let c = compiledDocs.get(doc);
    if (c === undefined) {
      c = compilePolicy(parsePolicyDocument(doc));
      compiledDocs.set(doc, c);
    }
    return c;
  }

  async function compiled(name: string): Promise<CompiledPolicy | undefined> {
    if (name === ROOT_POLICY) return ROOT_COMPILED;
    const found = await records.get<PolicyDocument>(POLICY_PREFIX + name);
    return found ? compiledFor(found.value) : undefined;
  }

  return {
    /** Validate and store a policy (create or replace); `name` must equal the document's name when both are given. */
    async write(input: unknown, name?: string): Promise<PolicyDocument> {
      const doc = parsePolicyDocument(
        name !== undefined && typeof input === 'object' && input !== null && !('name' in input)
          ? { ...input, name }
          : input,
      );
      if (name !== undefined && doc.name !== name) {
        throw hushError('DOCUMENT_NAMES_POLICY_BUT_BEING', { name: doc.name, name2: name });
      }
      if (doc.name === ROOT_POLICY) throw immutableRoot();
      await records.batch([{ op: 'put', key: POLICY_PREFIX + doc.name, value: doc }]);
      return doc;
    },

    /** A policy document; HUSH_E_NOT_FOUND when there is none. */
    async read(name: string): Promise<PolicyDocument> {
      if (name === ROOT_POLICY) return structuredClone(ROOT_POLICY_DOCUMENT);
      const found = await records.get<PolicyDocument>(POLICY_PREFIX + name);
      if (!found) throw notFound(name);
      return found.value;
    },

    /** Every policy name, sorted, `root` included. */
    async list(): Promise<string[]> {
      const names = (await records.keys(POLICY_PREFIX)).map((k) => k.slice(POLICY_PREFIX.length));
      return [...new Set([ROOT_POLICY, ...names])].sort();
    },

    /** Delete a policy (tokens that name it simply lose what it granted). */
    async delete(name: string): Promise<void> {
      if (name === ROOT_POLICY) throw immutableRoot();
      const found = await records.get<PolicyDocument>(POLICY_PREFIX + name);
      if (!found) throw notFound(name);
      await records.batch([{ op: 'delete', key: POLICY_PREFIX + name, expectedRevision: found.revision }]);
    },

    /** The compiled policies among `names` that exist (unknown names grant nothing). */
    async compile(names: readonly string[]): Promise<CompiledPolicy[]> {
      const out: CompiledPolicy[] = [];
      for (const n of new Set(names)) {
        const c = await compiled(n);
        if (c) out.push(c);
      }
      return out;
    },

    /** `compile` without a promise when every named policy is in the record cache; undefined: call `compile`. */
    peekCompile(names: readonly string[]): CompiledPolicy[] | undefined {
      const out: CompiledPolicy[] = [];
      for (const n of names.length > 1 ? new Set(names) : names) {
        if (n === ROOT_POLICY) {
          out.push(ROOT_COMPILED);
          continue;
        }
        const found = records.peek<PolicyDocument>(POLICY_PREFIX + n);
        if (found === undefined) return undefined;
        if (found !== null) out.push(compiledFor(found.value));
      }
      return out;
    },
  };
}

function notFound(name: string): HushError {
  return hushError('NO_POLICY_NAMED', { name });
}

/** The policy service API. */
export type PolicyService = ReturnType<typeof createPolicyService>;
