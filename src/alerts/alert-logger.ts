/** The slice of a pino logger alerting writes to (the server's logger). Fields never hold secrets or tokens. */
export interface AlertLogger {
  info(fields: object, msg: string): void;
  warn(fields: object, msg: string): void;
  error(fields: object, msg: string): void;
}
