import type { Command } from 'commander';
import { ERROR_CATALOGUE, type ErrorCode } from '../../core/errors/error-catalogue.js';
import { HushError } from '../../core/errors/hush-error.js';

/** Where and as whom remote commands talk to a Hush server. */
export interface RemoteTarget {
  /** Base URL, e.g. `https://hush.example:8200` (no trailing slash). */
  readonly addr: string;
  readonly token?: string;
}

/** A remote command's context: the target and whether to print JSON. */
export interface RemoteContext {
  readonly target: RemoteTarget;
  readonly json: boolean;
}

/** Read HUSH_ADDR and HUSH_TOKEN; HUSH_E_USAGE naming the variable when the address is missing or not a URL. */
export function remoteTarget(env: NodeJS.ProcessEnv): RemoteTarget {
  const raw = env['HUSH_ADDR'];
  if (!raw) {
    throw new HushError(
      'HUSH_E_USAGE',
      'this command talks to a Hush server; set HUSH_ADDR (e.g. https://hush.example:8200) and HUSH_TOKEN',
    );
  }
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new HushError(
      'HUSH_E_USAGE',
      `HUSH_ADDR "${raw.slice(0, 200)}" is not a URL; use e.g. https://hush.example:8200`,
    );
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new HushError('HUSH_E_USAGE', `HUSH_ADDR must start with https:// or http://, got ${url.protocol}`);
  }
  const token = env['HUSH_TOKEN'];
  return { addr: url.origin + url.pathname.replace(/\/+$/, ''), ...(token ? { token: token.trim() } : {}) };
}

/** The context of a remote command (global --json, HUSH_ADDR/HUSH_TOKEN from the environment). */
export function remoteContext(cmd: Command, env: NodeJS.ProcessEnv = process.env): RemoteContext {
  const opts = cmd.optsWithGlobals() as { json?: boolean };
  return { target: remoteTarget(env), json: opts.json === true };
}

function isErrorCode(code: unknown): code is ErrorCode {
  return typeof code === 'string' && Object.hasOwn(ERROR_CATALOGUE, code);
}

/**
 * Call the Hush HTTP API: JSON in, JSON out, the token in `X-Hush-Token`. A server error becomes the same coded
 * HushError the server raised (so exit codes match local mode); an unreachable server is HUSH_E_CONFIG naming the
 * address. A small wrapper the client SDK can absorb later.
 *
 * @example
 * const view = await remoteRequest(target, 'GET', '/v1/auth/token/lookup-self');
 */
export async function remoteRequest<T>(
  target: RemoteTarget,
  method: string,
  path: string,
  body?: unknown,
): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (target.token) headers['x-hush-token'] = target.token;
  if (body !== undefined) headers['content-type'] = 'application/json';
  let res: Response;
  try {
    res = await fetch(target.addr + path, {
      method,
      headers,
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
  } catch (err) {
    const cause = (err as { cause?: { code?: unknown } }).cause?.code;
    throw new HushError(
      'HUSH_E_CONFIG',
      `cannot reach the Hush server at ${target.addr}${typeof cause === 'string' ? ` (${cause})` : ''}; check HUSH_ADDR and that the server is running`,
    );
  }
  const text = await res.text();
  let parsed: unknown;
  try {
    parsed = text === '' ? undefined : JSON.parse(text);
  } catch {
    parsed = undefined;
  }
  if (res.ok) return parsed as T;
  const error = (parsed as { error?: { code?: unknown; message?: unknown } } | undefined)?.error;
  if (isErrorCode(error?.code) && typeof error?.message === 'string')
    throw new HushError(error.code, error.message);
  throw new HushError(
    'HUSH_E_INTERNAL',
    `the server at ${target.addr} answered ${res.status} without a Hush error body`,
  );
}
