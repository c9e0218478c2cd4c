import { createPublicKey, randomBytes } from 'node:crypto';
import { hushError } from '../core/errors/index.js';
import { isAsymmetric, type NewVersion, type TransitKey } from '../core/transit/index.js';
import { GENERATED_LABEL_PREFIX, type HsmKeyKind, type HsmSigner } from '../ports/hsm-signer-port.js';

/**
 * A version of an HSM-held key: the existing key pair labelled `label` (its type must match the key's), or a new one
 * generated in the token. Generated labels carry the key name, the version and a random suffix, so a key deleted and
 * created again never collides with the pairs its predecessor left on the token.
 */
export async function hsmVersion(
  hsm: HsmSigner | undefined,
  key: Pick<TransitKey, 'name' | 'type' | 'hsmToken'>,
  version: number,
  label?: string,
): Promise<NewVersion> {
  const token = key.hsmToken ?? '';
  if (!isAsymmetric(key.type)) throw hushError('TRANSIT_HSM_KEY_TYPE', { type: key.type });
  if (!hsm?.tokens.includes(token)) {
    throw hushError('HSM_SIGNING_TOKEN_NOT_CONFIGURED', { token, have: hsm?.tokens.join(', ') || 'none' });
  }
  const kind = key.type as HsmKeyKind;
  if (label !== undefined) {
    // Labels Hush generates belong to the key they were made for (a transit version or the CA's root and
    // intermediate); binding one to a new transit key would let its caller sign as that key, e.g. forge certificates.
    if (label.startsWith(GENERATED_LABEL_PREFIX)) {
      throw hushError('TRANSIT_HSM_LABEL_TAKEN', { label, token, owner: 'a key Hush generated' });
    }
    const spki = await hsm.publicKey({ token, label });
    const found = kindOf(spki);
    if (found !== kind) throw hushError('TRANSIT_HSM_KEY_TYPE_MISMATCH', { label, found, type: kind });
    return { hsm: { token, label }, publicKey: spki.toString('base64') };
  }
  const ref = {
    token,
    label: `${GENERATED_LABEL_PREFIX}transit-${key.name}-v${version}-${randomBytes(4).toString('hex')}`,
  };
  const spki = await hsm.generate(ref, kind);
  return { hsm: ref, publicKey: spki.toString('base64') };
}

/** The transit type a public key (SPKI DER) would have. */
function kindOf(spki: Buffer): string {
  const key = createPublicKey({ key: spki, format: 'der', type: 'spki' });
  const details = key.asymmetricKeyDetails;
  if (key.asymmetricKeyType === 'ec') {
    return details?.namedCurve === 'prime256v1'
      ? 'ecdsa-p256'
      : details?.namedCurve === 'secp384r1'
        ? 'ecdsa-p384'
        : 'ec';
  }
  if (key.asymmetricKeyType === 'rsa') return `rsa-${details?.modulusLength}`;
  return key.asymmetricKeyType ?? 'unknown';
}
