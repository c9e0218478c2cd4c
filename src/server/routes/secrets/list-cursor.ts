import { openAead, sealAead } from '../../../core/crypto/aead.js';
import { hushError, isHushError } from '../../../core/errors/index.js';

/** What a list cursor is bound to: it only continues the same listing for the same caller. */
export interface ListCursorBinding {
  readonly callerId: string;
  readonly prefix: string;
  readonly recursive: boolean;
}

/** Seals and opens the cursors `GET /v1/list` hands out. */
export interface ListCursors {
  /** Wrap a store position so that the caller learns nothing from it (AES-256-GCM under a server key). */
  seal(position: string, binding: ListCursorBinding): Promise<string>;
  /** The store position inside a cursor this server sealed for the same binding; HUSH_E_INVALID_INPUT otherwise. */
  open(cursor: string, binding: ListCursorBinding): Promise<string>;
}

function aadOf(binding: ListCursorBinding) {
  return {
    purpose: 'list-cursor',
    caller: binding.callerId,
    prefix: binding.prefix,
    recursive: binding.recursive ? 1 : 0,
  };
}

/**
 * List cursors as authenticated ciphertext: the store's position (which may sit on a name the caller cannot read)
 * never reaches the caller in the clear, and a cursor made for one caller, prefix or mode opens for no other. `key`
 * is a 256-bit key shared by every node (derived from the sealed identity keyring), so any node continues a page.
 *
 * @example
 * const cursors = createListCursors(() => keys.subkeys().then((k) => k.record));
 */
export function createListCursors(key: () => Promise<Buffer>): ListCursors {
  return {
    async seal(position, binding) {
      return sealAead(await key(), Buffer.from(position, 'utf8'), aadOf(binding)).toString('base64url');
    },
    async open(cursor, binding) {
      const envelope = Buffer.from(cursor, 'base64url');
      if (envelope.toString('base64url') !== cursor) throw hushError('LIST_CURSOR_NOT_VALID');
      try {
        return openAead(await key(), envelope, aadOf(binding), 'list cursor').toString('utf8');
      } catch (err) {
        if (isHushError(err, 'HUSH_E_INTEGRITY')) throw hushError('LIST_CURSOR_NOT_VALID');
        throw err;
      }
    },
  };
}
