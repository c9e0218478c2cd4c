import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadServerConfig } from './server-config.js';

function dir(): string {
  return mkdtempSync(join(tmpdir(), 'hush-config-pkcs11-'));
}

describe('server config: pkcs11 seal', () => {
  it('defaults the library to SoftHSM2, resolves pinFile, and does not warn about HUSH_PKCS11_PIN', () => {
    const cwd = dir();
    writeFileSync(
      join(cwd, 'hush.yaml'),
      'seal: {kind: pkcs11, tokenLabel: hush, keyLabel: hush-root, pinFile: secrets/pin}\n',
    );
    const { config, warnings } = loadServerConfig({
      cwd,
      configFile: 'hush.yaml',
      env: { HUSH_PKCS11_PIN: '1234' },
    });
    expect(config.seal).toEqual({
      kind: 'pkcs11',
      library: '/usr/lib/softhsm/libsofthsm2.so',
      tokenLabel: 'hush',
      keyLabel: 'hush-root',
      pinFile: join(cwd, 'secrets/pin'),
    });
    expect(warnings.join('\n')).not.toMatch(/HUSH_PKCS11_PIN/);
  });

  it('requires both labels and refuses a PIN in the config', () => {
    const cwd = dir();
    writeFileSync(join(cwd, 'a.yaml'), 'seal: {kind: pkcs11, tokenLabel: hush}\n');
    expect(() => loadServerConfig({ cwd, configFile: 'a.yaml' })).toThrow(
      expect.objectContaining({ code: 'HUSH_E_CONFIG', message: expect.stringMatching(/seal.keyLabel/) }),
    );
    writeFileSync(join(cwd, 'b.yaml'), 'seal: {kind: pkcs11, tokenLabel: t, keyLabel: k, pin: "1234"}\n');
    const err = (() => {
      try {
        loadServerConfig({ cwd, configFile: 'b.yaml' });
      } catch (e) {
        return e as Error;
      }
      throw new Error('expected an error');
    })();
    expect(err).toMatchObject({
      code: 'HUSH_E_CONFIG',
      message: expect.stringMatching(/unknown key "seal.pin"/),
    });
    expect(err.message).not.toContain('1234');
  });
});
