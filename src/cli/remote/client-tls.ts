import { readFileSync } from 'node:fs';
import type { ClientTlsOptions } from '../../client/tls-fetch.js';
import { hushError } from '../../core/errors/index.js';

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
    throw hushError('HUSH_CACERT_CANNOT_READ', { file, code });
  }
  if (!ca.toString('utf8').includes('-----BEGIN CERTIFICATE-----')) {
    throw hushError('HUSH_CACERT_HOLDS_NO_PEM', { file });
  }
  return { tls: { ca } };
}
