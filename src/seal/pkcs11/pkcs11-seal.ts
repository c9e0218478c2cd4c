import { z } from 'zod';
import { isHushError } from '../../core/errors/hush-error.js';
import { hushError } from '../../core/errors/index.js';
import { decodeHsmBlob, WRAP_MECHANISMS } from '../../hsm/pkcs11-blob.js';
import {
  DEFAULT_PKCS11_LIBRARY,
  type OpenPkcs11Options,
  openPkcs11,
  type Pkcs11KeyWrapper,
} from '../../hsm/pkcs11-key-wrapper.js';
import type { Seal, SealInitResult, SealRecord, UnsealMaterial } from '../seal.js';
import { assertRootKey, parseSealRecord } from '../seal-errors.js';
import { PIN_ENV, readPkcs11Pin } from './pkcs11-pin.js';

// Bound into the blob, so a blob wrapped for another purpose (a BYOK keyring) cannot stand in for the root key.
const ROOT_PURPOSE = 'hush-root-key';

const recordSchema = z.object({
  kind: z.literal('pkcs11'),
  format: z.literal(1),
  tokenLabel: z.string().min(1),
  keyLabel: z.string().min(1),
  mechanism: z.enum(WRAP_MECHANISMS as [string, ...string[]]),
  blob: z.string().min(1),
});

/** Options of {@link Pkcs11Seal}. Labels are required to init; to unseal, the record names them. */
export interface Pkcs11SealOptions {
  readonly library?: string;
  readonly tokenLabel?: string;
  readonly keyLabel?: string;
  readonly pinFile?: string;
  /** Where $HUSH_PKCS11_PIN is read (the process environment, passed in). */
  readonly env: NodeJS.ProcessEnv;
}

/** Test seam: how the HSM is opened (tests count logins by wrapping the real opener). */
export interface Pkcs11SealDeps {
  readonly open?: (options: OpenPkcs11Options) => Promise<Pkcs11KeyWrapper>;
}

/**
 * Protects the root key with an AES key that never leaves a PKCS#11 token (an HSM; SoftHSM2 in tests). The record
 * holds only the token and key labels and the blob the HSM produced; unsealing needs the token, its user PIN and
 * the key.
 *
 * @example
 * const seal = new Pkcs11Seal({ tokenLabel: 'hush', keyLabel: 'hush-root', env: process.env });
 */
export class Pkcs11Seal implements Seal {
  readonly kind = 'pkcs11' as const;

  constructor(
    private readonly options: Pkcs11SealOptions,
    private readonly deps: Pkcs11SealDeps = {},
  ) {}

  /** Wrap the root key inside the HSM and return the record (labels, mechanism, blob). */
  async init(rootKey: Uint8Array): Promise<SealInitResult> {
    assertRootKey(rootKey);
    const { tokenLabel, keyLabel } = this.options;
    if (!tokenLabel || !keyLabel) {
      throw hushError('PKCS11_SEAL_NEEDS_TOKEN_LABEL');
    }
    const hsm = await this.open(tokenLabel, keyLabel, {});
    try {
      const blob = await hsm.wrap(rootKey, ROOT_PURPOSE);
      const record: SealRecord = {
        kind: 'pkcs11',
        format: 1,
        tokenLabel,
        keyLabel,
        mechanism: hsm.mechanism,
        blob: blob.toString('base64'),
      };
      return { record };
    } finally {
      await hsm.close();
    }
  }

  /** Log in to the token the record names (once) and unwrap the root key inside the HSM. */
  async unseal(record: SealRecord, material: UnsealMaterial = {}): Promise<Buffer> {
    const parsed = parseSealRecord('pkcs11', recordSchema, record);
    this.checkLabels(parsed.tokenLabel, parsed.keyLabel);
    const blob = Buffer.from(parsed.blob, 'base64');
    if (decodeHsmBlob(blob).mechanism !== parsed.mechanism) {
      throw hushError('PKCS11_SEAL_RECORD_SAYS_BUT', { mechanism: parsed.mechanism });
    }
    const hsm = await this.open(parsed.tokenLabel, parsed.keyLabel, material);
    try {
      return await hsm.unwrap(blob, ROOT_PURPOSE);
    } catch (err) {
      if (!isHushError(err, 'HUSH_E_INTEGRITY')) throw err;
      throw hushError('SEALED_ROOT_KEY_NOT_OPEN', {
        keyLabel: parsed.keyLabel,
        tokenLabel: parsed.tokenLabel,
      });
    } finally {
      await hsm.close();
    }
  }

  private async open(tokenLabel: string, keyLabel: string, material: UnsealMaterial) {
    const pin =
      material.pin ?? (await readPkcs11Pin({ pinFile: this.options.pinFile, env: this.options.env }));
    if (pin === undefined) {
      const where = this.options.pinFile
        ? `the PIN file ${this.options.pinFile} is empty`
        : `${PIN_ENV} is not set`;
      throw hushError('PKCS11_SEAL_NEEDS_USER_PIN', { tokenLabel, where, pinEnv: PIN_ENV });
    }
    const open = this.deps.open ?? openPkcs11;
    return open({ library: this.options.library ?? DEFAULT_PKCS11_LIBRARY, tokenLabel, keyLabel, pin });
  }

  /** A config naming other labels than the record is a mistake worth stopping for (the wrong HSM key). */
  private checkLabels(tokenLabel: string, keyLabel: string): void {
    const { tokenLabel: t, keyLabel: k } = this.options;
    if ((t !== undefined && t !== tokenLabel) || (k !== undefined && k !== keyLabel)) {
      throw hushError('PKCS11_LABELS_MISMATCH', {
        keyLabel,
        tokenLabel,
        value: k ?? keyLabel,
        value2: t ?? tokenLabel,
      });
    }
  }
}
