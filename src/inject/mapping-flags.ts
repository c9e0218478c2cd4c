import type { Command } from 'commander';
import { hushError } from '../core/errors/index.js';
import { type EnvMappingOptions, type FieldsMode, parseMapFlags } from './env-names.js';

/** The name-mapping flags as commander parses them. */
export interface MappingFlags {
  map?: string[];
  include?: string[];
  exclude?: string[];
  envPrefix?: string;
  fields?: string;
}

const collect = (value: string, previous: string[] = []): string[] => [...previous, value];

/** Add the name-mapping flags shared by `hush run` and `hush export --format k8s-secret`. */
export function withMappingOptions(cmd: Command): Command {
  return cmd
    .option(
      '--map <src=dst>',
      'rename a variable: derived name or relative path = new name (repeatable)',
      collect,
    )
    .option('--include <glob>', 'only secrets whose path below the prefix matches (repeatable)', collect)
    .option('--exclude <glob>', 'leave out secrets whose path below the prefix matches (repeatable)', collect)
    .option('--env-prefix <text>', 'prepend to every derived name, e.g. APP_')
    .option('--fields <mode>', 'object values: expand (one variable per field, default) or json', 'expand');
}

/** The mapping options from the parsed flags (usage errors for a bad --fields or --map). */
export function mappingOptionsOf(flags: MappingFlags): EnvMappingOptions {
  const fields = flags.fields ?? 'expand';
  if (fields !== 'expand' && fields !== 'json') {
    throw hushError('FIELDS_MUST_EXPAND_JSON_FOUND', { fields });
  }
  return {
    map: parseMapFlags(flags.map ?? []),
    include: flags.include ?? [],
    exclude: flags.exclude ?? [],
    fields: fields as FieldsMode,
    ...(flags.envPrefix !== undefined ? { envPrefix: flags.envPrefix } : {}),
  };
}
