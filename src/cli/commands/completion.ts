import type { Command } from 'commander';
import { hushError } from '../../core/errors/index.js';
import {
  COMPLETION_SHELLS,
  type CompletionShell,
  completionScript,
  completionTree,
} from '../completion/completion-scripts.js';

/** `hush completion bash|zsh|fish`: print a completion script generated from this program's command tree. */
export function registerCompletion(program: Command): void {
  program
    .command('completion <shell>')
    .description(
      'print shell completion for bash, zsh or fish (e.g. `hush completion bash > ~/.local/share/bash-completion/completions/hush`)',
    )
    .action((shell: string) => {
      if (!(COMPLETION_SHELLS as readonly string[]).includes(shell)) {
        throw hushError('UNKNOWN_SHELL_SHELL', { shell, completionShells: COMPLETION_SHELLS.join(', ') });
      }
      process.stdout.write(completionScript(shell as CompletionShell, completionTree(rootOf(program))));
    });
}

function rootOf(cmd: Command): Command {
  let at = cmd;
  while (at.parent) at = at.parent;
  return at;
}
