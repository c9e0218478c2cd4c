import { createHushClient, type HushClient } from '../../client/index.js';
import { HushError } from '../../core/errors/hush-error.js';

/**
 * The server address when a command should talk to a server: HUSH_ADDR is set and no --data-dir was given (the
 * same rule as `runLocal`), else undefined.
 */
export function remoteAddress(
  flags: { readonly dataDir?: string },
  env: NodeJS.ProcessEnv,
): string | undefined {
  const raw = env['HUSH_ADDR'];
  if (!raw || flags.dataDir !== undefined) return undefined;
  try {
    return new URL(raw).origin;
  } catch {
    throw new HushError('HUSH_E_CONFIG', 'HUSH_ADDR is not a URL (expected e.g. http://127.0.0.1:8200)');
  }
}

/** A client for the server at `address` with HUSH_TOKEN when set (init, unseal and status need none). */
export function remoteClient(address: string, env: NodeJS.ProcessEnv): HushClient {
  const token = env['HUSH_TOKEN']?.trim();
  return createHushClient({ address, ...(token ? { token } : {}), retries: { attempts: 1 } });
}
