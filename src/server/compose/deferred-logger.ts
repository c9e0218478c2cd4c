import type { ServerLogger } from '../server-deps.js';

/** A logger for parts built before the server's logger exists; `attach` points it at the real one. */
export interface DeferredLogger extends ServerLogger {
  attach(target: ServerLogger): void;
}

/**
 * Parts such as alerting and background jobs are composed before fastify creates its logger. Until `attach`, their
 * (rare) messages go to stderr as JSON lines, so nothing is lost; afterwards they go through the server's logger and
 * its redaction.
 */
export function deferredLogger(stderr: { write(text: string): unknown } = process.stderr): DeferredLogger {
  let target: ServerLogger | undefined;
  const early =
    (level: string) =>
    (fields: object, msg: string): void =>
      void stderr.write(`${JSON.stringify({ level, time: Date.now(), ...fields, msg })}\n`);
  return {
    attach(t) {
      target = t;
    },
    info: (fields, msg) => (target ? target.info(fields, msg) : early('info')(fields, msg)),
    warn: (fields, msg) => (target ? target.warn(fields, msg) : early('warn')(fields, msg)),
    error: (fields, msg) => (target ? target.error(fields, msg) : early('error')(fields, msg)),
  };
}
