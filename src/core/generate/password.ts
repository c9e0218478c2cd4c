import { randomInt } from 'node:crypto';
import { hushError } from '../errors/index.js';

/** The character classes a password may draw from. Symbols omit quotes, backslash, backtick and space (shell-safe). */
export const PASSWORD_CLASSES = {
  lower: 'abcdefghijklmnopqrstuvwxyz',
  upper: 'ABCDEFGHIJKLMNOPQRSTUVWXYZ',
  digits: '0123456789',
  symbols: '!#$%&()*+,-./:;<=>?@[]^_{|}~',
} as const;

/** Characters that are easy to confuse when read or typed by a human. */
export const AMBIGUOUS_CHARACTERS = '0Oo1lI|';

/** The longest password generated (longer ones are a usage mistake, not a policy). */
export const MAX_PASSWORD_LENGTH = 4096;

/** A class setting: false = never used, true = at least one, a number = at least that many (0 = allowed). */
export type ClassSetting = boolean | number;

/** Password policy; every class defaults to `true` (required, at least one). */
export interface PasswordOptions {
  readonly length?: number;
  readonly lower?: ClassSetting;
  readonly upper?: ClassSetting;
  readonly digits?: ClassSetting;
  readonly symbols?: ClassSetting;
  /** Characters never to use. */
  readonly exclude?: string;
  /** Drop {@link AMBIGUOUS_CHARACTERS}. */
  readonly excludeAmbiguous?: boolean;
}

type ClassName = keyof typeof PASSWORD_CLASSES;
const CLASS_NAMES = Object.keys(PASSWORD_CLASSES) as ClassName[];

function minimumOf(name: ClassName, setting: ClassSetting | undefined): number | undefined {
  if (setting === undefined || setting === true) return 1;
  if (setting === false) return undefined;
  if (!Number.isInteger(setting) || setting < 0 || setting > MAX_PASSWORD_LENGTH)
    throw hushError('PASSWORD_MINIMUM_MUST_WHOLE_NUMBER', {
      name,
      maxPasswordLength: MAX_PASSWORD_LENGTH,
      setting,
    });
  return setting;
}

/** One uniformly chosen character of `pool` (randomInt rejects internally, so there is no modulo bias). */
function pick(pool: string): string {
  return pool[randomInt(pool.length)]!;
}

/**
 * A random password meeting the policy: each required class appears at least its minimum count, the rest are drawn
 * uniformly from every allowed character, then a Fisher-Yates shuffle (CSPRNG) hides where the required ones went.
 *
 * @example
 * password({ length: 32, symbols: false, excludeAmbiguous: true });
 */
export function password(options: PasswordOptions = {}): string {
  const length = options.length ?? 24;
  if (!Number.isInteger(length) || length < 1 || length > MAX_PASSWORD_LENGTH)
    throw hushError('PASSWORD_LENGTH_MUST_WHOLE_NUMBER', { maxPasswordLength: MAX_PASSWORD_LENGTH, length });
  const excluded = new Set([
    ...(options.exclude ?? ''),
    ...(options.excludeAmbiguous ? AMBIGUOUS_CHARACTERS : ''),
  ]);
  const classes: { name: ClassName; chars: string; min: number }[] = [];
  for (const name of CLASS_NAMES) {
    const min = minimumOf(name, options[name]);
    if (min === undefined) continue;
    const chars = [...PASSWORD_CLASSES[name]].filter((c) => !excluded.has(c)).join('');
    if (chars.length === 0 && min > 0) throw hushError('PASSWORD_EVERY_CHARACTER_EXCLUDED_BUT', { name });
    classes.push({ name, chars, min });
  }
  const pool = classes.map((c) => c.chars).join('');
  if (pool.length === 0) throw hushError('PASSWORD_EVERY_CHARACTER_CLASS_DISABLED');
  const required = classes.reduce((sum, c) => sum + c.min, 0);
  if (required > length) throw hushError('PASSWORD_CLASS_MINIMUMS_ADD_UP', { required, length });
  const chars: string[] = [];
  for (const c of classes) for (let i = 0; i < c.min; i++) chars.push(pick(c.chars));
  while (chars.length < length) chars.push(pick(pool));
  for (let i = chars.length - 1; i > 0; i--) {
    const j = randomInt(i + 1);
    [chars[i], chars[j]] = [chars[j]!, chars[i]!];
  }
  return chars.join('');
}
