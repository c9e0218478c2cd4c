import type { Command } from 'commander';
import type { HushClient } from '../../client/index.js';
import { hushError } from '../../core/errors/index.js';
import type { Seal } from '../../seal/index.js';
import type { SealMaterialResult } from '../../store/index.js';
import { emit, type OutputOptions } from '../io/output.js';
import { parseVersionNumber } from '../io/parse-options.js';
import { type LocalFlags, localFlags, withLocalOptions } from '../local/local-options.js';
import { readMaterialFile } from '../local/unseal-material.js';
import { remoteAddress, remoteClient } from '../remote/remote-mode.js';

interface InitOptions {
  seal?: string;
  shares?: string;
  threshold?: string;
  publicKey?: string;
  pkcs11Token?: string;
  pkcs11Key?: string;
}

/**
 * `hush init`: create the store in the data dir and print the one-time unseal material; with HUSH_ADDR set (and no
 * --data-dir), initialise that server instead and print its shares and root token, once.
 */
export function registerInit(program: Command): void {
  withLocalOptions(program.command('init'))
    .description(
      'create a new store in the data directory (or, with HUSH_ADDR, initialise that server) and print its one-time unseal material',
    )
    .option(
      '--seal <kind>',
      'key-file (development, the default), shamir, rsa or pkcs11; a server uses its configured seal',
    )
    .option('--shares <n>', 'shamir: number of shares (default 5)')
    .option('--threshold <k>', 'shamir: shares needed to unseal (default 3)')
    .option('--public-key <file>', 'rsa: PEM public key (>= 3072 bits) to seal the root key to')
    .option('--pkcs11-token <label>', 'pkcs11: label of the token holding the key')
    .option(
      '--pkcs11-key <label>',
      'pkcs11: label of the AES key (create it with `hush operator hsm create-key`)',
    )
    .action(async (opts: InitOptions, cmd: Command) => {
      const flags = localFlags(cmd);
      const address = remoteAddress(flags, process.env);
      if (address) {
        await initRemote(remoteClient(address, process.env), address, opts, { json: flags.json === true });
        return;
      }
      // Loaded on use, so other commands (`hush scan` in a hook) do not pay for the seals, SQLite and the store.
      const { localPaths } = await import('../local/open-local-store.js');
      const { openBackend } = await import('../../storage/open-backend.js');
      const { createStore } = await import('../../store/index.js');
      const { RsaSeal } = await import('../../seal/index.js');
      const paths = localPaths(flags, process.env, { creating: true });
      await refuseOpenDataDir(paths.dataDir);
      const seal = await initSeal(opts, paths.keyFile, flags);
      const backend = await openBackend(paths.location);
      const store = createStore({ backend, seal });
      try {
        const result = await store.init();
        const fingerprint = seal instanceof RsaSeal ? seal.fingerprint : undefined;
        if (result.warning) process.stderr.write(`hush: warning: ${result.warning}\n`);
        emit(
          { json: flags.json === true },
          { dataDir: paths.dataDir, ...result, ...(fingerprint ? { fingerprint } : {}) },
          () =>
            describeMaterial(
              `initialised a store in ${paths.location.kind === 'sqlite' ? paths.dataDir : paths.database}`,
              result,
              fingerprint,
            ),
        );
      } finally {
        await store.close();
      }
    });
}

/** Initialise a server: its configured seal decides the kind; shares/threshold are checked against its config. */
async function initRemote(
  client: HushClient,
  address: string,
  opts: InitOptions,
  out: OutputOptions,
): Promise<void> {
  if (opts.pkcs11Token !== undefined || opts.pkcs11Key !== undefined) {
    throw hushError('SERVER_USES_TOKEN_KEY_CONFIG');
  }
  if (opts.publicKey !== undefined) {
    throw hushError('SERVER_SEALS_PUBLIC_KEY_CONFIG');
  }
  const before = await client.status();
  if (opts.seal !== undefined && before.kind !== undefined && opts.seal !== before.kind) {
    throw hushError('SERVER_CONFIGURED_SEAL_NOT', { address, kind: before.kind, seal: opts.seal });
  }
  const result = await client.init({
    ...(opts.shares ? { shares: parseVersionNumber(opts.shares, '--shares') } : {}),
    ...(opts.threshold ? { threshold: parseVersionNumber(opts.threshold, '--threshold') } : {}),
  });
  const sealKind = (await client.status()).kind ?? before.kind ?? 'key-file';
  const material: SealMaterialResult = {
    sealKind,
    ...(result.shares
      ? { oneTime: { shares: result.shares, ...(result.threshold ? { threshold: result.threshold } : {}) } }
      : {}),
  };
  emit(out, { address, ...material, ...(result.rootToken ? { rootToken: result.rootToken } : {}) }, () => {
    const text = describeMaterial(`initialised the server at ${address}`, material).replace(
      /\nthe store unseals itself with the key file on every command/,
      '\nthe server unseals itself with its key file on start',
    );
    return result.rootToken
      ? `${text}\n\nroot token (shown once, store it now): ${result.rootToken}\nuse it to write policies and create narrower tokens, then revoke it`
      : text;
  });
}

/** Human text for init and rotate-root: the loud one-time material block. */
export function describeMaterial(headline: string, result: SealMaterialResult, fingerprint?: string): string {
  const lines = [`${headline} (seal: ${result.sealKind})`];
  if (result.sealKind === 'key-file')
    lines.push('the store unseals itself with the key file on every command');
  if (result.sealKind === 'pkcs11')
    lines.push(
      'the store unseals itself through the HSM on every command (PIN from $HUSH_PKCS11_PIN or a PIN file)',
    );
  if (fingerprint) lines.push(`sealed to the RSA key ${fingerprint}; keep its private key safe`);
  const shares = result.oneTime?.shares;
  if (shares) {
    lines.push(
      '',
      '!!! STORE THESE NOW, THEY ARE NOT SHOWN AGAIN !!!',
      `unseal shares (any ${result.oneTime?.threshold ?? '?'} of ${shares.length} unseal the store):`,
      ...shares.map((s, i) => `  share ${i + 1}: ${s}`),
    );
  }
  return lines.join('\n');
}

/** Build the seal named by --seal with its init options, validating them at the edge. */
export async function initSeal(opts: InitOptions, keyFile: string, flags: LocalFlags = {}): Promise<Seal> {
  const { KeyFileSeal, Pkcs11Seal, RsaSeal, ShamirSeal } = await import('../../seal/index.js');
  if (opts.seal === undefined || opts.seal === 'key-file') return new KeyFileSeal({ path: keyFile });
  if (opts.seal === 'shamir') {
    return new ShamirSeal({
      shares: opts.shares ? parseVersionNumber(opts.shares, '--shares') : 5,
      threshold: opts.threshold ? parseVersionNumber(opts.threshold, '--threshold') : 3,
    });
  }
  if (opts.seal === 'rsa') {
    if (!opts.publicKey) {
      throw hushError('RSA_SEAL_NEEDS_PUBLIC_KEY');
    }
    return new RsaSeal({
      publicKeyPem: await readMaterialFile(opts.publicKey, 'public key', 'HUSH_E_INVALID_INPUT'),
    });
  }
  if (opts.seal === 'pkcs11') {
    if (!opts.pkcs11Token || !opts.pkcs11Key) {
      throw hushError('PKCS11_SEAL_NEEDS_PKCS11_TOKEN');
    }
    const { pkcs11SealOptions } = await import('../local/open-local-store.js');
    return new Pkcs11Seal({
      ...pkcs11SealOptions(flags, process.env),
      tokenLabel: opts.pkcs11Token,
      keyLabel: opts.pkcs11Key,
    });
  }
  throw hushError('SEAL_MUST_KEY_FILE_SHAMIR', { seal: opts.seal });
}

/**
 * Refuse to create a store in an existing folder others may write to (e.g. 0777): they could replace the key file
 * or the database. Not fixed silently: it may be a shared folder such as /tmp, whose mode is not ours to change.
 */
async function refuseOpenDataDir(dir: string): Promise<void> {
  const { stat } = await import('node:fs/promises');
  const st = await stat(dir).catch(() => undefined);
  if (st?.isDirectory() && (st.mode & 0o022) !== 0) {
    throw hushError('DATA_DIRECTORY_WRITABLE_OTHER_USERS', { dir, value: (st.mode & 0o777).toString(8) });
  }
}
