import type { Handle } from 'pkcs11js';
import type { ExternalKeyRef, ExternalSignRequest } from '../core/crypto/external-signer.js';
import { isHushError } from '../core/errors/hush-error.js';
import { hushError } from '../core/errors/index.js';
import type { HsmKeyKind, HsmSigner } from '../ports/hsm-signer-port.js';
import { findKeyObject, generateKeyPair, readPublicKey } from './pkcs11-key-pairs.js';
import { isSessionLost } from './pkcs11-key-session.js';
import { acquireLibrary, firstLine, type LoadedLibrary } from './pkcs11-library.js';
import { closeUserSession, findTokenSlot, openUserSession } from './pkcs11-token.js';

/** One token signing keys may live in (`keys.hsmTokens[]`), with the PIN read at start-up. */
export interface SigningTokenOptions {
  readonly id: string;
  readonly library: string;
  readonly tokenLabel: string;
  readonly pin: string;
}

// PKCS#11 3.0's CKM_EDDSA (pkcs11js 2 has no constant for it).
const CKM_EDDSA = 0x1057;
// Big enough for an RSA-4096 signature and a P-384 `r || s`.
const SIGNATURE_BUFFER = 512;

/** A logged-in session on one token, reopened once when the token restarts (never with a PIN it refused). */
interface TokenSession {
  readonly lib: LoadedLibrary;
  readonly options: SigningTokenOptions;
  session?: Handle;
  refused?: unknown;
  /** Private key handles by label (handles die with the session). */
  readonly keys: Map<string, Handle>;
}

/**
 * Log in to every signing token once (a wrong PIN fails start-up; it is never retried) and sign through them. The
 * private keys are generated inside the token, sensitive and non-extractable; only public keys and signatures leave.
 *
 * @example
 * const hsm = await openPkcs11Signer([{ id: 'signing', library, tokenLabel: 'sign', pin }]);
 * const spki = await hsm.generate({ token: 'signing', label: 'release-v1' }, 'ecdsa-p256');
 */
export async function openPkcs11Signer(tokens: readonly SigningTokenOptions[]): Promise<HsmSigner> {
  const opened = new Map<string, TokenSession>();
  try {
    for (const options of tokens) {
      const lib = await acquireLibrary(options.library);
      const token: TokenSession = { lib, options, keys: new Map() };
      opened.set(options.id, token);
      try {
        login(token);
      } catch (err) {
        lib.release();
        opened.delete(options.id);
        throw err;
      }
    }
  } catch (err) {
    for (const t of opened.values()) closeUserSession(t.lib, t.session);
    throw err;
  }

  const tokenOf = (ref: ExternalKeyRef): TokenSession => {
    const token = opened.get(ref.token);
    if (!token) {
      throw hushError('HSM_SIGNING_TOKEN_NOT_CONFIGURED', {
        token: ref.token,
        have: [...opened.keys()].join(', ') || 'none',
      });
    }
    return token;
  };
  /** Run `fn` on the token's session; a lost session is reopened (logging in again) and `fn` retried once. */
  const run = <T>(token: TokenSession, fn: (session: Handle) => T): T => {
    const current = token.session ?? login(token);
    try {
      return fn(current);
    } catch (err) {
      if (!isSessionLost(token.lib.js, err)) throw err;
      return fn(login(token));
    }
  };
  const privateKey = (token: TokenSession, session: Handle, label: string): Handle => {
    const cached = token.keys.get(label);
    if (cached !== undefined) return cached;
    const found = findKeyObject(token.lib, session, token.lib.js.CKO_PRIVATE_KEY, label);
    if (found === undefined) throw noKey(token, label);
    token.keys.set(label, found);
    return found;
  };

  return {
    tokens: [...opened.keys()],
    async generate(ref, kind: HsmKeyKind) {
      const token = tokenOf(ref);
      return run(token, (session) => {
        const { js } = token.lib;
        if (findKeyObject(token.lib, session, js.CKO_PRIVATE_KEY, ref.label) !== undefined) {
          throw hushError('HSM_KEY_LABEL_EXISTS', { label: ref.label, token: ref.token });
        }
        let pub: Handle;
        try {
          pub = generateKeyPair(token.lib, session, ref.label, kind);
        } catch (err) {
          if (isSessionLost(js, err)) throw err;
          throw hushError('HSM_REFUSED_KEY_PAIR', { token: ref.token, kind, err: firstLine(err) });
        }
        return readPublicKey(token.lib, session, pub, ref.label).spki;
      });
    },
    async publicKey(ref) {
      const token = tokenOf(ref);
      return run(token, (session) => {
        const { js } = token.lib;
        privateKey(token, session, ref.label);
        const pub = findKeyObject(token.lib, session, js.CKO_PUBLIC_KEY, ref.label);
        if (pub === undefined) throw noKey(token, ref.label);
        return readPublicKey(token.lib, session, pub, ref.label).spki;
      });
    },
    sign(ref, request) {
      const token = tokenOf(ref);
      return run(token, (session) => {
        const key = privateKey(token, session, ref.label);
        const { js, api } = token.lib;
        try {
          api.C_SignInit(session, mechanismFor(token.lib, request), key);
          return Buffer.from(api.C_Sign(session, Buffer.from(request.data), Buffer.alloc(SIGNATURE_BUFFER)));
        } catch (err) {
          if (isSessionLost(js, err)) throw err;
          throw hushError('HSM_SIGN_FAILED', { label: ref.label, token: ref.token, err: firstLine(err) });
        }
      });
    },
    async close() {
      for (const t of opened.values()) closeUserSession(t.lib, t.session);
      opened.clear();
    },
  };
}

/** (Re)open the token's session and log in; a refused PIN is remembered so it is never tried again. */
function login(token: TokenSession): Handle {
  if (token.refused !== undefined) throw token.refused;
  const { lib, options } = token;
  if (token.session !== undefined) {
    try {
      lib.api.C_CloseSession(token.session);
    } catch {
      // The old session is already gone; closing it is only tidying up.
    }
  }
  token.session = undefined;
  token.keys.clear();
  try {
    const slot = findTokenSlot(lib, options.tokenLabel);
    token.session = openUserSession(lib, slot, options.tokenLabel, options.pin);
    return token.session;
  } catch (err) {
    if (isHushError(err, 'HUSH_E_UNSEAL_FAILED')) token.refused = err;
    throw err;
  }
}

function mechanismFor(lib: LoadedLibrary, request: ExternalSignRequest) {
  const { js } = lib;
  switch (request.scheme) {
    case 'eddsa':
      return { mechanism: CKM_EDDSA };
    case 'ecdsa':
      return { mechanism: js.CKM_ECDSA };
    case 'rsa-pkcs1':
      return { mechanism: js.CKM_RSA_PKCS };
    case 'rsa-pss': {
      const hash = {
        sha256: [js.CKM_SHA256, js.CKG_MGF1_SHA256, 32],
        sha384: [js.CKM_SHA384, js.CKG_MGF1_SHA384, 48],
        sha512: [js.CKM_SHA512, js.CKG_MGF1_SHA512, 64],
      }[request.hash] as [number, number, number];
      return {
        mechanism: js.CKM_RSA_PKCS_PSS,
        parameter: { type: js.CK_PARAMS_RSA_PSS, hashAlg: hash[0], mgf: hash[1], saltLen: hash[2] },
      };
    }
  }
}

function noKey(token: TokenSession, label: string) {
  return hushError('HSM_NO_KEY_PAIR_LABELLED', { label, token: token.options.id });
}
