import type { z } from 'zod';
import { isHushError } from '../../../core/errors/index.js';
import { filterReadable } from '../../../core/policy/index.js';
import type { SecretInfo } from '../../../store/index.js';
import type { AwsCall } from '../aws-call.js';
import { AwsError } from '../aws-error.js';
import { parseInput } from '../aws-input.js';
import { describe } from './secret-reads.js';
import { awsTags, deletionDate, isGone } from './secret-state.js';
import type { SecretsManagerDeps } from './secrets-manager-deps.js';
import { listSecretsInput } from './secrets-manager-schemas.js';

type Filter = NonNullable<z.infer<typeof listSecretsInput>['Filters']>[number];

/** AWS filter semantics: each value a prefix (`!` negates); values of one filter OR, filters AND. */
function matches(filter: Filter, name: string, info: SecretInfo): boolean {
  const tags = awsTags(info.tags);
  const fields: Record<string, string[]> = {
    name: [name],
    description: [(info.description ?? '').toLowerCase()],
    'tag-key': tags.map((t) => t.Key),
    'tag-value': tags.map((t) => t.Value),
    'primary-region': [],
    'owning-service': [],
  };
  const candidates = filter.Key === 'all' ? Object.values(fields).flat() : (fields[filter.Key] ?? []);
  const positive = filter.Values.filter((v) => !v.startsWith('!'));
  const negative = filter.Values.filter((v) => v.startsWith('!')).map((v) => v.slice(1));
  const prefixOf = (value: string) => (c: string) =>
    filter.Key === 'description' ? c.startsWith(value.toLowerCase()) : c.startsWith(value);
  if (negative.some((v) => candidates.some(prefixOf(v)))) return false;
  return positive.length === 0 || positive.some((v) => candidates.some(prefixOf(v)));
}

/** The NextToken of a page: the last name returned (the caller has seen it), in the store's cursor encoding. */
const tokenOf = (name: string) => Buffer.from(name, 'utf8').toString('base64url');

/**
 * ListSecrets: every secret the caller may `read` (as `GET /v1/list` filters), in name order, with AWS's filters,
 * `MaxResults` (default 100) and `NextToken`. Secrets scheduled for deletion only with IncludePlannedDeletion.
 */
export async function listSecrets(deps: SecretsManagerDeps, call: AwsCall, raw: unknown) {
  const input = parseInput(listSecretsInput, raw);
  const max = input.MaxResults ?? 100;
  const now = deps.clock();
  const policies = await deps.policiesFor(call.caller);
  const readable = (e: { path: string; kind: string }) =>
    e.kind === 'secret' && filterReadable(policies, [e.path], now).length === 1;
  if (input.NextToken !== undefined && !/^[A-Za-z0-9_-]*$/.test(input.NextToken))
    throw new AwsError('InvalidNextTokenException', 'The NextToken value is not valid.');
  let cursor = input.NextToken;
  const out: ReturnType<typeof describe>[] = [];
  let last: string | undefined;
  let more = false;
  for (;;) {
    let page: Awaited<ReturnType<SecretsManagerDeps['store']['list']>>;
    try {
      page = await deps.store.list('', {
        recursive: true,
        accept: readable,
        limit: max,
        ...(cursor !== undefined ? { cursor } : {}),
      });
    } catch (err) {
      if (isHushError(err, 'HUSH_E_INVALID_INPUT') || isHushError(err, 'HUSH_E_USAGE'))
        throw new AwsError('InvalidNextTokenException', 'The NextToken value is not valid.');
      throw err;
    }
    for (const entry of page.entries) {
      if (out.length === max) {
        more = true;
        break;
      }
      const info = await deps.store.versions(entry.path).catch((err: unknown) => {
        if (isHushError(err, 'HUSH_E_NOT_FOUND')) return undefined; // deleted meanwhile
        throw err;
      });
      last = entry.path;
      if (!info || isGone(info, now)) continue;
      if (deletionDate(info) !== undefined && input.IncludePlannedDeletion !== true) continue;
      if (!(input.Filters ?? []).every((f) => matches(f, entry.path, info))) continue;
      const { VersionIdsToStages, ...rest } = describe(call.region, entry.path, info);
      out.push({ ...rest, SecretVersionsToStages: VersionIdsToStages } as never);
    }
    if (more || page.cursor === undefined) break;
    cursor = page.cursor;
  }
  call.note({ details: { shown: out.length } });
  // Always name order (the pages are walks of the store's key order); SortOrder is accepted and ignored.
  return { SecretList: out, ...(more && last !== undefined ? { NextToken: tokenOf(last) } : {}) };
}
