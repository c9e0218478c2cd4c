import { readFileSync } from 'node:fs';
import type { ClientTlsOptions } from '../../client/tls-fetch.js';
import { HushError } from '../../core/errors/hush-error.js';

/**
 * The TLS options of every CLI client: HUSH_CACERT names a PEM file of the CA(s) that signed the server's
 * certificate (a private CA or a self-signed server). HUSH_E_CONFIG, naming the file, when it cannot be read.
 */
export function clientTlsFromEnv(env: NodeJS.ProcessEnv): { tls?: ClientTlsOptions } {
  const file = env['HUSH_CACERT']?.trim();
  if (!file) return {};
  let ca: Buffer;
  try {
    ca = readFileSync(file);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? 'error';
    throw new HushError(
      'HUSH_E_CONFIG',
      `HUSH_CACERT=${file} cannot be read (${code}); point it at a PEM CA file`,
    );
  }
  if (!ca.toString('utf8').includes('-----BEGIN CERTIFICATE-----')) {
    throw new HushError(
      'HUSH_E_CONFIG',
      `HUSH_CACERT=${file} holds no PEM certificate (-----BEGIN CERTIFICATE-----)`,
    );
  }
  return { tls: { ca } };
}
