/** Result and option types of the client: the same shapes the store returns, over JSON. */

export type {
  InitRequest,
  InitResult,
  SealStatus as ServerSealStatus,
  UnsealRequest,
} from '../server/server-deps.js';
export type {
  DocumentFormat,
  ExportResult,
  ImportKeyResult,
  ImportReport,
  KeyringSummary,
  KeysStatus,
  ListEntry,
  MoveResult,
  ProtectorChange,
  PutResult,
  RevokeResult,
  RewrapResult,
  SealMaterialResult,
  SecretInfo,
  SecretRead,
  SecretValue,
  UnsealMaterial,
  VersionChangeResult,
  VersionInfo,
  WrappingKeyInfo,
} from '../store/index.js';

import type { ListEntry } from '../store/index.js';

/** Options of `put` (the actor is the token's identity, set by the server). */
export interface ClientPutOptions {
  /** Expected current version; 0 = create only. */
  readonly cas?: number;
  /** Label the new version pending (rotation); readers keep getting `current` until it is promoted. */
  readonly stage?: boolean;
  readonly description?: string;
  readonly tags?: Readonly<Record<string, string>>;
  readonly expiresAt?: string | null;
}

/** Options of `updateMetadata`. */
export interface ClientMetadataOptions {
  readonly cas?: number;
  readonly description?: string;
  readonly tags?: Readonly<Record<string, string>>;
  readonly expiresAt?: string | null;
}

/** Options of `list`. */
export interface ClientListOptions {
  readonly recursive?: boolean;
  readonly cursor?: string;
  readonly limit?: number;
}

/** One page of a listing, already filtered by the server to what the token may read. */
export interface ClientListResult {
  readonly prefix: string;
  readonly entries: ListEntry[];
  readonly cursor?: string;
}
