import { type AwsOperationTable, type OperationSpecs, operationTable } from '../aws-call.js';
import {
  decrypt,
  encrypt,
  generateDataKey,
  generateDataKeyWithoutPlaintext,
  type KmsDeps,
  reEncrypt,
} from './kms-crypto.js';
import { getPublicKey, sign, verify } from './kms-signing.js';

/** Each supported operation, with the native transit audit operation it is recorded as. */
const OPERATIONS: OperationSpecs<KmsDeps> = {
  Encrypt: ['transit.encrypt', encrypt],
  Decrypt: ['transit.decrypt', decrypt],
  GenerateDataKey: ['transit.datakey', generateDataKey],
  GenerateDataKeyWithoutPlaintext: ['transit.datakey', generateDataKeyWithoutPlaintext],
  ReEncrypt: ['transit.rewrap', reEncrypt],
  Sign: ['transit.sign', sign],
  Verify: ['transit.verify', verify],
  GetPublicKey: ['transit.keys.read', getPublicKey],
};

/** The KMS operations (`X-Amz-Target: TrentService.<Operation>`) over the transit engine. */
export function kmsOperations(deps: KmsDeps): AwsOperationTable {
  return operationTable(deps, OPERATIONS);
}
