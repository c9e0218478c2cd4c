import { HushError } from './hush-error.js';
import { MESSAGES } from './message-catalogue.js';
import { type MessageParam, type PlaceholdersOf, renderTemplate } from './message-template.js';

/** The id of a catalogued message, e.g. `'TOKEN_NOT_LIVE'`. */
export type MessageId = keyof typeof MESSAGES;

type HintOf<Id extends MessageId> = (typeof MESSAGES)[Id] extends { readonly hint: infer H extends string }
  ? H
  : '';

/** The placeholder names a message needs, from its template and its hint. */
export type ParamNamesOf<Id extends MessageId> =
  | PlaceholdersOf<(typeof MESSAGES)[Id]['template']>
  | PlaceholdersOf<HintOf<Id>>;

type Details = ConstructorParameters<typeof HushError>[2];

/** The arguments after the id: the params the template names (exactly those), then optional details. */
export type MessageArgs<Id extends MessageId> = [ParamNamesOf<Id>] extends [never]
  ? [params?: Readonly<Record<string, never>>, details?: Details]
  : [params: { readonly [K in ParamNamesOf<Id>]: MessageParam }, details?: Details];

/**
 * The coded error for catalogued message `id`, its placeholders filled from `params` (checked by the compiler: a
 * missing or unknown param does not build). The code, wording and hint live in src/core/errors/messages/, so the
 * same error reads the same wherever it is raised (after Fastify's `createError(code, message)`).
 */
export function hushError<Id extends MessageId>(id: Id, ...[params, details]: MessageArgs<Id>): HushError {
  const entry: { code: HushError['code']; template: string; hint?: string } = MESSAGES[id];
  const values: Readonly<Record<string, unknown>> = params ?? {};
  const hint = entry.hint === undefined ? undefined : renderTemplate(entry.hint, values);
  const text = renderTemplate(entry.template, values);
  return new HushError(entry.code, hint === undefined ? text : `${text}; ${hint}`, details, {
    messageId: id,
    hint,
  });
}
