import { access, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomically } from '../../fs/atomic-file.js';

/** The file a new store's root token is written to when no terminal is attached (inside the data directory). */
export const ROOT_TOKEN_FILE = 'root-token';

/** Where start-up messages go (`write`), and the terminal a person reads, if any (`tty`). */
export interface RootTokenOut {
  readonly dataDir: string;
  /** Start-up messages: may be a log pipeline (stdout under systemd, Docker, Kubernetes), so never the token. */
  readonly log: { write(text: string): unknown };
  /** A terminal a person reads (stderr when it is a TTY); the token is shown only there. */
  readonly tty?: { write(text: string): unknown };
}

/**
 * Hand a new store's root token to the operator without putting it in a log: shown on a terminal when there is one,
 * otherwise written once to `<dataDir>/root-token` (mode 0600, created through a private temp file) and only the
 * file's path is logged. Returns the file path when a file was written.
 */
export async function deliverRootToken(token: string, out: RootTokenOut): Promise<string | undefined> {
  if (out.tty) {
    out.tty.write(`hush: root token (shown once, store it now): ${token}\n`);
    return undefined;
  }
  await mkdir(out.dataDir, { recursive: true, mode: 0o700 });
  const path = join(out.dataDir, ROOT_TOKEN_FILE);
  await writeFileAtomically(path, { overwrite: true }, (file) => file.writeFile(`${token}\n`));
  out.log.write(
    `hush: root token (shown once, store it now) written to ${path} (mode 0600, no terminal attached); read it, keep it safe, then delete the file\n`,
  );
  return path;
}

/**
 * At every start: if the root-token file written at init is still there, say so (a root token on disk is a standing
 * risk; the operator was told to read it and delete it). The token itself is never logged.
 */
export async function warnIfRootTokenFileLeft(
  dataDir: string,
  log: { write(text: string): unknown },
): Promise<void> {
  const path = join(dataDir, ROOT_TOKEN_FILE);
  try {
    await access(path);
  } catch {
    return;
  }
  log.write(
    `hush: warning: ${path} still holds a root token; store it safely (or revoke it) and delete the file\n`,
  );
}
