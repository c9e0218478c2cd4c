import { createHushClient, type HushClient, type HushClientOptions } from '../../client/index.js';
import { hushError } from '../../core/errors/index.js';
import type { HushStore, StoreApi, StoreStatus } from '../../store/index.js';

/** The store methods the CLI commands call, with the same shapes as `HushStore`. */
export type RemoteStore = StoreApi & Pick<HushStore, 'init' | 'unseal' | 'seal' | 'status' | 'close'>;

/**
 * Present a Hush server as a `HushStore` for the CLI commands: same method names, arguments and results. `actor`
 * options are ignored (the server records the token's identity); seal objects cannot cross the wire, so
 * `rotateRoot({ seal })` is refused and rotates under the server's configured seal when called without one.
 *
 * @example
 * const store = createRemoteStore({ address: 'http://127.0.0.1:8200', token: process.env.HUSH_TOKEN });
 */
export function createRemoteStore(options: HushClientOptions | { client: HushClient }): RemoteStore {
  const c = 'client' in options ? options.client : createHushClient(options);
  const status: RemoteStore['status'] = async (): Promise<StoreStatus> => {
    const s = await c.status();
    return {
      initialized: s.initialized,
      sealed: s.sealed,
      lockedDown: false, // a server's seal is explicit; there is no auto-unseal to lock down
      ...(s.kind ? { sealKind: s.kind } : {}),
      backendKind: 'remote',
    };
  };
  return {
    // The server may also issue the initial root token: it is passed through (once) as `rootToken`.
    async init() {
      const result = await c.init();
      const after = await c.status();
      return {
        sealKind: after.kind ?? 'shamir',
        ...(result.shares
          ? {
              oneTime: {
                shares: result.shares,
                ...(result.threshold ? { threshold: result.threshold } : {}),
              },
            }
          : {}),
        ...(result.rootToken ? { rootToken: result.rootToken } : {}),
      };
    },
    async unseal(material = {}) {
      await c.unseal(material);
    },
    async seal() {
      await c.seal();
    },
    status,
    get: (address, opts = {}) => c.get(address, opts),
    put: (address, value, { actor: _actor, ...opts }) => c.put(address, value, opts),
    versions: (address) => c.versions(address),
    updateMetadata: (address, { actor: _actor, ...opts }) => c.updateMetadata(address, opts),
    async list(prefix, opts = {}) {
      const page = await c.list(prefix, opts);
      return { entries: page.entries, ...(page.cursor !== undefined ? { cursor: page.cursor } : {}) };
    },
    delete: (address, { actor: _actor, ...opts }) => c.delete(address, opts),
    undelete: (address, { actor: _actor, ...opts }) => c.undelete(address, opts),
    destroy: (address, { actor: _actor, ...opts }) => c.destroy(address, opts),
    rollback: (address, { version, cas }) =>
      c.rollback(address, { version, ...(cas !== undefined ? { cas } : {}) }),
    // The server moves rotation state itself (onMoved is for the local store).
    move: (from, to, { actor: _actor, onMoved: _onMoved, ...opts }) => c.move(from, to, opts),
    importSecrets: (prefix, { actor: _actor, ...opts }) => c.importSecrets(prefix, opts),
    exportSecrets: (prefix, opts) => c.exportSecrets(prefix, opts),
    rotateKek: (scope) => c.rotateKek(scope),
    rewrap: (scope, opts = {}) => c.rewrap(scope, opts),
    async rotateRoot(opts = {}) {
      if (opts.seal) {
        throw hushError('REMOTE_SERVER_ROTATES_ROOT_KEY');
      }
      return c.rotateRoot();
    },
    keysStatus: () => c.keysStatus(),
    async importWrappingKey(opts = {}) {
      if (opts.scope === undefined) {
        throw hushError('REMOTE_SERVER_ISSUES_IMPORT_WRAPPING');
      }
      return c.importWrappingKey(opts.scope);
    },
    importKey: (scope, wrappedKey, opts = {}) => c.importKey(scope, wrappedKey, opts),
    revokeImported: (scope) => c.revokeImported(scope),
    setKeyringProtector: (scope, protector) => c.setKeyringProtector(scope, protector),
    close: async () => undefined,
  };
}
