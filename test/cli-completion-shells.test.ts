import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { buildProgram } from '../src/cli/main.js';
import { REPO_ROOT } from './support/compiled.js';
import { describeNeeding } from './support/require-tool.js';
import { runHush } from './support/run-hush.js';
import {
  BASH_COMPLETION,
  bashComplete,
  fishComplete,
  runIn,
  SHELL_PACKAGES,
  type Shell,
  type ShellHome,
  shellHome,
  shellMissing,
  zshComplete,
} from './support/shell-completion.js';
import { makeTempDir, removeTempDir } from './support/temp-dir.js';

// `hush completion bash|zsh|fish`, installed exactly as README.md says (both ways per shell: the on-demand install
// and `source` in the shell's startup file), then driven in the real shell. The install lines are checked against
// README.md so the docs cannot drift from what is tested.

/** The README's install lines, per shell: run in that shell in a fresh home, in order. */
const INSTALL: Record<Shell, readonly string[]> = {
  bash: [
    'mkdir -p ~/.local/share/bash-completion/completions',
    'hush completion bash > ~/.local/share/bash-completion/completions/hush',
  ],
  zsh: ['mkdir -p ~/.zfunc && hush completion zsh > ~/.zfunc/_hush'],
  fish: [
    'mkdir -p ~/.config/fish/completions',
    'hush completion fish > ~/.config/fish/completions/hush.fish',
  ],
};
/** The README's lines for the shell's startup file with the on-demand install (bash-completion is loaded by it). */
const ZSHRC_FPATH = ['fpath=(~/.zfunc $fpath)', 'autoload -U compinit && compinit'];
/** The README's one-liners for the current shell only. */
const SOURCE: Record<Shell, string> = {
  bash: 'source <(hush completion bash)',
  zsh: 'source <(hush completion zsh)',
  fish: 'hush completion fish | source',
};

/** Every command path of the real program, e.g. `operator snapshot save`. */
const PATHS: string[] = [];
const walk = (cmd: ReturnType<typeof buildProgram>, prefix: string[]) => {
  for (const sub of cmd.commands) {
    PATHS.push([...prefix, sub.name()].join(' '));
    walk(sub, [...prefix, sub.name()]);
  }
};
walk(buildProgram(), []);
const TOP = buildProgram().commands.map((c) => c.name());

/** A file in each home (the shells' working directory), its name with a space. */
const SPACED_FILE = 'my snapshot.db';

/** Lines typed (completion at the end of each) and what must be offered; the first is a fresh shell's first Tab. */
const CASES: ReadonlyArray<readonly [string, readonly string[]]> = [
  ['hush se', ['seal', 'server']],
  ['hush ', TOP],
  ['hush operator snapshot ', ['save', 'restore', 'verify']],
  ['hush operator snapshot save --f', ['--file', '--from', '--force']],
  ['hush --data-dir /tmp hooks ', ['install', 'uninstall']],
  // Where a command takes files (no subcommands below it), the shell's own file names, spaces included.
  ['hush scan my', [SPACED_FILE]],
  ['hush operator snapshot save --file my', [SPACED_FILE]],
  // After an option that takes a value, the value: a file name, not a command; and the value is no command.
  ['hush --data-dir my', [SPACED_FILE]],
  ['hush --data-dir operator ', TOP],
];

let root: string;
beforeAll(async () => {
  root = await makeTempDir('completion');
});
afterAll(() => removeTempDir(root));

it('README.md carries the install lines this test runs', () => {
  const readme = readFileSync(join(REPO_ROOT, 'README.md'), 'utf8');
  for (const line of [...Object.values(INSTALL).flat(), ...ZSHRC_FPATH, ...Object.values(SOURCE)])
    expect(readme, line).toContain(line);
});

it('an unknown shell is a usage error naming the shells', async () => {
  const bad = await runHush(['completion', 'tcsh']);
  expect(bad.code).toBe(2);
  expect(bad.stderr).toContain('unknown shell tcsh; use one of bash, zsh, fish');
});

/**
 * Two homes for `shell`: `installed` ran the README's install lines, `sourced` only has the one-liner in its
 * startup file; `complete` drives completion in one shell session per call.
 */
function describeShell(
  shell: Shell,
  startup: (home: string, mode: 'installed' | 'sourced') => Promise<void>,
  complete: (at: ShellHome, typed: readonly string[]) => string[][],
): void {
  const missing = shellMissing(shell);
  describeNeeding(
    missing && `${missing}: apt-get install -y ${SHELL_PACKAGES[shell]}`,
    `hush completion ${shell} in a real ${shell}`,
    () => {
      const homes: Partial<Record<'installed' | 'sourced', ShellHome>> = {};
      beforeAll(async () => {
        for (const mode of ['installed', 'sourced'] as const) {
          const at = await shellHome(join(root, `${shell}-${mode}`));
          await writeFile(join(at.home, SPACED_FILE), '');
          if (mode === 'installed') runIn(shell, at, INSTALL[shell].join('\n'));
          await startup(at.home, mode);
          homes[mode] = at;
        }
      });

      for (const mode of ['installed', 'sourced'] as const) {
        it(`${mode}: a fresh shell completes commands, subcommands and options from the first Tab`, () => {
          const offered = complete(
            homes[mode] as ShellHome,
            CASES.map(([typed]) => typed),
          );
          CASES.forEach(([typed, want], i) => {
            // zsh offers a file name quoted for its command line (`my\\ snapshot.db`).
            const names = offered[i]?.map((o) => o.replace(/\\(.)/g, '$1'));
            expect(names, typed).toEqual(expect.arrayContaining([...want]));
          });
          // Below a command, only its own subcommands: `operator snapshot` offers no top-level command.
          expect(offered[2]).not.toContain('init');
        });
      }

      it('every command of the program completes, at every depth', () => {
        const offered = complete(
          homes.installed as ShellHome,
          PATHS.map((p) => `hush ${p}`),
        );
        PATHS.forEach((path, i) => {
          expect(offered[i], path).toContain(path.split(' ').at(-1));
        });
      });
    },
  );
}

describeShell(
  'bash',
  // bash-completion (loaded from ~/.bashrc or /etc/bash.bashrc) loads the installed file on first use.
  (home, mode) =>
    writeFile(
      join(home, '.bashrc'),
      mode === 'installed' ? `source ${BASH_COMPLETION}\n` : `${SOURCE.bash}\n`,
    ),
  (at, typed) => bashComplete(at, join(at.home, '.bashrc'), typed),
);

describeShell(
  'zsh',
  (home, mode) =>
    writeFile(
      join(home, '.zshrc'),
      mode === 'installed' ? `${ZSHRC_FPATH.join('\n')}\n` : `${ZSHRC_FPATH[1]}\n${SOURCE.zsh}\n`,
    ),
  zshComplete,
);

describeShell(
  'fish',
  // config.fish is fish's startup file; the installed file needs nothing there (fish loads it on first use).
  async (home, mode) => {
    if (mode === 'installed') return;
    await mkdir(join(home, '.config/fish'), { recursive: true });
    await writeFile(join(home, '.config/fish/config.fish'), `${SOURCE.fish}\n`);
  },
  (at, typed) => fishComplete(at, '', typed),
);

const zshMissing = shellMissing('zsh');
describeNeeding(zshMissing && `${zshMissing}: apt-get install -y zsh`, 'zsh without compinit', () => {
  it('sourcing the script says what to run first instead of failing on compdef', async () => {
    const at = await shellHome(join(root, 'zsh-bare'));
    const r = spawnSync('zsh', ['-f', '-c', SOURCE.zsh], { env: at.env, encoding: 'utf8' });
    expect(r.stderr.trim()).toBe(
      'hush completion: zsh completion is not initialised; run `autoload -U compinit && compinit` first',
    );
  });
});
