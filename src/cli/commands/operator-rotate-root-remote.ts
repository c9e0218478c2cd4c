import type { RotateRootOptions } from '../../client/index.js';
import { hushError } from '../../core/errors/index.js';
import { emit, type OutputOptions } from '../io/output.js';
import { parseVersionNumber } from '../io/parse-options.js';
import { readMaterialFile } from '../local/unseal-material.js';
import { remoteClient } from '../remote/remote-mode.js';
import { describeMaterial } from './init.js';

/** The `operator rotate-root` flags that shape the new material. */
export interface RotateRootFlags {
  shares?: string;
  threshold?: string;
  publicKey?: string;
  pkcs11Token?: string;
  pkcs11Key?: string;
}

/**
 * `hush operator rotate-root` against a server (HUSH_ADDR): the server rotates under its configured seal kind; the
 * flags shape the new material (shares/threshold, a new RSA public key read here, a new HSM key on the server's
 * token), and the server refuses a flag its seal kind does not take. The new shares are printed once.
 */
export async function rotateServerRoot(
  address: string,
  opts: RotateRootFlags,
  out: OutputOptions,
): Promise<void> {
  // The server's HSM token is server config: a token named here could only be a mistake.
  if (opts.pkcs11Token !== undefined) throw hushError('HUSH_ADDR_SET_SERVER_ROTATES');
  const request: RotateRootOptions = {
    ...(opts.shares ? { shares: parseVersionNumber(opts.shares, '--shares') } : {}),
    ...(opts.threshold ? { threshold: parseVersionNumber(opts.threshold, '--threshold') } : {}),
    ...(opts.publicKey
      ? { publicKeyPem: await readMaterialFile(opts.publicKey, 'public key', 'HUSH_E_INVALID_INPUT') }
      : {}),
    ...(opts.pkcs11Key ? { keyLabel: opts.pkcs11Key } : {}),
  };
  const result = await remoteClient(address, process.env).rotateRoot(request);
  emit(out, { rotated: true, server: true, ...result }, () => {
    const lines = [
      describeMaterial(
        'rotated the root key of the server; the old unseal material no longer works',
        result,
        result.fingerprint,
      ),
    ];
    if (result.keyLabel) lines.push(`the root key is wrapped by HSM key ${result.keyLabel}`);
    return lines.join('\n');
  });
}
