import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatDotenv, formatShellEnv, parseDotenv } from '../src/core/secrets/dotenv.js';
import { assertCompiledCli, hushIn, oneLineError } from './support/run-hush.js';
import { makeTempDir, removeTempDir } from './support/temp-dir.js';

/** Values that break naive quoting: command substitution, quotes, newlines, backslashes, comments, spaces, unicode. */
const HOSTILE: Record<string, string> = {
  V01: 'x`touch PWNED`',
  V02: '$(touch PWNED)',
  V03: "it's",
  V04: 'say "hi"',
  V05: 'line1\nline2\n',
  V06: 'back\\slash\\n not a newline',
  V07: 'a # not a comment',
  V08: 'k=v=w',
  V09: '  leading and trailing  ',
  V10: 'pässwörd ✓ 🔑',
  // biome-ignore lint/suspicious/noTemplateCurlyInString: a literal ${...} is the hostile value
  V11: '${HOME} $HOME',
  V12: 'ends with a backslash\\',
  V13: 'crlf\r\nline',
  V14: 'tab\tvalue',
  V15: '!history !!',
  V16: ';rm -rf nothing; echo',
  V17: "'quoted in single'",
  V18: '*',
};
/** Holds all three quote characters: the dotenv package has no spelling for it. */
const NO_DOTENV_SPELLING = `"'\`mix\`'"`;

let dir: string;
let hush: ReturnType<typeof hushIn>;

beforeAll(async () => {
  assertCompiledCli();
  dir = await makeTempDir('export-quoting');
  hush = hushIn(dir);
  expect((await hush(['init'])).code).toBe(0);
  const doc = join(dir, 'hostile.json');
  await writeFile(doc, JSON.stringify(HOSTILE), { mode: 0o600 });
  const imported = await hush(['import', 'app/hostile', doc]);
  expect(imported.code, imported.stderr).toBe(0);
}, 60_000);
afterAll(() => removeTempDir(dir));

/** Source `file` with real bash (`set -a; . ./file`) in `dir` and return the named variables as node sees them. */
async function sourced(file: string, names: readonly string[]): Promise<Record<string, string | null>> {
  const print = `console.log(JSON.stringify(Object.fromEntries(${JSON.stringify(names)}.map(n => [n, process.env[n] ?? null]))))`;
  const script = `set -a; . ./${file}; set +a; exec "${process.execPath}" -e '${print.replace(/'/g, "'\\''")}'`;
  const { stdout } = await promisify(execFile)('bash', ['--noprofile', '--norc', '-c', script], { cwd: dir });
  return JSON.parse(stdout) as Record<string, string | null>;
}

describe('hush export quotes for the parser that reads the file', () => {
  it('env: bash sources every hostile value back exactly and runs nothing', async () => {
    const out = await hush(['export', 'app/hostile', '--format', 'env', '--out', join(dir, 'e')]);
    expect(out.code, out.stderr).toBe(0);
    const values = await sourced('e', Object.keys(HOSTILE));
    expect(existsSync(join(dir, 'PWNED'))).toBe(false);
    expect(values).toEqual(HOSTILE);
    // Hush's own .env reader (hush import) reads the same file back too (CRLF as LF, as it does for any .env).
    const parsed = parseDotenv(await readFile(join(dir, 'e'), 'utf8'));
    expect(parsed.errors).toEqual([]);
    expect(Object.fromEntries(parsed.entries.map((e) => [e.key, e.value]))).toEqual({
      ...HOSTILE,
      V13: 'crlf\nline',
    });
  });

  it('dotenv: every value reads back by the dotenv rules; one with no dotenv spelling is refused by name', async () => {
    // A final backslash reads as escaping the closing quote in dotenv's grammar: refused by name, not mangled.
    const refused = await hush(['export', 'app/hostile', '--format', 'dotenv', '--out', join(dir, 'd')]);
    expect(oneLineError(refused)).toMatch(/secret V12 cannot be written in the dotenv format/);
    const { V12: _final, ...representable } = HOSTILE;
    const doc = join(dir, 'dotenv-ok.json');
    await writeFile(doc, JSON.stringify(representable), { mode: 0o600 });
    expect((await hush(['import', 'app/dotenv', doc])).code).toBe(0);
    const out = await hush(['export', 'app/dotenv', '--format', 'dotenv', '--out', join(dir, 'd')]);
    expect(out.code, out.stderr).toBe(0);
    const text = await readFile(join(dir, 'd'), 'utf8');
    const ours = parseDotenv(text);
    expect(ours.errors).toEqual([]);
    expect(Object.fromEntries(ours.entries.map((e) => [e.key, e.value]))).toEqual(representable);
    const dotenv = loadDotenv();
    if (dotenv) expect(dotenv.parse(text)).toEqual(representable);
    expect(() => formatDotenv([{ key: 'MIX', value: NO_DOTENV_SPELLING }])).toThrow(
      /secret MIX cannot be written in the dotenv format/,
    );
  });

  it('refuses a NUL with a one-line error naming the secret, not the value', async () => {
    expect(() => formatShellEnv([{ key: 'NUL', value: 'a\0secret-bytes' }])).toThrow(
      /secret NUL holds a NUL byte/,
    );
    let message = '';
    try {
      formatShellEnv([{ key: 'NUL', value: 'a\0secret-bytes' }]);
    } catch (err) {
      message = (err as Error).message;
    }
    expect(message).not.toContain('secret-bytes');
  });

  it('refuses an unknown format with the list of formats', async () => {
    const out = await hush(['export', 'app/hostile', '--format', 'sh', '--out', join(dir, 'x')]);
    expect(oneLineError(out)).toMatch(/--format must be env, dotenv, json or yaml/);
  });
});

/** The dotenv package when installed (it is the reference parser of the dotenv format); undefined otherwise. */
function loadDotenv(): { parse(text: string): Record<string, string> } | undefined {
  try {
    return createRequire(import.meta.url)('dotenv') as { parse(text: string): Record<string, string> };
  } catch {
    return undefined;
  }
}
