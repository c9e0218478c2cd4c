import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describeNeeding } from './require-tool.js';
import { makeTempDir, removeTempDir } from './temp-dir.js';

/** The SoftHSM2 PKCS#11 library the tests load (Debian/Ubuntu path of `apt-get install softhsm2`). */
export const SOFTHSM_LIBRARY = '/usr/lib/softhsm/libsofthsm2.so';

/** A private SoftHSM2 installation: its own config and token directory under a temp dir. */
export interface SoftHsm {
  readonly dir: string;
  readonly library: string;
  /** Environment that points SoftHSM2 at this installation (give it to spawned servers and CLIs). */
  readonly env: { readonly SOFTHSM2_CONF: string };
  /** Initialise a token in the next free slot, with user PIN `pin` and SO PIN `soPin`. */
  initToken(label: string, pin: string, soPin?: string): void;
  /** Remove the temp dir (restore SOFTHSM2_CONF first if `useInProcess` set it). */
  cleanup(): Promise<void>;
}

/** Why SoftHSM2 cannot be used here, or undefined when it can. */
export function softHsmMissing(): string | undefined {
  if (!existsSync(SOFTHSM_LIBRARY)) return `${SOFTHSM_LIBRARY} is missing`;
  try {
    execFileSync('softhsm2-util', ['--version'], { stdio: 'ignore' });
  } catch {
    return 'softhsm2-util is not on PATH';
  }
  return undefined;
}

/** `describe` when SoftHSM2 is installed; otherwise a skip, or a failure under CI ({@link describeNeeding}). */
export function describeWithSoftHsm(name: string, body: () => void): void {
  const missing = softHsmMissing();
  describeNeeding(missing && `SoftHSM2 not installed (${missing}): apt-get install -y softhsm2`, name, body);
}

/**
 * Make a private SoftHSM2 (config + token dir) and point this process at it: pkcs11js loads SoftHSM in-process and
 * SoftHSM reads SOFTHSM2_CONF at C_Initialize, so the variable must be set before the first open.
 */
export async function startSoftHsm(): Promise<SoftHsm> {
  const dir = await makeTempDir('softhsm');
  const tokens = join(dir, 'tokens');
  await mkdir(tokens, { mode: 0o700 });
  const conf = join(dir, 'softhsm2.conf');
  await writeFile(
    conf,
    `directories.tokendir = ${tokens}\nobjectstore.backend = file\nlog.level = ERROR\nslots.removable = false\n`,
    { mode: 0o600 },
  );
  const previous = process.env['SOFTHSM2_CONF'];
  process.env['SOFTHSM2_CONF'] = conf;
  const env = { SOFTHSM2_CONF: conf };
  return {
    dir,
    library: SOFTHSM_LIBRARY,
    env,
    initToken(label, pin, soPin = '87654321') {
      execFileSync(
        'softhsm2-util',
        ['--init-token', '--free', '--label', label, '--pin', pin, '--so-pin', soPin],
        { env: { ...process.env, ...env }, stdio: 'pipe' },
      );
    },
    async cleanup() {
      if (previous === undefined) delete process.env['SOFTHSM2_CONF'];
      else process.env['SOFTHSM2_CONF'] = previous;
      await removeTempDir(dir);
    },
  };
}
