import type { Command } from 'commander';
import { hushError } from '../../core/errors/index.js';
import { emit } from '../io/output.js';

interface CreateKeyOptions {
  token: string;
  key: string;
  pkcs11Library?: string;
  pkcs11PinFile?: string;
  json?: boolean;
}

/**
 * `hush operator hsm create-key --token T --key K`: generate the AES-256 key the pkcs11 seal (or a BYOK keyring)
 * uses, inside the token, non-extractable. The PIN comes from --pkcs11-pin-file or the environment, never argv.
 */
export function registerOperatorHsm(operator: Command): void {
  const hsm = operator.command('hsm').description('PKCS#11 HSM tasks');
  hsm
    .command('create-key')
    .description('generate a non-extractable 256-bit AES key inside a PKCS#11 token')
    .requiredOption('--token <label>', 'label of the token')
    .requiredOption('--key <label>', 'label (CKA_LABEL) of the new key')
    .option(
      '--pkcs11-library <file>',
      'PKCS#11 library (or $HUSH_PKCS11_LIBRARY; default /usr/lib/softhsm/libsofthsm2.so)',
    )
    .option(
      '--pkcs11-pin-file <file>',
      'file holding the user PIN, mode 0600 (or $HUSH_PKCS11_PIN_FILE, else $HUSH_PKCS11_PIN)',
    )
    .option('--json', 'machine-readable JSON output')
    .action(async (opts: CreateKeyOptions) => {
      const { createHsmKey } = await import('../../hsm/create-hsm-key.js');
      const { readPkcs11Pin, PIN_ENV } = await import('../../seal/pkcs11/pkcs11-pin.js');
      const env = process.env;
      const pinFile = opts.pkcs11PinFile ?? env['HUSH_PKCS11_PIN_FILE'];
      const pin = await readPkcs11Pin({ pinFile, env });
      if (pin === undefined) {
        throw hushError('CREATING_KEY_NEEDS_USER_PIN', { token: opts.token, pinEnv: PIN_ENV });
      }
      const library = opts.pkcs11Library ?? env['HUSH_PKCS11_LIBRARY'];
      const created = await createHsmKey({
        ...(library ? { library } : {}),
        tokenLabel: opts.token,
        keyLabel: opts.key,
        pin,
      });
      emit(
        { json: opts.json === true },
        { created: true, ...created },
        () =>
          `created AES-${created.bits} key "${created.keyLabel}" on token "${created.tokenLabel}" (sensitive, non-extractable: it never leaves the token)`,
      );
    });
}
