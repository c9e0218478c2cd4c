export { AUDIT_VIEW, IDENTITY_KEYRING, IDENTITY_SUBKEYS } from './identity-keyring.js';
export {
  type KeyringSpec,
  openSealedSubkeys,
  type SealedSubkeys,
  type SubkeyBarrier,
  type SubkeySource,
} from './sealed-subkeys.js';
export {
  openSealedView,
  type RecordOp,
  retryCas,
  type SealedView,
  type SealedViewSpec,
  type Versioned,
  type ViewBackend,
  type ViewBarrier,
} from './sealed-view.js';
