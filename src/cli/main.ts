import { Command, CommanderError } from 'commander';
import { reportCliError } from './cli-error.js';
import { COMMANDS } from './commands/index.js';

/** Build the `hush` program with every command registered; with `json`, usage errors are JSON objects too. */
export function buildProgram(json = false): Command {
  const program = new Command('hush')
    .description('Hush: encrypted secret store, server and secret scanner')
    .version('0.1.0')
    .option('--json', 'machine-readable JSON output')
    .option(
      '--data-dir <dir>',
      'data directory (default $HUSH_DATA_DIR, else ./data holding a store, else $XDG_DATA_HOME/hush)',
    )
    // Program options only before the command name, so `get --version 2` is the command's, not `hush --version`.
    .enablePositionalOptions()
    .exitOverride();
  // Configured before commands are added, so every subcommand inherits it.
  if (json) program.configureOutput({ outputError: (text, write) => write(`${usageErrorJson(text)}\n`) });
  else program.showHelpAfterError('(run `hush --help` for usage)');
  for (const register of COMMANDS) register(program);
  acceptJsonAfterCommand(program);
  return program;
}

/** `hush token create --json` as well as `hush --json token create`: every leaf command accepts a trailing --json. */
function acceptJsonAfterCommand(command: Command): void {
  for (const sub of command.commands) {
    if (sub.commands.length > 0) acceptJsonAfterCommand(sub);
    else if (!sub.options.some((o) => o.long === '--json'))
      sub.option('--json', 'machine-readable JSON output');
  }
}

/** Run the CLI with `argv` (as in process.argv) and return the exit code. */
export async function runCli(argv: readonly string[]): Promise<number> {
  // Only hush's own arguments count: `hush run -- cmd --json` passes --json to the child, not to hush.
  const dashDash = argv.indexOf('--');
  const json = (dashDash === -1 ? argv : argv.slice(0, dashDash)).includes('--json');
  const program = buildProgram(json);
  try {
    await program.parseAsync([...argv]);
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (err) {
    if (err instanceof CommanderError) {
      // Commander already printed its message (usage errors, --help, --version).
      return err.exitCode === 0 ? 0 : 2;
    }
    return reportCliError(err, json, process.env['HUSH_DEBUG'] === '1');
  }
}

/** Commander's usage error text as the coded JSON error shape of every other failure. */
function usageErrorJson(text: string): string {
  const message = text.trim().replace(/^error: /, '');
  return JSON.stringify({ error: { code: 'HUSH_E_USAGE', message } });
}
