import { spawn } from 'node:child_process';
import { hushError } from '../../core/errors/index.js';

/**
 * The certificates of a PKCS#12 bundle as PEM, read by the `openssl` CLI (Node has no PKCS#12 reader). The bundle
 * goes in on stdin and the password on a separate pipe (fd 3): neither touches argv, the environment or a file.
 * Only certificates come out (`-nokeys`). A wrong password is HUSH_E_INVALID_INPUT naming the file; a missing
 * `openssl` is HUSH_E_CONFIG. The child is killed after `timeoutMs` (HUSH_E_UPSTREAM): a hung tool, or a bundle whose
 * MAC iteration count is set absurdly high, must not hold a scan (or a server request) forever.
 *
 * @example
 * const pem = await pkcs12Certificates(readFileSync('site.p12'), password, 'site.p12');
 */
export async function pkcs12Certificates(
  bundle: Uint8Array,
  password: string,
  label: string,
  options: { readonly timeoutMs?: number } = {},
): Promise<string> {
  const timeoutMs = options.timeoutMs ?? PKCS12_TIMEOUT_MS;
  const run = (legacy: boolean) => runOpenssl(bundle, password, legacy, timeoutMs, label);
  const first = await run(false);
  // OpenSSL 3 refuses bundles made with legacy ciphers (RC2, 3DES) unless asked for its legacy provider.
  const result = first.code !== 0 && /unsupported|legacy/i.test(first.err) ? await run(true) : first;
  if (result.code === 0) return result.out;
  if (/mac verify|invalid password/i.test(result.err)) throw hushError('PKCS12_WRONG_PASSWORD', { label });
  throw hushError('PKCS12_NOT_READABLE', { label, err: firstLine(result.err) });
}

function firstLine(text: string): string {
  return (text.split('\n').find((l) => l.trim()) ?? 'openssl failed')
    .replace(/^[0-9A-F]+:error:/, '')
    .slice(0, 160);
}

/** How long one `openssl pkcs12` run may take by default (reading a bundle takes milliseconds). */
export const PKCS12_TIMEOUT_MS = 10_000;

function runOpenssl(
  bundle: Uint8Array,
  password: string,
  legacy: boolean,
  timeoutMs: number,
  label: string,
): Promise<{ code: number; out: string; err: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn('openssl', ['pkcs12', '-nokeys', '-passin', 'fd:3', ...(legacy ? ['-legacy'] : [])], {
      stdio: ['pipe', 'pipe', 'pipe', 'pipe'],
    });
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(hushError('PKCS12_OPENSSL_TIMEOUT', { label, timeoutMs }));
    }, timeoutMs);
    let out = '';
    let err = '';
    child.stdout?.setEncoding('utf8').on('data', (c: string) => {
      out += c;
    });
    child.stderr?.setEncoding('utf8').on('data', (c: string) => {
      err += c;
    });
    child.on('error', (e: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      reject(e.code === 'ENOENT' ? hushError('READING_PKCS_NEEDS_OPENSSL_COMMAND') : e);
    });
    // A child that exits early closes its pipes: ignore EPIPE rather than crash.
    child.stdin?.on('error', () => undefined);
    const passPipe = child.stdio[3] as NodeJS.WritableStream & { on(e: 'error', f: () => void): void };
    passPipe.on('error', () => undefined);
    passPipe.end(`${password}\n`);
    child.stdin?.end(Buffer.from(bundle));
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code: code ?? 1, out, err });
    });
  });
}
