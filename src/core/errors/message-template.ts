import type { ErrorCode } from './error-catalogue.js';

/**
 * One catalogued message: the code it is raised with, its wording as a template with `{name}` placeholders, and an
 * optional hint (what to do next). The rendered message is `template` or `template; hint`, so a reader of one line
 * sees both, while the wire reply also carries the hint on its own for programs.
 */
export interface MessageEntry {
  readonly code: ErrorCode;
  readonly template: string;
  readonly hint?: string;
}

/** A domain's messages, keyed by a stable message id (UPPER_SNAKE, unique across every domain). */
export type MessageTable = Readonly<Record<string, MessageEntry>>;

/** The characters that make `{...}` ordinary text (a JSON example) rather than a placeholder. */
type NotName = ' ' | '"' | "'" | ':' | ',' | '.' | '[' | ']' | '{' | '(' | ')' | '-' | '/';

/** The `{name}` placeholders of a template, at the type level: `'no {a} at {b}'` gives `'a' | 'b'`. */
export type PlaceholdersOf<S extends string> = S extends `${string}{${infer P}}${infer Rest}`
  ? P extends `${string}{${infer Q}`
    ? PlaceholdersOf<`{${Q}}${Rest}`> // `{{{name}}}`: the innermost brace opens the placeholder
    : (P extends '' | `${string}${NotName}${string}` ? never : P) | PlaceholdersOf<Rest>
  : never;

/** The runtime twin of {@link PlaceholdersOf}: identifier-shaped names between braces. */
export const PLACEHOLDER = /\{([A-Za-z_][A-Za-z0-9_]*)\}/g;

/** A value a placeholder may take; it is shown with `String()`, as a template literal would. */
export type MessageParam = string | number | bigint | boolean | null | undefined;

/** The names of the placeholders of `text` (runtime). */
export function placeholdersIn(text: string): string[] {
  return [...text.matchAll(PLACEHOLDER)].map((m) => m[1] as string);
}

/**
 * Fill `text`'s placeholders from `params`. A placeholder without a param stays as written, which the catalogue
 * test catches (every call site's params are checked by the compiler too). Replaced text is not scanned again,
 * so a value that itself contains `{x}` is shown as is.
 */
export function renderTemplate(text: string, params: Readonly<Record<string, unknown>>): string {
  return text.replace(PLACEHOLDER, (whole, name: string) =>
    Object.hasOwn(params, name) ? String(params[name]) : whole,
  );
}
