import { readFileSync } from 'node:fs';
import type { ServerConfig } from '../../config/server-config-schema.js';
import { HushError } from '../../core/errors/hush-error.js';
import { KeyFileSeal, RsaSeal, type Seal, ShamirSeal } from '../../seal/index.js';

/** The seal the server config names (the RSA public key is read from its file here, at the edge). */
export function sealForConfig(seal: ServerConfig['seal']): Seal {
  switch (seal.kind) {
    case 'key-file':
      return new KeyFileSeal({ path: seal.path });
    case 'shamir':
      return new ShamirSeal({ shares: seal.shares, threshold: seal.threshold });
    case 'rsa': {
      let publicKeyPem: string;
      try {
        publicKeyPem = readFileSync(seal.publicKeyPath, 'utf8');
      } catch (err) {
        const code = (err as NodeJS.ErrnoException).code ?? 'unreadable';
        throw new HushError(
          'HUSH_E_CONFIG',
          `cannot read seal.publicKeyPath ${seal.publicKeyPath} (${code})`,
        );
      }
      return new RsaSeal({ publicKeyPem });
    }
  }
}
