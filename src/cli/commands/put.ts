import type { Command } from 'commander';
import { DEFAULT_MAX_VALUE_BYTES } from '../../core/secrets/value-codec.js';
import { emit } from '../io/output.js';
import { collectTag, parseVersionNumber } from '../io/parse-options.js';
import { readSecretInput } from '../io/secret-input.js';
import { localActor, withLocalOptions } from '../local/local-options.js';
import { runLocal } from '../local/run-local.js';

interface PutFlags {
  cas?: string;
  description?: string;
  tag?: Record<string, string>;
  expires?: string;
  file?: string;
  jsonValue?: boolean;
  allowArgv?: boolean;
}

/** `hush put ADDRESS [KEY=VALUE...]`: write a new version from stdin, --file or KEY=VALUE pairs. */
export function registerPut(program: Command): void {
  withLocalOptions(program.command('put <address> [pairs...]'))
    .description(
      'write a new version; the value comes from stdin, --file, or KEY=VALUE pairs (KEY=@file, KEY=-)',
    )
    .option('--cas <n>', 'check-and-set: the version you last read (0 = must not exist yet)')
    .option('--description <text>', 'description (stored encrypted)')
    .option('--tag <name=value>', 'tag, repeatable; replaces all tags (stored encrypted)', collectTag)
    .option('--expires <iso>', 'rotation due date, ISO 8601 (informational)')
    .option('--file <file>', 'read the value from a file')
    .option('--json-value', 'the value is a JSON object of fields')
    .option('--allow-argv', 'accept a bare value on the command line (it lands in shell history)')
    .action(async (address: string, pairs: string[], opts: PutFlags, cmd: Command) => {
      await runLocal(cmd, 'unsealed', async ({ store }, out) => {
        const value = await readSecretInput(pairs, {
          ...(opts.file !== undefined ? { file: opts.file } : {}),
          allowArgv: opts.allowArgv === true,
          jsonValue: opts.jsonValue === true,
          maxBytes: DEFAULT_MAX_VALUE_BYTES,
          stdin: process.stdin,
        });
        // Fields parsed from pairs/JSON are unknown-typed; the store validates the value shape (assertSecretValue).
        const result = await store.put(address, value as Parameters<typeof store.put>[1], {
          actor: localActor(),
          ...(opts.cas !== undefined ? { cas: parseVersionNumber(opts.cas, '--cas', true) } : {}),
          ...(opts.description !== undefined ? { description: opts.description } : {}),
          ...(opts.tag !== undefined ? { tags: opts.tag } : {}),
          ...(opts.expires !== undefined ? { expiresAt: opts.expires } : {}),
        });
        emit(out, result, () => `wrote ${result.path} version ${result.version}`);
      });
    });
}
