import type { RotateRootReply, RotateRootRequest } from '../../api/sys-seal.js';
import type { ServerConfig } from '../../config/server-config-schema.js';
import { hushError, isHushError } from '../../core/errors/index.js';
import { Pkcs11Seal, RsaSeal, type Seal, ShamirSeal } from '../../seal/index.js';
import type { HushStore } from '../../store/index.js';
import { keyFileRotateRoot } from './key-file-rotation.js';

/** The request fields each seal kind takes; any other field is a caller's mistake, refused before anything moves. */
const FIELDS_OF: Record<ServerConfig['seal']['kind'], readonly (keyof RotateRootRequest)[]> = {
  'key-file': [],
  shamir: ['shares', 'threshold'],
  rsa: ['publicKeyPem'],
  pkcs11: ['keyLabel'],
};

/**
 * `POST /v1/sys/rotate-root` for every seal kind: a new root key under new unseal material shaped by the request
 * (new shamir shares, a new RSA public key, a new HSM key on the configured token) or, given nothing, the configured
 * shape. The store seals the new root first and commits the seal record and every re-sealed keyring in one batch,
 * so a failure before the commit (an HSM key that does not exist, a bad public key, a storage error) leaves the old
 * root and its material in force; only after the commit does the running store switch to the new seal.
 */
export function serverRotateRoot(
  store: Pick<HushStore, 'rotateRoot'>,
  config: ServerConfig['seal'],
  env: NodeJS.ProcessEnv = process.env,
): (request: RotateRootRequest) => Promise<RotateRootReply> {
  const keyFile = config.kind === 'key-file' ? keyFileRotateRoot(store, config.path) : undefined;
  return async (request) => {
    const stray = (Object.keys(request) as (keyof RotateRootRequest)[]).find(
      (field) => request[field] !== undefined && !FIELDS_OF[config.kind].includes(field),
    );
    if (stray) throw hushError('ROTATE_ROOT_FIELD_NOT_FOR_SEAL', { field: stray, kind: config.kind });
    if (keyFile) return keyFile();
    const seal = callersMistake(() => rotationSeal(config, request, env));
    const result = await callersMistake(() => store.rotateRoot(seal ? { seal } : {}));
    return {
      ...result,
      ...(seal instanceof RsaSeal && seal.fingerprint ? { fingerprint: seal.fingerprint } : {}),
      ...(config.kind === 'pkcs11' ? { keyLabel: request.keyLabel ?? config.keyLabel } : {}),
    };
  };
}

/** The seal for the new root key, or undefined to keep the configured one. */
function rotationSeal(
  config: ServerConfig['seal'],
  request: RotateRootRequest,
  env: NodeJS.ProcessEnv,
): Seal | undefined {
  switch (config.kind) {
    case 'shamir':
      return new ShamirSeal({
        shares: request.shares ?? config.shares,
        threshold: request.threshold ?? config.threshold,
      });
    case 'rsa':
      return request.publicKeyPem === undefined
        ? undefined
        : new RsaSeal({ publicKeyPem: request.publicKeyPem });
    case 'pkcs11':
      return request.keyLabel === undefined
        ? undefined
        : new Pkcs11Seal({
            library: config.library,
            tokenLabel: config.tokenLabel,
            keyLabel: request.keyLabel,
            ...(config.pinFile !== undefined ? { pinFile: config.pinFile } : {}),
            env,
          });
    default:
      return undefined;
  }
}

/**
 * The seals report unusable material (a weak RSA key, no such HSM key) as config errors, which they are at start;
 * here the material is the caller's, so it is a 400 that changed nothing, not a 500.
 */
function callersMistake<T>(run: () => T): T {
  const reword = (err: unknown): never => {
    if (isHushError(err) && err.code === 'HUSH_E_CONFIG') {
      throw hushError('ROTATE_ROOT_MATERIAL_UNUSABLE', { reason: err.message });
    }
    throw err;
  };
  try {
    const result = run();
    return (result instanceof Promise ? result.catch(reword) : result) as T;
  } catch (err) {
    return reword(err);
  }
}
