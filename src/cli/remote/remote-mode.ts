import { createHushClient, type HushClient } from '../../client/index.js';

import { clientTlsFromEnv } from './client-tls.js';

export { parseHushAddr, remoteAddress } from './remote-address.js';

/** A client for the server at `address` with HUSH_TOKEN when set (init, unseal and status need none). */
export function remoteClient(address: string, env: NodeJS.ProcessEnv): HushClient {
  const token = env['HUSH_TOKEN']?.trim();
  return createHushClient({
    address,
    ...(token ? { token } : {}),
    retries: { attempts: 1 },
    ...clientTlsFromEnv(env),
  });
}
