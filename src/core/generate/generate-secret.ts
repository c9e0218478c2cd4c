import { randomUUID } from 'node:crypto';
import { hushError } from '../errors/index.js';
import { type ApiKeyOptions, apiKey } from './api-key.js';
import { type KeyPairOptions, keyPair } from './key-pair.js';
import { type SshKeyOptions, sshKeyPair } from './openssh.js';
import { type PasswordOptions, password } from './password.js';
import { type RandomBytesOptions, randomBytesEncoded } from './random-encoded.js';

/** A random (version 4) UUID from the CSPRNG. */
export function uuid(): string {
  return randomUUID();
}

/** The generator kinds, as named on the command line. */
export const GENERATOR_KINDS = ['password', 'bytes', 'api-key', 'uuid', 'keypair', 'ssh-key'] as const;
/** One of {@link GENERATOR_KINDS}. */
export type GeneratorKind = (typeof GENERATOR_KINDS)[number];

/** A generator request: the kind and its options. */
export type GenerateRequest =
  | { readonly kind: 'password'; readonly options: PasswordOptions }
  | { readonly kind: 'bytes'; readonly options: RandomBytesOptions }
  | { readonly kind: 'api-key'; readonly options: ApiKeyOptions }
  | { readonly kind: 'uuid' }
  | { readonly kind: 'keypair'; readonly options: KeyPairOptions }
  | { readonly kind: 'ssh-key'; readonly options: SshKeyOptions };

/** A generated secret: a string, or a key pair as the fields a stored secret holds. */
export type GeneratedSecret = string | { readonly privateKey: string; readonly publicKey: string };

/** Check a generator kind name, with the list of valid ones in the error. */
export function parseGeneratorKind(kind: string): GeneratorKind {
  if (!(GENERATOR_KINDS as readonly string[]).includes(kind))
    throw hushError('UNKNOWN_GENERATOR_KIND', {
      kind: JSON.stringify(kind),
      generatorKinds: GENERATOR_KINDS.join(', '),
    });
  return kind as GeneratorKind;
}

/**
 * Run one generator. Key pairs come back as `{ privateKey, publicKey }` so they can be stored as one secret.
 *
 * @example
 * generateSecret({ kind: 'password', options: { length: 32 } });
 */
export function generateSecret(request: GenerateRequest): GeneratedSecret {
  switch (request.kind) {
    case 'password':
      return password(request.options);
    case 'bytes':
      return randomBytesEncoded(request.options);
    case 'api-key':
      return apiKey(request.options);
    case 'uuid':
      return uuid();
    case 'keypair': {
      const pair = keyPair(request.options);
      return { privateKey: pair.privateKeyPem, publicKey: pair.publicKeyPem };
    }
    case 'ssh-key':
      return sshKeyPair(request.options);
  }
}
