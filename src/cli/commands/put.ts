import type { Command } from 'commander';
import { hushError } from '../../core/errors/index.js';
import { generateSecret } from '../../core/generate/index.js';
import { assertSecretValue, DEFAULT_MAX_VALUE_BYTES } from '../../core/secrets/value-codec.js';
import { emit } from '../io/output.js';
import { collectTag, parseVersionNumber } from '../io/parse-options.js';
import { readSecretInput } from '../io/secret-input.js';
import { localActor, withLocalOptions } from '../local/local-options.js';
import { runLocal } from '../local/run-local.js';
import { addGeneratorOptions, generatedText, generatorRequest, givenGeneratorFlags } from './generate.js';

/** `put` already has --passphrase-file (rsa seal), so a generated key pair's passphrase file has its own flag. */
const KEY_PASSPHRASE_FLAG = '--key-passphrase-file';

interface PutFlags {
  cas?: string;
  description?: string;
  tag?: Record<string, string>;
  expires?: string;
  file?: string;
  jsonValue?: boolean;
  allowArgv?: boolean;
  generate?: string;
  show?: boolean;
  stage?: boolean;
}

/** The value to write: generated (--generate KIND) or read from the usual inputs; refuses mixing the two. */
async function valueFor(
  pairs: string[],
  opts: PutFlags,
  cmd: Command,
): Promise<{ value: unknown; generated: boolean }> {
  if (opts.generate === undefined) {
    const stray = [...givenGeneratorFlags(cmd, KEY_PASSPHRASE_FLAG), ...(opts.show ? ['--show'] : [])];
    if (stray.length > 0) throw hushError('OPTION_NEEDS_GENERATE', { stray: stray.join(', ') });
    const value = await readSecretInput(pairs, {
      ...(opts.file !== undefined ? { file: opts.file } : {}),
      allowArgv: opts.allowArgv === true,
      jsonValue: opts.jsonValue === true,
      maxBytes: DEFAULT_MAX_VALUE_BYTES,
      stdin: process.stdin,
    });
    return { value, generated: false };
  }
  const other = [
    ...(pairs.length > 0 ? ['a value or KEY=VALUE pairs'] : []),
    ...(opts.file !== undefined ? ['--file'] : []),
    ...(opts.jsonValue ? ['--json-value'] : []),
    ...(opts.allowArgv ? ['--allow-argv'] : []),
  ];
  if (other.length > 0) throw hushError('GENERATE_EXCLUDES_VALUE', { other: other.join(', ') });
  return {
    value: generateSecret(generatorRequest(opts.generate, cmd, KEY_PASSPHRASE_FLAG)),
    generated: true,
  };
}

/** `hush put ADDRESS [KEY=VALUE...]`: write a new version from stdin, --file or KEY=VALUE pairs. */
export function registerPut(program: Command): void {
  const command = withLocalOptions(program.command('put <address> [pairs...]'))
    .description(
      'write a new version; the value comes from stdin, --file, KEY=VALUE pairs (KEY=@file, KEY=-) or --generate KIND',
    )
    .option('--cas <n>', 'check-and-set: the version you last read (0 = must not exist yet)')
    .option('--description <text>', 'description (stored encrypted)')
    .option('--tag <name=value>', 'tag, repeatable; replaces all tags (stored encrypted)', collectTag)
    .option('--expires <iso>', 'rotation due date, ISO 8601 (informational)')
    .option('--file <file>', 'read the value from a file')
    .option('--json-value', 'the value is a JSON object of fields')
    .option('--allow-argv', 'accept a bare value on the command line (it lands in shell history)')
    .option(
      '--generate <kind>',
      'generate the value: password, bytes, api-key, uuid, keypair, ssh-key (see generate)',
    )
    .option('--show', 'with --generate: print the generated value (otherwise it is never shown)')
    .option(
      '--stage',
      'label the new version pending; readers keep the current one until a rotation promotes it (see docs/rotation.md)',
    );
  addGeneratorOptions(command, KEY_PASSPHRASE_FLAG).action(
    async (address: string, pairs: string[], opts: PutFlags, cmd: Command) => {
      if (opts.expires !== undefined) checkExpires(opts.expires);
      await runLocal(cmd, 'unsealed', async ({ store }, out) => {
        const { value, generated } = await valueFor(pairs, opts, cmd);
        // Fields parsed from pairs/JSON are unknown-typed: check shape and depth here, before a remote client
        // serialises the value (a too-deep value would overflow JSON.stringify's stack).
        assertSecretValue(value);
        const result = await store.put(address, value, {
          actor: localActor(),
          ...(opts.cas !== undefined ? { cas: parseVersionNumber(opts.cas, '--cas', true) } : {}),
          ...(opts.description !== undefined ? { description: opts.description } : {}),
          ...(opts.tag !== undefined ? { tags: opts.tag } : {}),
          ...(opts.expires !== undefined ? { expiresAt: opts.expires } : {}),
          ...(opts.stage === true ? { stage: true } : {}),
        });
        const message = `wrote ${result.path} version ${result.version}${opts.stage === true ? ' (pending)' : ''}`;
        if (generated && opts.show === true) {
          // --show: stdout carries only the value (as `hush generate` prints it), the confirmation goes to stderr.
          if (!out.json) process.stderr.write(`${message}\n`);
          emit(out, { ...result, value }, () => generatedText(value as Parameters<typeof generatedText>[0]));
        } else emit(out, result, () => message);
      });
    },
  );
}

/** --expires must be an ISO 8601 date in the future: a past due date would be recorded silently as already due. */
function checkExpires(text: string, now: number = Date.now()): void {
  const at = Date.parse(text);
  if (!/^\d{4}-\d{2}-\d{2}/.test(text) || Number.isNaN(at)) {
    throw hushError('EXPIRES_MUST_ISO_DATE_SUCH', { text: JSON.stringify(text) });
  }
  if (at <= now) {
    throw hushError('EXPIRES_TEXT_PAST', {
      text,
      value: new Date(now + 90 * 86_400_000).toISOString().slice(0, 10),
    });
  }
}
