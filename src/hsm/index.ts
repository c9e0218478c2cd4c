export {
  type CreatedHsmKey,
  type CreateHsmKeyOptions,
  createHsmKey,
} from './create-hsm-key.js';
export { decodeHsmBlob, type HsmBlob, type WrapMechanism } from './pkcs11-blob.js';
export {
  DEFAULT_PKCS11_LIBRARY,
  DEFAULT_WRAP_PURPOSE,
  type OpenPkcs11Deps,
  type OpenPkcs11Options,
  openPkcs11,
  type Pkcs11KeyWrapper,
} from './pkcs11-key-wrapper.js';
export type { Pkcs11Api } from './pkcs11-library.js';
export { openPkcs11Signer, type SigningTokenOptions } from './pkcs11-signer.js';
