import { hushError } from '../core/errors/index.js';
import { hostAllowed, notAllowed, type OutboundAllowList, portOf } from './outbound-allow-list.js';

/**
 * The host and port of a postgres connection URL, refused unless the allow-list names them. The pg driver lets query
 * parameters replace the URL's host and port (`?host=127.0.0.1&port=6379`): the address checked would not be the
 * address used, so they are refused (HUSH_E_INVALID_INPUT) rather than read. `what` names the URL's use in the
 * refusal (`engine host`). Addresses are checked again when the socket connects (see guardedSocket).
 */
export function checkPostgresUrl(
  allow: OutboundAllowList,
  connectionUrl: string,
  what: string,
): { readonly host: string; readonly port: number } {
  const url = new URL(connectionUrl);
  for (const key of ['host', 'hostaddr', 'port'])
    if (url.searchParams.has(key)) throw hushError('CONNECTION_URL_SETS_QUERY_PARAMETER', { key });
  const port = portOf(url);
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  if (!hostAllowed(allow, host, port)) throw notAllowed(what, host, port);
  return { host, port };
}
