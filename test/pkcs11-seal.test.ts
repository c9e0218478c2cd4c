import { chmod, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { generateKey } from '../src/core/crypto/random.js';
import { createHsmKey, openPkcs11, type Pkcs11Api } from '../src/hsm/index.js';
import { createSeal, Pkcs11Seal, sealConfigSchema } from '../src/seal/index.js';
import { describeWithSoftHsm, type SoftHsm, startSoftHsm } from './support/softhsm.js';

const PIN = '135790';
let hsm: SoftHsm;

describeWithSoftHsm('Pkcs11Seal on SoftHSM2', () => {
  beforeAll(async () => {
    hsm = await startSoftHsm();
    hsm.initToken('seal-token', PIN);
    await createHsmKey({ library: hsm.library, tokenLabel: 'seal-token', keyLabel: 'root-kek', pin: PIN });
    await createHsmKey({ library: hsm.library, tokenLabel: 'seal-token', keyLabel: 'other-kek', pin: PIN });
  });
  afterAll(async () => {
    await hsm?.cleanup();
  });

  const seal = (extra: Partial<ConstructorParameters<typeof Pkcs11Seal>[0]> = {}) =>
    new Pkcs11Seal({
      library: hsm.library,
      tokenLabel: 'seal-token',
      keyLabel: 'root-kek',
      env: { HUSH_PKCS11_PIN: PIN },
      ...extra,
    });

  it('wraps the root key inside the HSM; the record holds labels, mechanism and blob, never the key', async () => {
    const root = generateKey();
    const { record, oneTime } = await seal().init(root);
    expect(oneTime).toBeUndefined();
    expect(Object.keys(record).sort()).toEqual([
      'blob',
      'format',
      'keyLabel',
      'kind',
      'mechanism',
      'tokenLabel',
    ]);
    expect(record).toMatchObject({
      kind: 'pkcs11',
      format: 1,
      tokenLabel: 'seal-token',
      keyLabel: 'root-kek',
      mechanism: 'aes-gcm',
    });
    const text = JSON.stringify(record);
    expect(text).not.toContain(root.toString('base64'));
    expect(text).not.toContain(root.toString('hex'));
    expect(Buffer.from(String(record['blob']), 'base64').includes(root)).toBe(false);
    // Unsealing needs no labels in the config: the record names them.
    const unsealer = new Pkcs11Seal({ library: hsm.library, env: { HUSH_PKCS11_PIN: PIN } });
    expect(await unsealer.unseal(record, {})).toEqual(root);
    // The PIN may also come from a 0600 file, or from the material.
    const pinFile = join(hsm.dir, 'pin');
    await writeFile(pinFile, `${PIN}\n`, { mode: 0o600 });
    expect(await new Pkcs11Seal({ library: hsm.library, pinFile, env: {} }).unseal(record, {})).toEqual(root);
    expect(await new Pkcs11Seal({ library: hsm.library, env: {} }).unseal(record, { pin: PIN })).toEqual(
      root,
    );
    await chmod(pinFile, 0o604);
    await expect(
      new Pkcs11Seal({ library: hsm.library, pinFile, env: {} }).unseal(record, {}),
    ).rejects.toMatchObject({
      code: 'HUSH_E_CONFIG',
      message: expect.stringMatching(/is readable by other users \(mode 604\); run chmod 600/),
    });
  });

  it('a tampered blob, a blob wrapped for another purpose, or another key fail with HUSH_E_INTEGRITY', async () => {
    const { record } = await seal().init(generateKey());
    const blob = Buffer.from(String(record['blob']), 'base64');
    blob[30] = (blob[30] ?? 0) ^ 1;
    await expect(seal().unseal({ ...record, blob: blob.toString('base64') }, {})).rejects.toMatchObject({
      code: 'HUSH_E_INTEGRITY',
      message: expect.stringMatching(/does not open with key "root-kek" on token "seal-token"/),
    });
    // A BYOK blob made by the same key for another purpose cannot stand in for the root key.
    const w = await openPkcs11({
      library: hsm.library,
      tokenLabel: 'seal-token',
      keyLabel: 'root-kek',
      pin: PIN,
    });
    const foreign = (await w.wrap(generateKey(), 'keyring:app/prod')).toString('base64');
    await w.close();
    await expect(seal().unseal({ ...record, blob: foreign }, {})).rejects.toMatchObject({
      code: 'HUSH_E_INTEGRITY',
    });
    await expect(
      new Pkcs11Seal({ library: hsm.library, env: { HUSH_PKCS11_PIN: PIN } }).unseal(
        { ...record, keyLabel: 'other-kek' },
        {},
      ),
    ).rejects.toMatchObject({ code: 'HUSH_E_INTEGRITY' });
    await expect(seal().unseal({ ...record, mechanism: 'aes-key-wrap-pad' }, {})).rejects.toMatchObject({
      code: 'HUSH_E_INTEGRITY',
      message: expect.stringMatching(
        /record says aes-key-wrap-pad but its blob was made with another mechanism/,
      ),
    });
    await expect(seal().unseal({ ...record, mechanism: 'rot13' }, {})).rejects.toMatchObject({
      code: 'HUSH_E_INTEGRITY',
    });
  });

  it('a wrong PIN is tried exactly once and reported in one line without the PIN', async () => {
    const { record } = await seal().init(generateKey());
    let logins = 0;
    const instrument = (api: Pkcs11Api): Pkcs11Api => ({
      ...bindAll(api),
      C_Login: (...args: Parameters<Pkcs11Api['C_Login']>) => {
        logins += 1;
        return api.C_Login(...args);
      },
    });
    const counting = new Pkcs11Seal(
      { library: hsm.library, env: { HUSH_PKCS11_PIN: '000000' } },
      { open: (o) => openPkcs11(o, { instrument }) },
    );
    const err = await counting.unseal(record, {}).catch((e: unknown) => e);
    expect(err).toMatchObject({
      code: 'HUSH_E_UNSEAL_FAILED',
      message: expect.stringMatching(/^the PKCS#11 PIN was rejected by token "seal-token"; not retried/),
    });
    expect((err as Error).message).not.toContain('000000');
    expect(logins).toBe(1);
  });

  it('says what is missing: the PIN, the token, the key, or labels that differ from the record', async () => {
    const { record } = await seal().init(generateKey());
    await expect(seal({ env: {} }).unseal(record, {})).rejects.toMatchObject({
      code: 'HUSH_E_UNSEAL_FAILED',
      message: expect.stringMatching(
        /needs the user PIN of token "seal-token" and HUSH_PKCS11_PIN is not set/,
      ),
    });
    await expect(seal({ tokenLabel: 'gone' }).init(generateKey())).rejects.toMatchObject({
      code: 'HUSH_E_CONFIG',
      message: expect.stringMatching(
        /no PKCS#11 token labelled "gone" \(available token labels: "seal-token"\)/,
      ),
    });
    await expect(seal({ keyLabel: 'gone' }).init(generateKey())).rejects.toMatchObject({
      code: 'HUSH_E_CONFIG',
      message: expect.stringMatching(
        /no secret key labelled "gone".*hush operator hsm create-key --token seal-token --key gone/,
      ),
    });
    await expect(seal({ keyLabel: 'other-kek' }).unseal(record, {})).rejects.toMatchObject({
      code: 'HUSH_E_CONFIG',
      message: expect.stringMatching(
        /sealed with key "root-kek" on token "seal-token" but the config names key "other-kek"/,
      ),
    });
  });

  it('createSeal builds it from validated config with the SoftHSM library as default', async () => {
    const parsed = sealConfigSchema.parse({ kind: 'pkcs11', tokenLabel: 'seal-token', keyLabel: 'root-kek' });
    expect(parsed).toMatchObject({ library: '/usr/lib/softhsm/libsofthsm2.so' });
    expect(
      sealConfigSchema.safeParse({ kind: 'pkcs11', tokenLabel: 't', keyLabel: 'k', pin: '1' }).success,
    ).toBe(false);
    const built = createSeal(parsed, { HUSH_PKCS11_PIN: PIN });
    const root = generateKey();
    expect(await built.unseal((await built.init(root)).record, {})).toEqual(root);
  });
});

/** Every method of the real API bound to it (so a spread copy still calls the library). */
function bindAll(api: Pkcs11Api): Pkcs11Api {
  const out: Record<string, unknown> = {};
  let proto: object | null = api;
  while (proto && proto !== Object.prototype) {
    for (const name of Object.getOwnPropertyNames(proto)) {
      const value = (api as unknown as Record<string, unknown>)[name];
      if (name.startsWith('C_') && typeof value === 'function' && !(name in out)) out[name] = value.bind(api);
    }
    proto = Object.getPrototypeOf(proto);
  }
  return out as unknown as Pkcs11Api;
}
