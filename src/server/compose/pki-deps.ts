import type { PkiConfig } from '../../core/certs/pki-config.js';
import { createPki } from '../../pki/index.js';
import type { HsmSigner } from '../../ports/hsm-signer-port.js';
import type { HushStore } from '../../store/index.js';
import type { composeCerts } from './certs-deps.js';

/**
 * Hush's certificate authority as the server runs it: every certificate it issues enters the inventory with its
 * chain (so expiry checks and alerts cover it), its own root is a trust anchor of the inventory, and issued serials
 * expired over a day ago are forgotten by a leader-only hourly job.
 */
export function composePki(
  store: HushStore,
  certs: Pick<ReturnType<typeof composeCerts>, 'service'>,
  config: PkiConfig,
  hsm?: HsmSigner,
) {
  const pki = createPki({
    maxIssued: config.maxIssued,
    ...(hsm ? { hsm } : {}),
    readBackend: store.readBackend,
    barrier: store.barrier,
    onIssued: async (issued, role) => {
      await certs.service.ingest([
        { source: 'pki', location: `pki:${role}`, pem: issued.certificate + issued.chain.join('') },
      ]);
    },
    // Hush's own root is a root Hush trusts when it judges the chains of endpoints serving issued certificates.
    onCaCreated: async (ca) => {
      await certs.service.ingest([{ source: 'pki', location: 'pki:ca', pem: ca.chain }], {
        trustAnchor: true,
      });
    },
  });
  return {
    pki,
    job: {
      name: 'pki-tidy',
      intervalMs: 3_600_000,
      run: async () => {
        if (!store.isSealed()) await pki.issuer.tidy();
      },
    },
  };
}
