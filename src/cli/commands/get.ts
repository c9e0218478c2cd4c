import type { Command } from 'commander';
import { hushError } from '../../core/errors/index.js';
import { VERSION_LABELS, type VersionLabel } from '../../core/secrets/secret-metadata.js';
import type { SecretRead } from '../../store/index.js';
import { emit, maskSecret } from '../io/output.js';
import { parseVersionNumber } from '../io/parse-options.js';
import { withLocalOptions } from '../local/local-options.js';
import { runLocal } from '../local/run-local.js';

interface GetFlags {
  version?: string;
  label?: string;
  field?: string;
  reveal?: boolean;
}

/** `hush get ADDRESS`: print a value; masked on a terminal unless --reveal or --field, raw to a pipe. */
export function registerGet(program: Command): void {
  withLocalOptions(program.command('get <address>'))
    .description('read a secret (masked on a terminal unless --reveal; raw when piped)')
    .option('--version <n>', 'read this version instead of the served one')
    .option('--label <label>', 'read the version labelled pending, current or previous (rotation)')
    .option('--field <name>', 'print one field of an object value, raw')
    .option('--reveal', 'show the value on a terminal')
    .action(async (address: string, opts: GetFlags, cmd: Command) => {
      await runLocal(cmd, 'unsealed', async ({ store }, out) => {
        const read = await store.get(address, {
          ...(opts.version !== undefined ? { version: parseVersionNumber(opts.version, '--version') } : {}),
          ...(opts.label !== undefined ? { label: parseLabel(opts.label) } : {}),
        });
        if (opts.field !== undefined) {
          const field = fieldOf(read, opts.field);
          emit(out, { path: read.path, version: read.version, field: opts.field, value: field }, () => field);
          return;
        }
        const raw = typeof read.value === 'string' ? read.value : JSON.stringify(read.value, null, 2);
        const masked = process.stdout.isTTY === true && opts.reveal !== true;
        emit(out, read, () => (masked ? maskedView(read) : raw));
      });
    });
}

function parseLabel(text: string): VersionLabel {
  if (!(VERSION_LABELS as readonly string[]).includes(text))
    throw hushError('VERSION_LABEL_UNKNOWN', {
      versionLabels: VERSION_LABELS.join(', '),
      text: text.slice(0, 40),
    });
  return text as VersionLabel;
}

function fieldOf(read: SecretRead, name: string): string {
  const value = read.value;
  if (typeof value === 'string') {
    throw hushError('SECRET_HAS_NO_FIELDS', { path: read.path });
  }
  if (!Object.hasOwn(value, name)) {
    const names = Object.keys(value).join(', ');
    throw hushError('NO_FIELD_FIELDS', { path: read.path, name, names });
  }
  const field = value[name];
  return typeof field === 'string' ? field : JSON.stringify(field);
}

function maskedView(read: SecretRead): string {
  const lines = [`${read.path} (version ${read.version}, masked; --reveal to show)`];
  if (typeof read.value === 'string') lines.push(`  ${maskSecret(read.value)}`);
  else {
    for (const [k, v] of Object.entries(read.value)) {
      lines.push(`  ${k}: ${maskSecret(typeof v === 'string' ? v : JSON.stringify(v))}`);
    }
  }
  return lines.join('\n');
}
