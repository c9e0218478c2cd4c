import type { Handle } from 'pkcs11js';
import type { HushError } from '../core/errors/hush-error.js';
import { hushError } from '../core/errors/index.js';
import { firstLine, type LoadedLibrary, type Pkcs11Api, type Pkcs11Js } from './pkcs11-library.js';

/** What the token helpers need: the constants and the API of one loaded library. */
export interface TokenContext {
  readonly js: Pkcs11Js;
  readonly api: Pkcs11Api;
}

/** Token labels are blank-padded to 32 bytes by PKCS#11; compare them trimmed. */
function trimLabel(label: string): string {
  return label.replace(/[\s\0]+$/, '');
}

/**
 * The slot whose initialised token carries `tokenLabel`. A missing label is HUSH_E_CONFIG listing the labels that
 * exist, so a typo is obvious; two tokens with one label are refused (the wrong one could be picked).
 */
export function findTokenSlot(ctx: TokenContext, tokenLabel: string): Handle {
  const found: Handle[] = [];
  const labels: string[] = [];
  for (const slot of ctx.api.C_GetSlotList(true)) {
    const info = ctx.api.C_GetTokenInfo(slot);
    if ((info.flags & ctx.js.CKF_TOKEN_INITIALIZED) === 0) continue;
    const label = trimLabel(info.label);
    labels.push(label);
    if (label === tokenLabel) found.push(slot);
  }
  const [slot, second] = found;
  if (slot === undefined) {
    const have =
      labels.length > 0
        ? labels
            .sort()
            .map((l) => `"${l}"`)
            .join(', ')
        : 'none';
    throw hushError('NO_PKCS_TOKEN_LABELLED_AVAILABLE', { tokenLabel, have });
  }
  if (second !== undefined) {
    throw hushError('PKCS_TOKENS_LABELLED_RELABEL_ALL', { length: found.length, tokenLabel });
  }
  return slot;
}

/**
 * Open a read-write session on `slot` and log in as the user, exactly once: a rejected PIN is never retried, since
 * every failed attempt counts towards the token locking its user PIN. The PIN never appears in an error.
 */
export function openUserSession(ctx: TokenContext, slot: Handle, tokenLabel: string, pin: string): Handle {
  const { js, api } = ctx;
  const session = api.C_OpenSession(slot, js.CKF_SERIAL_SESSION | js.CKF_RW_SESSION);
  try {
    api.C_Login(session, js.CKU_USER, pin);
  } catch (err) {
    const code = err instanceof js.Pkcs11Error ? err.code : undefined;
    // Another opener in this process logged in to this token already (the login belongs to the application).
    if (code === js.CKR_USER_ALREADY_LOGGED_IN) return session;
    api.C_CloseSession(session);
    throw loginError(js, code, tokenLabel, err);
  }
  return session;
}

function loginError(js: Pkcs11Js, code: number | undefined, tokenLabel: string, err: unknown): HushError {
  if (code === js.CKR_PIN_INCORRECT) {
    return hushError('PKCS_PIN_REJECTED_TOKEN_NOT', { tokenLabel });
  }
  if (code === js.CKR_PIN_LOCKED) {
    return hushError('TOKEN_LOCKED_USER_PIN_AFTER', { tokenLabel });
  }
  if (code === js.CKR_PIN_LEN_RANGE || code === js.CKR_PIN_INVALID) {
    return hushError('TOKEN_REFUSED_PKCS_PIN_MALFORMED', { tokenLabel });
  }
  if (code === js.CKR_USER_PIN_NOT_INITIALIZED) {
    return hushError('TOKEN_NO_USER_PIN_YET', { tokenLabel });
  }
  return hushError('LOGIN_TOKEN_FAILED', { tokenLabel, err: firstLine(err) });
}

/** The one secret key labelled `keyLabel` in the session's token, or undefined when there is none. */
export function findSecretKey(ctx: TokenContext, session: Handle, keyLabel: string): Handle | undefined {
  const { js, api } = ctx;
  api.C_FindObjectsInit(session, [
    { type: js.CKA_CLASS, value: js.CKO_SECRET_KEY },
    { type: js.CKA_LABEL, value: keyLabel },
  ]);
  let handles: Handle[];
  try {
    handles = api.C_FindObjects(session, 2);
  } finally {
    api.C_FindObjectsFinal(session);
  }
  if (handles.length > 1) {
    throw hushError('MORE_THAN_ONE_SECRET_KEY', { keyLabel });
  }
  return handles[0];
}

/** How to create the key the config names, for "not found" messages. */
export function createKeyHint(tokenLabel: string, keyLabel: string): string {
  return `create it with \`hush operator hsm create-key --token ${tokenLabel} --key ${keyLabel}\` (or pkcs11-tool --keygen --key-type AES:32 --label ${keyLabel} --sensitive)`;
}

/** Log out (unless another opener shares the login), close the session, release the library; best effort. */
export function closeUserSession(lib: LoadedLibrary, session: Handle | undefined): void {
  if (session !== undefined) {
    if (!lib.shared()) ignore(() => lib.api.C_Logout(session));
    ignore(() => lib.api.C_CloseSession(session));
  }
  lib.release();
}

function ignore(fn: () => void): void {
  try {
    fn();
  } catch {
    // Closing is best effort: the session may already be gone, and an earlier error is the one to report.
  }
}
