import { readFileSync } from 'node:fs';
import type { ServerConfig } from '../../config/server-config-schema.js';
import { hushError } from '../../core/errors/index.js';
import {
  KeyFileSeal,
  looseKeyFileAllowed,
  Pkcs11Seal,
  RsaSeal,
  type Seal,
  ShamirSeal,
} from '../../seal/index.js';

/**
 * The seal the server config names (the RSA public key is read from its file here, at the edge; the pkcs11 seal
 * reads its PIN from `env` or its PIN file each time it opens the HSM).
 */
export function sealForConfig(seal: ServerConfig['seal'], env: NodeJS.ProcessEnv = process.env): Seal {
  switch (seal.kind) {
    case 'key-file':
      return new KeyFileSeal({
        path: seal.path,
        allowLooseMode: seal.allowLooseMode === true || looseKeyFileAllowed(env),
      });
    case 'shamir':
      return new ShamirSeal({ shares: seal.shares, threshold: seal.threshold });
    case 'rsa': {
      let publicKeyPem: string;
      try {
        publicKeyPem = readFileSync(seal.publicKeyPath, 'utf8');
      } catch (err) {
        const code = (err as NodeJS.ErrnoException).code ?? 'unreadable';
        throw hushError('CANNOT_READ_SEAL_PUBLIC_KEY', { publicKeyPath: seal.publicKeyPath, code });
      }
      return new RsaSeal({ publicKeyPem });
    }
    case 'pkcs11':
      return new Pkcs11Seal({
        library: seal.library,
        tokenLabel: seal.tokenLabel,
        keyLabel: seal.keyLabel,
        ...(seal.pinFile !== undefined ? { pinFile: seal.pinFile } : {}),
        env,
      });
  }
}
