import type { Command } from 'commander';
import { createHushClient, type HushClient, type HushClientOptions } from '../../client/hush-client.js';
import type { ClientTlsOptions } from '../../client/tls-fetch.js';
import { hushError } from '../../core/errors/index.js';
import { clientTlsFromEnv } from './client-tls.js';
import { parseHushAddr } from './remote-address.js';

/** Where and as whom remote commands talk to a Hush server. */
export interface RemoteTarget {
  /** Base URL, e.g. `https://hush.example:8200` (no trailing slash). */
  readonly addr: string;
  readonly token?: string;
  /** The CA to trust (HUSH_CACERT). */
  readonly tls?: ClientTlsOptions;
}

/** A remote command's context: the target, the SDK client for it, and whether to print JSON. */
export interface RemoteContext {
  readonly target: RemoteTarget;
  readonly client: HushClient;
  readonly json: boolean;
}

/** Read HUSH_ADDR and HUSH_TOKEN: HUSH_E_USAGE when the address is missing, HUSH_E_CONFIG when it is malformed. */
export function remoteTarget(env: NodeJS.ProcessEnv): RemoteTarget {
  const raw = env['HUSH_ADDR'];
  if (!raw) {
    throw hushError('COMMAND_TALKS_HUSH_SERVER');
  }
  const token = env['HUSH_TOKEN'];
  return { addr: parseHushAddr(raw), ...(token ? { token: token.trim() } : {}), ...clientTlsFromEnv(env) };
}

// Batch calls (incident rotate, rotate-prefix, on-deploy) run a hook per secret inside one request: the per-attempt
// timeout must outlast them, or the CLI would report a failure while the server carries on.
const CLI_TIMEOUT_MS = 10 * 60_000;

/** The SDK options of every remote command: default retries (idempotent calls retry 503s), a batch-length timeout. */
function clientOptions(target: RemoteTarget): HushClientOptions {
  return {
    address: target.addr,
    ...(target.token ? { token: target.token } : {}),
    timeoutMs: CLI_TIMEOUT_MS,
    ...(target.tls ? { tls: target.tls } : {}),
  };
}

/** The SDK client a remote command talks through (keep-alive, retries, timeouts, coded errors). */
export function remoteClientFor(target: RemoteTarget): HushClient {
  return createHushClient(clientOptions(target));
}

/** The context of a remote command (global --json, HUSH_ADDR/HUSH_TOKEN from the environment). */
export function remoteContext(cmd: Command, env: NodeJS.ProcessEnv = process.env): RemoteContext {
  const opts = cmd.optsWithGlobals() as { json?: boolean };
  const target = remoteTarget(env);
  return { target, client: remoteClientFor(target), json: opts.json === true };
}
