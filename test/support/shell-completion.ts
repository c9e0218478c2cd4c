import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chmod, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { HUSH_BIN } from './run-hush.js';

// Completion is driven in the real shells, the way a Tab press reaches it: bash through the compspec `complete`
// registered (and bash-completion's on-demand loader), zsh through a real line editor on a pseudo-terminal (zpty),
// fish through `complete -C`. Each shell starts from a temporary HOME holding only what the install lines put there.

/** The bash-completion package's loader (Debian path of `apt-get install bash-completion`). */
export const BASH_COMPLETION = '/usr/share/bash-completion/bash_completion';

/** The shells the tests drive, and what `.ci/run` installs for them. */
export const SHELL_PACKAGES = { bash: 'bash bash-completion', zsh: 'zsh', fish: 'fish' } as const;
export type Shell = keyof typeof SHELL_PACKAGES;

/** Why `shell` cannot be driven here, or undefined when it can. */
export function shellMissing(shell: Shell): string | undefined {
  if (spawnSync(shell, ['-c', 'exit 0']).error) return `${shell} is not installed`;
  if (shell === 'bash' && !existsSync(BASH_COMPLETION)) return `${BASH_COMPLETION} is missing`;
  return undefined;
}

/** A temporary HOME with `hush` on PATH, as a user who installed the package has it. */
export interface ShellHome {
  readonly home: string;
  readonly env: NodeJS.ProcessEnv;
}

/** Make `dir` a user's home: `dir/bin/hush` runs this checkout's CLI; no shell config, no XDG overrides. */
export async function shellHome(dir: string): Promise<ShellHome> {
  await mkdir(join(dir, 'bin'), { recursive: true });
  await writeFile(
    join(dir, 'bin/hush'),
    `#!/bin/sh\nexec ${JSON.stringify(process.execPath)} ${JSON.stringify(HUSH_BIN)} "$@"\n`,
  );
  await chmod(join(dir, 'bin/hush'), 0o755);
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (!/^(HUSH_|XDG_|ZDOTDIR$|BASH_COMPLETION|VISUAL$|EDITOR$|fish_)/.test(k)) env[k] = v;
  }
  Object.assign(env, { HOME: dir, PATH: `${join(dir, 'bin')}:${process.env['PATH'] ?? ''}`, TERM: 'xterm' });
  return { home: dir, env };
}

/** Run `script` in `shell` (non-interactive) in that home; fails the test on a non-zero exit. */
export function runIn(shell: Shell, at: ShellHome, script: string, args: readonly string[] = []): string {
  const r = spawnSync(shell, ['-c', script, ...(shell === 'bash' ? ['bash'] : []), ...args], {
    cwd: at.home,
    env: at.env,
    encoding: 'utf8',
    timeout: 60_000,
  });
  if (r.status !== 0) throw new Error(`${shell} exited ${r.status}: ${r.stderr}${r.error ?? ''}`);
  return r.stdout;
}

const SCRIPTS = join(import.meta.dirname, 'shells');

/**
 * What bash offers for each of `typed` (each as if Tab were pressed at its end) after sourcing the file `setup`
 * (like a ~/.bashrc); see shells/bash-complete.bash.
 */
export function bashComplete(at: ShellHome, setup: string, typed: readonly string[]): string[][] {
  return byLine(
    runIn('bash', at, `source ${JSON.stringify(join(SCRIPTS, 'bash-complete.bash'))}`, [setup, ...typed]),
  );
}

/**
 * What zsh's completion system adds for each of `typed`, each typed with a Tab into one interactive zsh on a
 * pseudo-terminal that read the home's ~/.zshrc (see shells/zsh-complete.zsh).
 */
export function zshComplete(at: ShellHome, typed: readonly string[]): string[][] {
  const r = spawnSync('zsh', ['-f', join(SCRIPTS, 'zsh-complete.zsh'), ...typed], {
    cwd: at.home,
    env: at.env,
    encoding: 'utf8',
    timeout: 60_000,
  });
  if (r.status !== 0) throw new Error(`zsh driver exited ${r.status}: ${r.stderr}${r.error ?? ''}`);
  return byLine(r.stdout).map((offered) => [...new Set(offered)]);
}

/**
 * What fish offers for each of `typed` after running `setup` (`complete -C`, the query behind its Tab), as names
 * without their descriptions.
 */
export function fishComplete(at: ShellHome, setup: string, typed: readonly string[]): string[][] {
  const script = `${setup}\nfor line in $argv; complete -C $line; echo __END__; end`;
  return byLine(runIn('fish', at, script, typed)).map((offered) =>
    offered.map((l) => l.split('\t')[0] ?? ''),
  );
}

/** Output split at the drivers' end-of-line markers (`__END__`, or zsh's numbered `__END_n__`). */
function byLine(out: string): string[][] {
  const groups: string[][] = [[]];
  for (const l of out.split('\n')) {
    if (/^__END(_\d+)?__$/.test(l)) groups.push([]);
    else if (l.length > 0) groups.at(-1)?.push(l);
  }
  return groups.slice(0, -1);
}
