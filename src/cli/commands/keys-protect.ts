import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { hushError } from '../../core/errors/index.js';
import { refuseSymlink, writeSecretFileAtomic } from '../../fs/atomic-file.js';
import type { KeysStatus, WrappingKeyInfo } from '../../store/index.js';
import { emit, table } from '../io/output.js';
import { withLocalOptions } from '../local/local-options.js';
import { runLocal } from '../local/run-local.js';

interface ScopeFlags {
  project?: string;
  env?: string;
}

/** `project/env` from --project and --env (both required unless `optional`, then both or neither). */
function scopeOf(flags: ScopeFlags, optional = false): string | undefined {
  if (flags.project !== undefined && flags.env !== undefined) return `${flags.project}/${flags.env}`;
  if (optional && flags.project === undefined && flags.env === undefined) return undefined;
  throw hushError('GIVE_KEYRING_PROJECT_PROJECT_ENV');
}

function withScope(cmd: Command, optional = false): Command {
  const help = optional ? ' (default: any project/environment)' : '';
  return withLocalOptions(cmd)
    .option('--project <project>', `the project of the keyring${help}`)
    .option('--env <env>', `the environment of the keyring${help}`);
}

/** Register `hush keys status|import-wrapping-key|import|revoke-imported|use-root|use-hsm` on `keys`. */
export function registerKeyProtection(keys: Command): void {
  withLocalOptions(keys.command('status'))
    .description("each keyring's protector, KEK versions and last rotation, and the root key's last rotation")
    .action(async (_opts: unknown, cmd: Command) => {
      await runLocal(cmd, 'unsealed', async ({ store }, out) => {
        const status = await store.keysStatus();
        emit(out, status, () => describeStatus(status));
      });
    });

  withScope(keys.command('import-wrapping-key'), true)
    .description('BYOK step 1: print the RSA-3072 public key (OAEP-SHA-256) to wrap your 32-byte key with')
    .option('--public-key-out <file>', 'also write the public key PEM to this file')
    .action(async (opts: ScopeFlags & { publicKeyOut?: string }, cmd: Command) => {
      await runLocal(cmd, 'unsealed', async ({ store }, out) => {
        const scope = scopeOf(opts, true);
        // Refused before a wrapping key is made, so a link leaves nothing half done.
        if (opts.publicKeyOut) await refuseSymlink(opts.publicKeyOut, '--public-key-out');
        const info = await store.importWrappingKey(scope ? { scope } : {});
        if (opts.publicKeyOut)
          await writeSecretFileAtomic(opts.publicKeyOut, info.publicKeyPem, '--public-key-out');
        emit(out, info, () => describeToken(info));
      });
    });

  withScope(keys.command('import'))
    .description('BYOK step 2: import your wrapped key and protect the project/environment keyring with it')
    .option(
      '--wrapped-key-file <file>',
      'the key wrapped with `openssl pkeyutl -encrypt` (binary, 384 bytes)',
    )
    .option('--import-token <id>', 'the import token the key was wrapped for (default: the current one)')
    .action(async (opts: ScopeFlags & { wrappedKeyFile?: string; importToken?: string }, cmd: Command) => {
      await runLocal(cmd, 'unsealed', async ({ store }, out) => {
        const scope = scopeOf(opts) as string;
        const wrapped = await readWrapped(opts.wrappedKeyFile);
        const result = await store.importKey(
          scope,
          wrapped,
          opts.importToken ? { tokenId: opts.importToken } : {},
        );
        emit(out, result, () =>
          result.outcome === 'unchanged'
            ? `${scope} is already protected by imported key ${result.fingerprint}`
            : `${scope}: keyring ${result.outcome === 'restored' ? 'readable again under re-imported' : 'now protected by imported'} key ${result.fingerprint} (check: \`openssl dgst -sha256 KEYFILE\` starts with it)`,
        );
      });
    });

  withScope(keys.command('revoke-imported'))
    .description('crypto-shred the imported key: every secret of the project/environment becomes unreadable')
    .option('--yes', 'confirm: nothing there can be read again unless you re-import the same key material')
    .action(async (opts: ScopeFlags & { yes?: boolean }, cmd: Command) => {
      const scope = scopeOf(opts) as string;
      if (!opts.yes) {
        throw hushError('REVOKING_MAKES_EVERY_SECRET_UNREADABLE', { scope });
      }
      await runLocal(cmd, 'unsealed', async ({ store }, out) => {
        const result = await store.revokeImported(scope);
        emit(
          out,
          result,
          () => `${scope}: imported key ${result.fingerprint} deleted; its secrets are unreadable`,
        );
      });
    });

  withScope(keys.command('use-root'))
    .description('re-seal the project/environment keyring under the root key again (deletes an imported key)')
    .action(async (opts: ScopeFlags, cmd: Command) => {
      await runProtector(cmd, scopeOf(opts) as string, 'root');
    });

  withScope(keys.command('use-hsm'))
    .description(
      're-seal the project/environment keyring under an external key wrapper the server has configured',
    )
    .option('--id <id>', 'the key wrapper id')
    .action(async (opts: ScopeFlags & { id?: string }, cmd: Command) => {
      if (!opts.id) throw hushError('GIVE_KEY_WRAPPER_ID_ID');
      await runProtector(cmd, scopeOf(opts) as string, `hsm:${opts.id}`);
    });
}

async function runProtector(cmd: Command, scope: string, protector: string): Promise<void> {
  await runLocal(cmd, 'unsealed', async ({ store }, out) => {
    const change = await store.setKeyringProtector(scope, protector);
    emit(out, change, () =>
      change.changed
        ? `${scope}: keyring moved from ${change.previous} to ${change.protector}`
        : `${scope}: keyring already protected by ${change.protector}`,
    );
  });
}

// A wrapped AES key is one RSA block (384 bytes for RSA-3072); anything far larger is the wrong file.
const MAX_WRAPPED_BYTES = 4096;

async function readWrapped(file: string | undefined): Promise<Buffer> {
  if (!file) {
    throw hushError('GIVE_WRAPPED_KEY_WRAPPED_KEY');
  }
  let bytes: Buffer;
  try {
    bytes = await readFile(file);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? 'error';
    throw hushError('CANNOT_READ_WRAPPED_KEY_FILE', { file, code });
  }
  if (bytes.length === 0 || bytes.length > MAX_WRAPPED_BYTES) {
    throw hushError('WRAPPED_KEY_FILE_BYTES_EXPECTED', { file, length: bytes.length });
  }
  return bytes;
}

function describeToken(info: WrappingKeyInfo): string {
  return [
    `import token: ${info.tokenId} (for ${info.scope ?? 'any project/environment'}; expires ${info.expiresAt})`,
    `algorithm: RSAES-OAEP with SHA-256 (MGF1-SHA-256), ${info.keySpec}`,
    info.publicKeyPem.trimEnd(),
  ].join('\n');
}

function describeStatus(status: KeysStatus): string {
  const rows = status.keyrings.map((k) => [
    k.scope,
    k.protector,
    k.available ? `v${k.current}` : 'unavailable',
    k.versions.map((v) => v.version).join(',') || '-',
    k.lastRotatedAt ?? '-',
  ]);
  const lines = [
    `root key: initialised ${status.root.initializedAt}, last rotated ${status.root.lastRotatedAt}`,
    rows.length > 0
      ? table(['KEYRING', 'PROTECTOR', 'CURRENT', 'VERSIONS', 'LAST ROTATED'], rows)
      : 'no keyrings yet (one is made on the first write to a project/environment)',
  ];
  for (const k of status.keyrings)
    if (k.error) lines.push(`${k.scope}: ${k.error.message} [${k.error.code}]`);
  return lines.join('\n');
}
