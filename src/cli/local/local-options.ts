import { userInfo } from 'node:os';
import type { Command } from 'commander';

/** The options every local-mode command takes (merged with the program's global options). */
export interface LocalFlags {
  readonly json?: boolean;
  readonly dataDir?: string;
  /** A backend URL for local mode (else $HUSH_BACKEND, else `<data-dir>/hush.db`). */
  readonly backend?: string;
  readonly keyFile?: string;
  readonly privateKey?: string;
  readonly passphraseFile?: string;
  readonly sharesFile?: string;
  readonly pkcs11Library?: string;
  readonly pkcs11PinFile?: string;
}

/**
 * Add the shared options (data dir, output, unseal material) to a command. They are declared on each command
 * because the program uses positional options: `get --version 2` must not reach the program's own `--version`.
 */
export function withLocalOptions(cmd: Command): Command {
  return cmd
    .option('--json', 'machine-readable JSON output')
    .option('--data-dir <dir>', 'data directory (default $HUSH_DATA_DIR, else $XDG_DATA_HOME/hush)')
    .option(
      '--backend <url>',
      'local mode on another backend: sqlite:<dir>, postgres://..., dynamodb://<table>?region=... (or $HUSH_BACKEND)',
    )
    .option(
      '--key-file <file>',
      'key-file seal: the key file (default <data-dir>/root.key, or $HUSH_KEY_FILE)',
    )
    .option('--private-key <file>', 'rsa seal: PEM private key (or $HUSH_RSA_PRIVATE_KEY_FILE)')
    .option('--passphrase-file <file>', 'rsa seal: passphrase of an encrypted PEM (or $HUSH_RSA_PASSPHRASE)')
    .option('--shares-file <file>', 'shamir seal: unseal shares, one per line (or $HUSH_UNSEAL_SHARES_FILE)')
    .option(
      '--pkcs11-library <file>',
      'pkcs11 seal: PKCS#11 library (or $HUSH_PKCS11_LIBRARY; default /usr/lib/softhsm/libsofthsm2.so)',
    )
    .option(
      '--pkcs11-pin-file <file>',
      'pkcs11 seal: file holding the token user PIN, mode 0600 (or $HUSH_PKCS11_PIN_FILE, else $HUSH_PKCS11_PIN)',
    );
}

/** The local flags of the command being run, including options given before the command name. */
export function localFlags(cmd: Command): LocalFlags {
  return cmd.optsWithGlobals<LocalFlags>();
}

/** Who this process writes as, recorded in secret metadata (local mode has no tokens). */
export function localActor(): string {
  try {
    return `local:${userInfo().username}`;
  } catch {
    return `local:uid-${process.getuid?.() ?? 'unknown'}`;
  }
}
