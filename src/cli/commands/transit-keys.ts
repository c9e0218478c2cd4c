import type { Command } from 'commander';
import { hushError } from '../../core/errors/index.js';
import type { TransitKeyView } from '../../transit/index.js';
import { emit, table } from '../io/output.js';
import { remoteContext } from '../remote/request.js';
import { intOption } from './transit-input.js';

function describe(view: TransitKeyView): string {
  const traits = [
    view.type,
    ...(view.derived ? ['derived'] : []),
    ...(view.exportable ? ['exportable'] : []),
    ...(view.hsmToken ? [`in HSM token ${view.hsmToken}`] : []),
    ...(view.autoRotatePeriod ? [`rotates every ${view.autoRotatePeriod}s`] : []),
    ...(view.signatureAlgorithm ? [`signs ${view.signatureAlgorithm}`] : []),
  ];
  const lines = [
    `${view.name} (${traits.join(', ')})`,
    `  versions ${view.minAvailableVersion}..${view.latestVersion}; decrypts/verifies from v${view.minDecryptionVersion}; encrypts/signs with ${view.minEncryptionVersion === 0 ? 'the latest' : `v${view.minEncryptionVersion}+`}`,
    `  deletion ${view.deletionAllowed ? 'allowed' : 'not allowed'}`,
  ];
  return lines.join('\n');
}

/** `hush transit keys create|list|show|rotate|config|trim|delete`. */
export function registerTransitKeys(transit: Command): void {
  const keys = transit.command('keys').description('manage transit keys');

  keys
    .command('create <name>')
    .description(
      'create a key: aes256-gcm96, chacha20-poly1305, ed25519, ecdsa-p256, ecdsa-p384, rsa-2048/3072/4096, hmac',
    )
    .requiredOption('--type <type>', 'key type')
    .option('--derived', 'per-context subkeys (aes256-gcm96, chacha20-poly1305)')
    .option('--exportable', 'allow the material to be exported later (cannot be undone)')
    .option('--hsm <token>', 'keep the private key in this HSM token (keys.hsmTokens id): signing types only')
    .option('--hsm-label <label>', 'with --hsm: use the existing key pair of this label as version 1')
    .option('--auto-rotate-period <seconds>', 'rotate automatically this often (at least 3600; 0: never)')
    .option(
      '--signature-algorithm <alg>',
      'RSA keys: pss (default) or pkcs1v15, used when a sign/verify names none and as the JWKS alg',
    )
    .action(
      async (
        name: string,
        opts: {
          type: string;
          signatureAlgorithm?: string;
          derived?: boolean;
          exportable?: boolean;
          hsm?: string;
          hsmLabel?: string;
          autoRotatePeriod?: string;
        },
        cmd: Command,
      ) => {
        const ctx = remoteContext(cmd);
        if (opts.hsmLabel && !opts.hsm) throw hushError('HSM_LABEL_NEEDS_HSM');
        const period = intOption(opts.autoRotatePeriod, '--auto-rotate-period');
        const view = await ctx.client.transit.createKey(name, {
          type: opts.type,
          ...(opts.derived ? { derived: true } : {}),
          ...(opts.exportable ? { exportable: true } : {}),
          ...(opts.hsm
            ? { hsm: { token: opts.hsm, ...(opts.hsmLabel ? { label: opts.hsmLabel } : {}) } }
            : {}),
          ...(period !== undefined ? { autoRotatePeriod: period } : {}),
          ...(opts.signatureAlgorithm ? { signatureAlgorithm: opts.signatureAlgorithm } : {}),
        });
        emit(ctx, view, () => `created ${describe(view)}`);
      },
    );

  keys
    .command('list')
    .description('list transit key names')
    .action(async (_opts: unknown, cmd: Command) => {
      const ctx = remoteContext(cmd);
      const res = await ctx.client.transit.listKeys();
      emit(ctx, res, () => res.keys.join('\n'));
    });

  keys
    .command('show <name>')
    .description("show a key: rules, versions; --pem / --jwk print a signing key's public key")
    .option('--pem', 'print the public key (PEM) of the latest or --version version')
    .option('--jwk', 'print the public key (JWK) of the latest or --version version')
    .option('--version <n>', 'key version for --pem / --jwk')
    .action(async (name: string, opts: { pem?: boolean; jwk?: boolean; version?: string }, cmd: Command) => {
      const ctx = remoteContext(cmd);
      const view = await ctx.client.transit.readKey(name);
      if (!opts.pem && !opts.jwk) {
        emit(ctx, view, () =>
          [
            describe(view),
            table(
              ['VERSION', 'CREATED'],
              view.versions.map((v) => [String(v.version), v.createdAt]),
            ),
          ].join('\n'),
        );
        return;
      }
      const wanted = intOption(opts.version, '--version') ?? view.latestVersion;
      const pub = view.publicKeys?.find((p) => p.version === wanted);
      if (!pub)
        throw view.publicKeys
          ? hushError('TRANSIT_KEY_NO_VERSION', { name, v: wanted })
          : hushError('TRANSIT_KEY_NO_PUBLIC_KEY', { name, type: view.type });
      process.stdout.write(opts.pem ? pub.pem : `${JSON.stringify(pub.jwk)}\n`);
    });

  keys
    .command('rotate <name>')
    .description('add a new latest version (older versions keep decrypting until you raise the minimum)')
    .action(async (name: string, _opts: unknown, cmd: Command) => {
      const ctx = remoteContext(cmd);
      const view = await ctx.client.transit.rotateKey(name);
      emit(ctx, view, () => `rotated ${name}: latest version is ${view.latestVersion}`);
    });

  keys
    .command('config <name>')
    .description('set minimum versions and the deletion flag')
    .option('--min-decryption-version <n>', 'refuse ciphertexts and signatures of older versions')
    .option(
      '--min-encryption-version <n>',
      'oldest version callers may choose to encrypt with (0: latest only)',
    )
    .option('--deletion-allowed', 'allow hush transit keys delete')
    .option('--no-deletion-allowed', 'refuse deletion')
    .option('--auto-rotate-period <seconds>', 'rotate automatically this often (at least 3600; 0: never)')
    .action(
      async (
        name: string,
        opts: {
          minDecryptionVersion?: string;
          minEncryptionVersion?: string;
          deletionAllowed?: boolean;
          autoRotatePeriod?: string;
        },
        cmd: Command,
      ) => {
        const ctx = remoteContext(cmd);
        const autoRotatePeriod = intOption(opts.autoRotatePeriod, '--auto-rotate-period');
        const minDecryptionVersion = intOption(opts.minDecryptionVersion, '--min-decryption-version');
        const minEncryptionVersion = intOption(opts.minEncryptionVersion, '--min-encryption-version');
        const view = await ctx.client.transit.configureKey(name, {
          ...(minDecryptionVersion !== undefined ? { minDecryptionVersion } : {}),
          ...(minEncryptionVersion !== undefined ? { minEncryptionVersion } : {}),
          ...(opts.deletionAllowed !== undefined ? { deletionAllowed: opts.deletionAllowed } : {}),
          ...(autoRotatePeriod !== undefined ? { autoRotatePeriod } : {}),
        });
        emit(ctx, view, () => `configured ${describe(view)}`);
      },
    );

  keys
    .command('trim <name>')
    .description('delete versions below --min-available-version for good (data under them is lost)')
    .requiredOption(
      '--min-available-version <n>',
      'oldest version to keep (at most the minimum decryption version)',
    )
    .action(async (name: string, opts: { minAvailableVersion: string }, cmd: Command) => {
      const ctx = remoteContext(cmd);
      const min = intOption(opts.minAvailableVersion, '--min-available-version') ?? 1;
      const view = await ctx.client.transit.trimKey(name, min);
      emit(
        ctx,
        view,
        () => `trimmed ${name}: versions ${view.minAvailableVersion}..${view.latestVersion} remain`,
      );
    });

  keys
    .command('delete <name>')
    .description('delete a key whose deletion is allowed (everything encrypted under it becomes unreadable)')
    .action(async (name: string, _opts: unknown, cmd: Command) => {
      const ctx = remoteContext(cmd);
      const res = await ctx.client.transit.deleteKey(name);
      emit(ctx, res, () => `deleted transit key ${name}`);
    });
}
