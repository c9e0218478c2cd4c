export * from './create-seal.js';
export { KeyFileSeal, LOOSE_KEY_FILE_ENV, looseKeyFileAllowed } from './key-file/key-file-seal.js';
export { Pkcs11Seal, type Pkcs11SealOptions } from './pkcs11/pkcs11-seal.js';
export { RsaSeal } from './rsa/rsa-seal.js';
export type { Seal, SealInitResult, SealKind, SealRecord, UnsealMaterial } from './seal.js';
export { ShamirSeal } from './shamir/shamir-seal.js';
