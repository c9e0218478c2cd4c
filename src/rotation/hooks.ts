import { spawn } from 'node:child_process';
import type { HushError } from '../core/errors/hush-error.js';
import { hushError } from '../core/errors/index.js';
import type { SecretValue } from '../core/secrets/value-codec.js';
import { hostAllowed, notAllowed, type OutboundGuard, portOf } from '../net/outbound-allow-list.js';
import { postJson } from '../net/outbound-post.js';
import { checkHookUrl, type RotationHook } from './policy-schema.js';

/** What a hook is told about the staged version. */
export interface HookCall {
  readonly path: string;
  readonly version: number;
  /** Given to command hooks on stdin only; URL hooks never receive it. */
  readonly value: SecretValue;
}

const DEFAULT_TIMEOUT_MS = 30_000;

/**
 * Run a rotation hook; resolves when it succeeded, throws HUSH_E_ROTATION_FAILED otherwise. Command hooks run
 * without a shell (argv as given), with the new value on stdin and HUSH_ROTATION_PATH / HUSH_ROTATION_VERSION set;
 * their output is discarded (it may echo the value). URL hooks get a JSON POST of `{ path, version }` and must
 * answer 2xx.
 */
export async function runHook(hook: RotationHook, call: HookCall, outbound?: OutboundGuard): Promise<void> {
  const timeoutMs = hook.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  if ('command' in hook) return runCommandHook(hook.command, call, timeoutMs);
  return postUrlHook(hook.url, call, timeoutMs, outbound);
}

export type { OutboundGuard };

/** The hook's environment: ours without HUSH_* (a token or unseal material must not reach a hook), plus its two. */
function hookEnv(call: HookCall): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('HUSH_')) env[k] = v;
  return { ...env, HUSH_ROTATION_PATH: call.path, HUSH_ROTATION_VERSION: String(call.version) };
}

function runCommandHook(argv: readonly string[], call: HookCall, timeoutMs: number): Promise<void> {
  const [file, ...args] = argv as [string, ...string[]];
  const name = file.split('/').pop() ?? file;
  return new Promise<void>((resolve, reject) => {
    const child = spawn(file, args, {
      shell: false,
      stdio: ['pipe', 'ignore', 'ignore'],
      env: hookEnv(call),
      timeout: timeoutMs,
      killSignal: 'SIGKILL',
    });
    child.on('error', (err: NodeJS.ErrnoException) =>
      reject(hushError('HOOK_COMMAND_COULD_NOT_START', { name, code: err.code ?? 'error' })),
    );
    child.on('close', (code, signal) => {
      if (code === 0) resolve();
      else if (signal) reject(hushError('HOOK_COMMAND_STOPPED_TIMEOUT_MS', { name, signal, timeoutMs }));
      else reject(hushError('HOOK_COMMAND_EXITED_CODE_PENDING', { name, code }));
    });
    // A hook that does not read stdin closes the pipe early: that is its business, not a failure.
    child.stdin.on('error', () => undefined);
    const text = typeof call.value === 'string' ? call.value : JSON.stringify(call.value);
    child.stdin.end(text);
  });
}

async function postUrlHook(
  urlText: string,
  call: HookCall,
  timeoutMs: number,
  outbound?: OutboundGuard,
): Promise<void> {
  const url = checkHookUrl(urlText);
  const where = `${url.protocol}//${url.host}${url.pathname}`;
  if (outbound && !hostAllowed(outbound.allow, url.hostname, portOf(url)))
    throw notAllowed('hook', url.hostname, portOf(url));
  const fail = (detail: string): HushError => {
    if (!outbound) return hushError('HOOK_PENDING_VERSION_NOT_PROMOTED', { where, detail });
    outbound.log({ hook: where, path: call.path, detail }, 'rotation hook delivery failed');
    return hushError('HOOK_DELIVERY_FAILED_PENDING_VERSION');
  };
  let status: number;
  try {
    status = await postJson(url, JSON.stringify({ path: call.path, version: call.version }), {
      timeoutMs,
      ...(outbound ? { allow: outbound.allow } : {}),
    });
  } catch (err) {
    const code = (err as { code?: unknown }).code;
    throw fail(
      code === 'EHUSHOUTBOUND'
        ? 'resolved to an address outside the outbound allow-list'
        : `could not be reached (${String(code ?? 'error')})`,
    );
  }
  if (status < 200 || status > 299) throw fail(`answered ${status}`);
}
