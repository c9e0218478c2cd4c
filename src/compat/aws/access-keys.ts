import { randomBytes } from 'node:crypto';
import { hushError, isHushError } from '../../core/errors/index.js';
import { type IdentityServices, ROOT_POLICY, type StoredToken } from '../../identity/index.js';
import type { SealedView, SealedViewSpec } from '../../store/sealed-view/index.js';

/**
 * AWS access keys that Hush issues. Each key is bound to a Hush token minted for it (with the policies asked for,
 * under the creator's token as parent), so a request signed with the key acts as that token: the same policies,
 * the same audit identity, and revoking the token (directly, by incident response, by its parent) disables the key.
 * The secret access key is kept sealed under its own keyring (SigV4 needs it to recompute signatures).
 */

/** Sealed beside the other reserved keyrings; `@` cannot start a project name, so no project collides. */
export const AWS_KEYRING = { project: '@aws', environment: 'v1' } as const;
const PREFIX = 'aws/keys/';
/** Access key ids look like AWS's (20 upper-case characters) with a prefix of their own: `HKIA...`. */
export const ACCESS_KEY_ID = /^HKIA[A-Z2-7]{16}$/;
const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

interface AccessKeyRecord {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  /** The bound token (sealed with the record). */
  readonly token: string;
  readonly tokenAccessor: string;
  readonly identity: string;
  readonly policies: readonly string[];
  readonly description: string;
  readonly createdAt: string;
  readonly createdBy: string;
  readonly expiresAt: string | null;
}

/** An access key as listed: never its secret nor its token. */
export interface AccessKeyView {
  readonly accessKeyId: string;
  readonly identity: string;
  readonly policies: readonly string[];
  readonly description: string;
  readonly tokenAccessor: string;
  readonly createdAt: string;
  readonly createdBy: string;
  readonly expiresAt: string | null;
}

/** What creating a key returns: the only time the secret access key leaves the server. */
export interface CreatedAccessKey extends AccessKeyView {
  readonly secretAccessKey: string;
}

/** Options of {@link AccessKeys.create}. */
export interface CreateAccessKeyInput {
  readonly policies?: readonly string[];
  readonly ttlMs?: number;
  readonly description?: string;
}

function newKeyId(): string {
  const bytes = randomBytes(16);
  let id = 'HKIA';
  for (const b of bytes) id += BASE32[b & 31];
  return id;
}

function view(r: AccessKeyRecord): AccessKeyView {
  const { secretAccessKey: _s, token: _t, ...rest } = r;
  return rest;
}

/** Access key issue, listing, revocation and lookup over sealed records. */
export function createAccessKeys(deps: {
  readonly records: SealedView;
  readonly identity: Pick<IdentityServices, 'tokens' | 'clock'>;
}) {
  const { records, identity } = deps;
  return {
    /** Mint a token for the key (child of `parent`: the usual policy-subset rule applies) and seal both. */
    async create(parent: StoredToken, input: CreateAccessKeyInput, actor: string): Promise<CreatedAccessKey> {
      // A key inherits the creator's policies when none are named: from a root token that would be a root key,
      // a long-lived secret pasted into application configuration. Refused, by default or by name.
      if ((input.policies ?? parent.policies).includes(ROOT_POLICY))
        throw hushError('AWS_ACCESS_KEY_ROOT_POLICY');
      const accessKeyId = newKeyId();
      const minted = await identity.tokens.create(
        {
          ...(input.policies ? { policies: input.policies } : {}),
          // Clamped by the token service to its maximum TTL: an access key lives as long as a token may.
          ttlMs: input.ttlMs ?? Number.MAX_SAFE_INTEGER,
          displayName: `aws-${accessKeyId}`,
          metadata: { awsAccessKeyId: accessKeyId },
          renewable: false,
        },
        parent,
      );
      const record: AccessKeyRecord = {
        accessKeyId,
        secretAccessKey: randomBytes(30).toString('base64'),
        token: minted.token,
        tokenAccessor: minted.view.accessor,
        identity: minted.view.identity,
        policies: minted.view.policies,
        description: input.description ?? '',
        createdAt: identity.clock().toISOString(),
        createdBy: actor,
        expiresAt: minted.view.expiresAt,
      };
      try {
        await records.batch([{ op: 'put', key: PREFIX + accessKeyId, value: record, expectedRevision: 0 }]);
      } catch (err) {
        // No key without its record: the token minted for it must not outlive the failure.
        await identity.tokens.revoke({ accessor: minted.view.accessor }).catch(() => undefined);
        throw err;
      }
      return { ...view(record), secretAccessKey: record.secretAccessKey };
    },
    /** Every key, newest first. */
    async list(): Promise<AccessKeyView[]> {
      const out: AccessKeyView[] = [];
      for (const key of await records.keys(PREFIX)) {
        const found = await records.get<AccessKeyRecord>(key);
        if (found) out.push(view(found.value));
      }
      return out.sort((a, b) => b.createdAt.localeCompare(a.createdAt));
    },
    /** Revoke the bound token (and what it obtained) and forget the key; unknown ids are HUSH_E_NOT_FOUND. */
    async revoke(accessKeyId: string): Promise<AccessKeyView> {
      const found = ACCESS_KEY_ID.test(accessKeyId)
        ? await records.get<AccessKeyRecord>(PREFIX + accessKeyId)
        : undefined;
      if (!found) throw hushError('AWS_ACCESS_KEY_NOT_FOUND', { accessKeyId: accessKeyId.slice(0, 32) });
      await identity.tokens.revoke({ accessor: found.value.tokenAccessor }).catch((err: unknown) => {
        // Already gone (expired, revoked by incident response): the key only has to be forgotten.
        if (!isHushError(err, 'HUSH_E_NOT_FOUND')) throw err;
      });
      await records.batch([{ op: 'delete', key: PREFIX + accessKeyId, expectedRevision: found.revision }]);
      return view(found.value);
    },
    /** The secret and token of a key, for SigV4 verification; undefined when no such key exists. */
    async credentials(accessKeyId: string): Promise<{ secret: string; token: string } | undefined> {
      if (!ACCESS_KEY_ID.test(accessKeyId)) return undefined;
      const found = await records.get<AccessKeyRecord>(PREFIX + accessKeyId);
      return found ? { secret: found.value.secretAccessKey, token: found.value.token } : undefined;
    },
  };
}

/** The access key service. */
export type AccessKeys = ReturnType<typeof createAccessKeys>;

/** Access keys' view: sealed under the `@aws` keyring, below `aws/`. */
export const AWS_VIEW: SealedViewSpec = {
  name: 'aws',
  prefixes: ['aws/'],
  keyring: AWS_KEYRING,
  info: { lookup: 'hush aws lookup v1', record: 'hush aws record v1' },
};
