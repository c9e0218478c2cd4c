import { constants, createPublicKey, verify } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { unsealedStores } from '../../test/support/test-store.js';
import { generateMaterial } from '../core/transit/index.js';
import { openSealedView } from '../store/sealed-view/index.js';
import { createTransit } from './create-transit.js';
import { TRANSIT_VIEW, transitKeyKey } from './transit-key-store.js';
import { single } from './transit-ops-service.js';

const unsealed = unsealedStores();

describe('RSA keys stored before the per-key signature scheme existed', () => {
  it('read as pss: the view, the JWKS alg and the default sign scheme', async () => {
    const { store } = await unsealed();
    const now = '2026-01-01T00:00:00.000Z';
    // The record exactly as the transit engine stored RSA keys before signatureAlgorithm: no such field.
    const legacy = {
      name: 'old-rsa',
      type: 'rsa-2048',
      derived: false,
      exportable: false,
      deletionAllowed: false,
      minDecryptionVersion: 1,
      minEncryptionVersion: 0,
      minAvailableVersion: 1,
      latestVersion: 1,
      versions: {
        '1': { material: (await generateMaterial('rsa-2048')).toString('base64'), createdAt: now },
      },
      createdAt: now,
      updatedAt: now,
    };
    const records = openSealedView(store.readBackend, store.barrier, TRANSIT_VIEW);
    await records.batch([{ op: 'put', key: transitKeyKey('old-rsa'), value: legacy, expectedRevision: 0 }]);

    const transit = createTransit({ readBackend: store.readBackend, barrier: store.barrier });
    const view = await transit.keys.get('old-rsa');
    expect(view.signatureAlgorithm).toBe('pss');
    expect((await transit.keys.jwks('old-rsa')).keys.map((k) => k.alg)).toEqual(['PS256']);

    const message = Buffer.from('built before the field');
    const signed = single(await transit.ops.sign('old-rsa', [{ input: message.toString('base64') }]));
    const sig = Buffer.from(signed.signature.replace(/^hush:v1:/, ''), 'base64');
    const publicKey = createPublicKey(view.publicKeys?.[0]?.pem ?? '');
    const pss = { key: publicKey, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 };
    expect(verify('sha256', message, pss, sig)).toBe(true);
    expect(verify('sha256', message, { key: publicKey, padding: constants.RSA_PKCS1_PADDING }, sig)).toBe(
      false,
    );
  });
});
