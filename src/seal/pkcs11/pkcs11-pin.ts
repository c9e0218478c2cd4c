import { readFile, stat } from 'node:fs/promises';
import { hushError } from '../../core/errors/index.js';

/** Where the PKCS#11 user PIN may come from: a PIN file, else the environment. Never argv (shell history, ps). */
export interface PinSources {
  readonly pinFile?: string | undefined;
  readonly env: NodeJS.ProcessEnv;
}

/** The environment variable holding the PIN when no PIN file is configured. */
export const PIN_ENV = 'HUSH_PKCS11_PIN';

/**
 * Read the user PIN: from `pinFile` when set (refused if other users may read it), else $HUSH_PKCS11_PIN.
 * Returns undefined when neither is set, so the caller can say which token needs one.
 */
export async function readPkcs11Pin(sources: PinSources): Promise<string | undefined> {
  const file = sources.pinFile;
  if (file === undefined) {
    const pin = sources.env[PIN_ENV];
    return pin === undefined || pin === '' ? undefined : pin;
  }
  let mode: number;
  let text: string;
  try {
    mode = (await stat(file)).mode;
    text = await readFile(file, 'utf8');
  } catch (err) {
    const reason = (err as NodeJS.ErrnoException).code ?? 'error';
    throw hushError('CANNOT_READ_PKCS_PIN_FILE', { file, reason });
  }
  if ((mode & 0o007) !== 0) {
    throw hushError('PKCS_PIN_FILE_READABLE_OTHER', { file, value: (mode & 0o777).toString(8) });
  }
  const pin = text.replace(/\r?\n$/, '');
  return pin === '' ? undefined : pin;
}
