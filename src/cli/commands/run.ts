import type { Command } from 'commander';
import { parseTtlSeconds } from '../../core/certs/pki-role.js';
import { hushError } from '../../core/errors/index.js';
import { type CertRenewals, certPart, parseCertFlag } from '../../inject/cert-renewals.js';
import { parseDuration } from '../../inject/duration.js';
import { mapSecretsToEnv, mergeEnv } from '../../inject/env-names.js';
import { type MappingFlags, mappingOptionsOf, withMappingOptions } from '../../inject/mapping-flags.js';
import { fingerprintPrefixed, type InjectStore, readPrefixed } from '../../inject/read-secrets.js';
import { type ChildExit, exitCodeOf, runOnce, spawnErrorMessage } from '../../inject/supervisor.js';
import { runWatched } from '../../inject/watch-loop.js';
import { withLocalOptions } from '../local/local-options.js';
import { runLocal } from '../local/run-local.js';
import { remoteContext } from '../remote/request.js';
import { serverCertRenewals } from '../remote/server-cert-renewals.js';
import {
  type ArtefactCheck,
  assertUnchanged,
  parseVerifySpec,
  passGate,
  verifyArtefacts,
} from './run-gate.js';

interface RunFlags extends MappingFlags {
  prefix?: string[];
  recursive?: boolean;
  watch?: boolean;
  interval: string;
  grace: string;
  override: boolean;
  keepHushCredentials?: boolean;
  verify?: ArtefactCheck[];
  gate?: string;
  trust?: string;
  gateTimeout: string;
  gatePoll: string;
  cert?: string[];
}

/** Hush's own credentials in the environment: the child does not get them unless asked (least privilege). */
const HUSH_CREDENTIALS = ['HUSH_TOKEN', 'HUSH_RSA_PASSPHRASE'];

const collect = (value: string, previous: string[] = []): string[] => [...previous, value];

/** `hush run --prefix P -- cmd args...`: run a command with the secrets below P as environment variables. */
export function registerRun(program: Command): void {
  const cmd = withMappingOptions(withLocalOptions(program.command('run')))
    .description('run a command with secrets as environment variables (never written to disk)')
    .argument('[command...]', 'the command and its arguments, after --')
    .option('--prefix <prefix>', 'inject the secrets below this prefix (repeatable)', collect)
    .option('-r, --recursive', 'include sub-folders (db/password -> DB_PASSWORD)')
    .option('--watch', 'restart the command when a secret changes')
    .option('--interval <duration>', 'with --watch: how often to check versions', '5s')
    .option('--grace <duration>', 'with --watch: wait this long after SIGTERM before SIGKILL', '10s')
    .option('--no-override', 'keep existing environment variables instead of replacing them')
    .option('--keep-hush-credentials', 'pass HUSH_TOKEN and HUSH_RSA_PASSPHRASE on to the command')
    .option(
      '--verify <artefact:signature:key>',
      'refuse to start unless the detached signature verifies with the transit key (repeatable)',
      (value: string, previous: ArtefactCheck[] = []) => [...previous, parseVerifySpec(value)],
    )
    .option(
      '--trust <store>',
      'with --verify: the third part is a signer certificate checked against this trust store',
    )
    .option('--gate <name>', 'refuse to start without an approved deploy request for gate NAME (spent once)')
    .option(
      '--gate-timeout <duration>',
      'with --gate: wait this long for an approver (0: fail at once)',
      '0s',
    )
    .option('--gate-poll <duration>', 'with --gate: how often to check the request while waiting', '2s')
    .option(
      '--cert <NAME=ROLE:NAMES[:TTL]>',
      "a certificate from the server's CA as NAME_CERT (leaf and chain), NAME_KEY and NAME_CA; renewed at 2/3 of its life with --watch (repeatable)",
      collect,
    )
    .passThroughOptions();
  cmd.action(async (command: string[], opts: RunFlags, self: Command) => {
    const [file, ...args] = command;
    if (file === undefined) {
      throw hushError('RUN_NEEDS_COMMAND');
    }
    const prefixes = opts.prefix ?? [];
    const certFlags = (opts.cert ?? []).map((c) => parseCertFlag(c, parseTtlSeconds));
    const certs = certFlags.length ? serverCertRenewals() : undefined;
    if (certFlags.length && !certs) throw hushError('PKI_NEEDS_SERVER');
    const gated = opts.verify !== undefined || opts.gate !== undefined;
    if (prefixes.length === 0 && !gated && certFlags.length === 0) {
      throw hushError('HUSH_RUN_NEEDS_LEAST_ONE');
    }
    const mapping = mappingOptionsOf(opts);
    const recursive = opts.recursive === true;
    const intervalMs = parseDuration(opts.interval, '--interval', 100);
    const graceMs = parseDuration(opts.grace, '--grace');
    // Without --prefix (a gated command only) nothing is read: no store is opened.
    const loadEnv = async (store: InjectStore | undefined) => {
      const { secrets, skipped } = store
        ? await readPrefixed(store, prefixes, recursive)
        : { secrets: [], skipped: [] };
      for (const s of skipped) process.stderr.write(`hush: skipped ${s.path}: ${s.reason}\n`);
      const base = { ...process.env };
      if (opts.keepHushCredentials !== true) for (const k of HUSH_CREDENTIALS) delete base[k];
      for (const { env, request } of certFlags) {
        const issued = await (certs as CertRenewals).get(request);
        base[`${env}_CERT`] = certPart(issued, 'fullchain');
        base[`${env}_KEY`] = certPart(issued, 'key');
        base[`${env}_CA`] = certPart(issued, 'chain');
      }
      return mergeEnv(base, mapSecretsToEnv(secrets, mapping), opts.override, (v, replaced) =>
        process.stderr.write(
          replaced
            ? `hush: ${v.name} from ${v.source} replaces the variable already set in the environment (--no-override keeps it)\n`
            : `hush: ${v.name} is already set in the environment; ${v.source} is not used (--no-override)\n`,
        ),
      );
    };
    if (gated) {
      // Signatures first, so no approver is asked about an artefact that would be refused anyway.
      const { client } = remoteContext(self);
      const verified = await verifyArtefacts(client, opts.verify ?? [], opts.trust);
      if (opts.gate !== undefined) {
        await passGate(
          client,
          opts.gate,
          {
            timeoutMs: parseDuration(opts.gateTimeout, '--gate-timeout'),
            pollMs: parseDuration(opts.gatePoll, '--gate-poll', 100),
            log: (line) => process.stderr.write(`${line}\n`),
          },
          verified,
        );
        // The wait may be long: what starts must still be what verified (and what the approver approved).
        await assertUnchanged(verified);
      }
    }
    let exit: ChildExit | undefined;
    if (opts.watch === true) {
      await runLocal(self, 'unsealed', async ({ store }) => {
        exit = await runWatched({
          command: file,
          args,
          intervalMs,
          graceMs,
          debounceMs: Math.min(1000, intervalMs),
          // Certificates join the secret versions: `due` at 2/3 of a certificate's life reads as a change.
          fingerprint: async () =>
            new Map([
              ...(await fingerprintPrefixed(store, prefixes, recursive)),
              ...(certs?.fingerprint() ?? []),
            ]),
          load: async () => {
            const secrets = await fingerprintPrefixed(store, prefixes, recursive);
            const env = await loadEnv(store);
            return { fingerprint: new Map([...secrets, ...(certs?.fingerprint() ?? [])]), env };
          },
          log: (line) => process.stderr.write(`${line}\n`),
        });
      });
    } else {
      // The store is closed before the child starts: a long-running child must not hold the database open.
      let env: Record<string, string> = {};
      if (prefixes.length === 0) env = await loadEnv(undefined);
      else
        await runLocal(self, 'unsealed', async ({ store }) => {
          env = await loadEnv(store);
        });
      exit = await runOnce({ command: file, args, env });
    }
    if (exit === undefined) return;
    if (exit.spawnError !== undefined) process.stderr.write(`${spawnErrorMessage(file, exit)}\n`);
    process.exitCode = exitCodeOf(exit);
  });
}
