import { exitCodeFor } from '../core/errors/error-catalogue.js';
import { isHushError } from '../core/errors/hush-error.js';

/**
 * Turn any error into one line on stderr (or a JSON object with --json) and an exit code. Coded errors keep their
 * catalogue exit code; anything else is an internal error whose detail goes nowhere near the user's terminal
 * unless HUSH_DEBUG is set, because an unexpected exception might carry data we did not mean to show.
 */
export function reportCliError(err: unknown, json: boolean, debug: boolean): number {
  if (isHushError(err)) {
    if (json) process.stderr.write(`${JSON.stringify(err.toJSON())}\n`);
    else process.stderr.write(`hush: ${err.message} [${err.code}]\n`);
    return exitCodeFor(err.code);
  }
  const message = 'unexpected internal error; rerun with HUSH_DEBUG=1 for details and report it';
  if (json) process.stderr.write(`${JSON.stringify({ error: { code: 'HUSH_E_INTERNAL', message } })}\n`);
  else process.stderr.write(`hush: ${message} [HUSH_E_INTERNAL]\n`);
  if (debug) process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  return exitCodeFor('HUSH_E_INTERNAL');
}
