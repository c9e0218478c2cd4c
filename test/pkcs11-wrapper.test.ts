import type { PKCS11 } from 'pkcs11js';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createHsmKey, openPkcs11, type Pkcs11Api } from '../src/hsm/index.js';
import { acquireLibrary } from '../src/hsm/pkcs11-library.js';
import { findSecretKey, findTokenSlot, openUserSession } from '../src/hsm/pkcs11-token.js';
import { describeWithSoftHsm, type SoftHsm, startSoftHsm } from './support/softhsm.js';

const PIN = '246813';
const TOKEN = 'hush-wrap';
let hsm: SoftHsm;

/** Count C_Login calls on the real library (the calls still reach SoftHSM). */
function loginCounter() {
  const counter = { logins: 0, instrument: (api: Pkcs11Api): Pkcs11Api => api };
  counter.instrument = (api) =>
    new Proxy(api, {
      get(target, prop, receiver) {
        const value = Reflect.get(target, prop, receiver);
        if (prop !== 'C_Login' || typeof value !== 'function')
          return typeof value === 'function' ? value.bind(target) : value;
        return (...args: unknown[]) => {
          counter.logins += 1;
          return (value as (...a: unknown[]) => unknown).apply(target, args);
        };
      },
    });
  return counter;
}

/** The token's flags, read through a fresh initialisation of the library (so state written by others is seen). */
async function tokenFlags(label: string): Promise<{ countLow: boolean; finalTry: boolean; locked: boolean }> {
  const lib = await acquireLibrary(hsm.library);
  try {
    const { flags } = lib.api.C_GetTokenInfo(findTokenSlot(lib, label));
    return {
      countLow: (flags & lib.js.CKF_USER_PIN_COUNT_LOW) !== 0,
      finalTry: (flags & lib.js.CKF_USER_PIN_FINAL_TRY) !== 0,
      locked: (flags & lib.js.CKF_USER_PIN_LOCKED) !== 0,
    };
  } finally {
    lib.release();
  }
}

describeWithSoftHsm('PKCS#11 key wrapper on SoftHSM2', () => {
  beforeAll(async () => {
    hsm = await startSoftHsm();
    hsm.initToken(TOKEN, PIN);
    hsm.initToken('other-token', PIN);
    await createHsmKey({ library: hsm.library, tokenLabel: TOKEN, keyLabel: 'kek', pin: PIN });
  });
  afterAll(async () => {
    await hsm?.cleanup();
  });

  const open = (extra: Partial<Parameters<typeof openPkcs11>[0]> = {}) =>
    openPkcs11({ library: hsm.library, tokenLabel: TOKEN, keyLabel: 'kek', pin: PIN, ...extra });

  it('wraps and unwraps with AES-GCM inside the HSM; the blob names its mechanism and a fresh IV', async () => {
    const w = await open();
    try {
      expect(w.mechanism).toBe('aes-gcm');
      const secret = Buffer.alloc(32, 0xab);
      const a = await w.wrap(secret, 'keyring:app/prod');
      const b = await w.wrap(secret, 'keyring:app/prod');
      expect(a.subarray(0, 6)).toEqual(Buffer.from([0x48, 0x53, 0x4d, 1, 1, 12]));
      expect(a.length).toBe(6 + 12 + 32 + 16);
      expect(a.equals(b)).toBe(false);
      expect(a.includes(secret)).toBe(false);
      expect(await w.unwrap(a, 'keyring:app/prod')).toEqual(secret);
      expect(await w.unwrap(b, 'keyring:app/prod')).toEqual(secret);
    } finally {
      await w.close();
    }
  });

  it('a tampered blob, another purpose or a damaged header fail with HUSH_E_INTEGRITY', async () => {
    const w = await open();
    try {
      const blob = await w.wrap(Buffer.alloc(32, 1), 'p1');
      for (const at of [8, 20, blob.length - 1]) {
        const bad = Buffer.from(blob);
        bad[at] = (bad[at] ?? 0) ^ 1;
        await expect(w.unwrap(bad, 'p1')).rejects.toMatchObject({ code: 'HUSH_E_INTEGRITY' });
      }
      await expect(w.unwrap(blob, 'p2')).rejects.toMatchObject({
        code: 'HUSH_E_INTEGRITY',
        message: expect.stringMatching(/does not open with this HSM key and purpose/),
      });
      const header = Buffer.from(blob);
      header[3] = 9;
      await expect(w.unwrap(header, 'p1')).rejects.toMatchObject({
        code: 'HUSH_E_INTEGRITY',
        message: expect.stringMatching(/version 9 is not supported/),
      });
      expect(await w.unwrap(blob, 'p1')).toEqual(Buffer.alloc(32, 1));
    } finally {
      await w.close();
    }
  });

  it('falls back to AES key wrap with padding, still bound to the purpose', async () => {
    const w = await open({ mechanism: 'aes-key-wrap-pad' });
    try {
      const secret = Buffer.from('a 35-byte value that is not aligned');
      const blob = await w.wrap(secret, 'p');
      expect(blob[4]).toBe(2);
      expect(blob[5]).toBe(0);
      expect(await w.unwrap(blob, 'p')).toEqual(secret);
      await expect(w.unwrap(blob, 'q')).rejects.toMatchObject({ code: 'HUSH_E_INTEGRITY' });
      const bad = Buffer.from(blob);
      bad[10] = (bad[10] ?? 0) ^ 1;
      await expect(w.unwrap(bad, 'p')).rejects.toMatchObject({ code: 'HUSH_E_INTEGRITY' });
    } finally {
      await w.close();
    }
    // A GCM wrapper opens key-wrap blobs too: the blob says how it was made.
    const k = await open({ mechanism: 'aes-key-wrap-pad' });
    const g = await open();
    try {
      expect(await g.unwrap(await k.wrap(Buffer.alloc(16, 3)))).toEqual(Buffer.alloc(16, 3));
    } finally {
      await k.close();
      await g.close();
    }
  });

  it('creates a sensitive, non-extractable AES-256 key whose value cannot be read, and refuses a duplicate label', async () => {
    await createHsmKey({ library: hsm.library, tokenLabel: TOKEN, keyLabel: 'fresh', pin: PIN });
    const lib = await acquireLibrary(hsm.library);
    const session = openUserSession(lib, findTokenSlot(lib, TOKEN), TOKEN, PIN);
    try {
      const key = findSecretKey(lib, session, 'fresh');
      expect(key).toBeDefined();
      const { js, api } = lib;
      const attrs = api.C_GetAttributeValue(session, key as Buffer, [
        { type: js.CKA_TOKEN },
        { type: js.CKA_SENSITIVE },
        { type: js.CKA_EXTRACTABLE },
        { type: js.CKA_NEVER_EXTRACTABLE },
        { type: js.CKA_VALUE_LEN },
      ]);
      const value = (i: number) => attrs[i]?.value as Buffer;
      const bool = (i: number) => value(i)[0];
      expect([bool(0), bool(1), bool(2), bool(3)]).toEqual([1, 1, 0, 1]);
      expect(value(4).readUInt32LE(0)).toBe(32);
      expect(() => api.C_GetAttributeValue(session, key as Buffer, [{ type: js.CKA_VALUE }])).toThrow(
        /CKR_ATTRIBUTE_SENSITIVE/,
      );
    } finally {
      lib.api.C_Logout(session);
      lib.api.C_CloseSession(session);
      lib.release();
    }
    await expect(
      createHsmKey({ library: hsm.library, tokenLabel: TOKEN, keyLabel: 'fresh', pin: PIN }),
    ).rejects.toMatchObject({
      code: 'HUSH_E_ALREADY_EXISTS',
      message: expect.stringMatching(/"fresh" already exists/),
    });
  });

  it('a missing token lists the labels there are; a missing key is named with how to create it', async () => {
    await expect(open({ tokenLabel: 'nope' })).rejects.toMatchObject({
      code: 'HUSH_E_CONFIG',
      message: expect.stringMatching(
        /^no PKCS#11 token labelled "nope" \(available token labels: "hush-wrap", "other-token"\)/,
      ),
    });
    await expect(open({ keyLabel: 'absent' })).rejects.toMatchObject({
      code: 'HUSH_E_CONFIG',
      message: expect.stringMatching(
        /no secret key labelled "absent" on PKCS#11 token "hush-wrap"; create it with `hush operator hsm create-key --token hush-wrap --key absent`/,
      ),
    });
    await expect(open({ library: '/nonexistent/libpkcs11.so' })).rejects.toMatchObject({
      code: 'HUSH_E_CONFIG',
      message: expect.stringMatching(/cannot load the PKCS#11 library \/nonexistent\/libpkcs11.so/),
    });
  });

  it('a wrong PIN logs in exactly once, fails with one line that never shows the PIN, and the token counts it', async () => {
    hsm.initToken('pin-test', PIN);
    expect(await tokenFlags('pin-test')).toEqual({ countLow: false, finalTry: false, locked: false });
    const counter = loginCounter();
    const err = await openPkcs11(
      { library: hsm.library, tokenLabel: 'pin-test', keyLabel: 'kek', pin: '999999' },
      { instrument: counter.instrument },
    ).catch((e: unknown) => e);
    expect(err).toMatchObject({
      code: 'HUSH_E_UNSEAL_FAILED',
      message: expect.stringMatching(
        /^the PKCS#11 PIN was rejected by token "pin-test"; not retried \(repeated failures can lock the token\)/,
      ),
    });
    expect(String((err as Error).message)).not.toContain('999999');
    expect((err as Error).message).not.toContain('\n');
    expect(counter.logins).toBe(1);
    // SoftHSM2 raises "count low" after a failed user login: the token saw the one attempt.
    expect((await tokenFlags('pin-test')).countLow).toBe(true);
    await expect(open({ pin: '' })).rejects.toMatchObject({ code: 'HUSH_E_UNSEAL_FAILED' });
  });

  it('a lost session is reopened with one login; once the PIN is rejected the wrapper never logs in again', async () => {
    hsm.initToken('reopen', PIN);
    await createHsmKey({ library: hsm.library, tokenLabel: 'reopen', keyLabel: 'kek', pin: PIN });
    const sessions: Buffer[] = [];
    let logins = 0;
    let raw: Pkcs11Api | undefined;
    const instrument = (api: Pkcs11Api): Pkcs11Api => {
      raw = api;
      return new Proxy(api, {
        get(target, prop) {
          const value = Reflect.get(target, prop);
          if (typeof value !== 'function') return value;
          if (prop === 'C_Login') {
            return (...args: Parameters<Pkcs11Api['C_Login']>) => {
              logins += 1;
              return target.C_Login(...args);
            };
          }
          if (prop === 'C_OpenSession') {
            return (...args: Parameters<Pkcs11Api['C_OpenSession']>) => {
              const s = target.C_OpenSession(...args);
              sessions.push(s);
              return s;
            };
          }
          return value.bind(target);
        },
      });
    };
    const w = await openPkcs11(
      { library: hsm.library, tokenLabel: 'reopen', keyLabel: 'kek', pin: PIN },
      { instrument },
    );
    const blob = await w.wrap(Buffer.alloc(32, 9));
    expect(logins).toBe(1);
    // The HSM "restarts": the wrapper's only session disappears (and with it the login).
    raw?.C_CloseSession(sessions.at(-1) as Buffer);
    expect(await w.unwrap(blob)).toEqual(Buffer.alloc(32, 9));
    expect(logins).toBe(2);

    // The user PIN changes behind Hush's back, then the session is lost again.
    const lib = await acquireLibrary(hsm.library);
    const other = openUserSession(lib, findTokenSlot(lib, 'reopen'), 'reopen', PIN);
    (lib.api as PKCS11).C_SetPIN(other, PIN, '112233');
    lib.api.C_CloseSession(other);
    raw?.C_CloseSession(sessions.at(-1) as Buffer);
    for (let i = 0; i < 3; i++) {
      await expect(w.unwrap(blob)).rejects.toMatchObject({
        code: 'HUSH_E_UNSEAL_FAILED',
        message: expect.stringMatching(/PIN was rejected by token "reopen"; not retried/),
      });
    }
    expect(logins).toBe(3);
    await w.close();
    lib.release();
  });

  it('two openers in one process share the library; closing one leaves the other working', async () => {
    const a = await open();
    const b = await open();
    const blob = await a.wrap(Buffer.alloc(32, 5));
    await a.close();
    await a.close();
    expect(await b.unwrap(blob)).toEqual(Buffer.alloc(32, 5));
    await b.close();
    await expect(a.wrap(Buffer.alloc(1))).rejects.toThrow(/closed/);
  });
});
