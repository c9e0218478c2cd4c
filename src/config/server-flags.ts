import type { Command } from 'commander';

/** Command-line flags of `hush server` that override the config file and HUSH_* variables. */
export interface ServerFlags {
  readonly config?: string;
  readonly listen?: string;
  readonly dataDir?: string;
  readonly tlsCert?: string;
  readonly tlsKey?: string;
  readonly insecureListen?: boolean;
  readonly logLevel?: string;
}

/** Where each flag lands in the config object (config itself is the file path, not a setting). */
export const FLAG_PATHS: Readonly<Record<Exclude<keyof ServerFlags, 'config'>, readonly string[]>> = {
  listen: ['listen'],
  dataDir: ['dataDir'],
  tlsCert: ['tls', 'cert'],
  tlsKey: ['tls', 'key'],
  insecureListen: ['insecureListen'],
  logLevel: ['logLevel'],
};

/** Add the `hush server` flags to a commander command; commander's camelCased options match ServerFlags. */
export function addServerFlags(command: Command): Command {
  return command
    .option('--config <file>', 'YAML or JSON server config file')
    .option('--listen <host:port>', 'listen address (default 127.0.0.1:8200)')
    .option('--data-dir <dir>', 'data directory (default ./data)')
    .option('--tls-cert <file>', 'TLS certificate (PEM)')
    .option('--tls-key <file>', 'TLS private key (PEM)')
    .option('--insecure-listen', 'allow plain HTTP on a non-loopback address (not recommended)')
    .option('--log-level <level>', 'fatal|error|warn|info|debug|trace|silent');
}
