import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { HushError } from '../../core/errors/hush-error.js';
import { hushError } from '../../core/errors/index.js';
import { splitEngineRole } from '../../engines/engine-names.js';
import { emit, table } from '../io/output.js';
import { readStream } from '../io/read-stream.js';
import { remoteContext } from '../remote/request.js';

const MAX_FILE_BYTES = 64 * 1024;

/** Read a small text file (`-` = stdin) without echoing its content in any error. */
async function readTextFile(file: string, what: string): Promise<string> {
  try {
    const buf =
      file === '-'
        ? await readStream(process.stdin, MAX_FILE_BYTES, `the ${what} on standard input`)
        : await readFile(file);
    if (buf.length > MAX_FILE_BYTES) {
      throw hushError('FILE_BYTES_LIMIT', { what, file, length: buf.length, maxFileBytes: MAX_FILE_BYTES });
    }
    return buf.toString('utf8');
  } catch (err) {
    if (err instanceof HushError) throw err;
    const code = (err as { code?: unknown }).code;
    throw hushError('CANNOT_READ_FILE', { what, file, value: typeof code === 'string' ? ` (${code})` : '' });
  }
}

/** `hush creds config|role|read`: dynamic database credentials on a Hush server (HUSH_ADDR, HUSH_TOKEN). */
export function registerCreds(program: Command): void {
  const creds = program
    .command('creds')
    .description('configure database engines and read short-lived credentials');

  creds
    .command('config')
    .description('configure a secrets engine (the admin URL is read from a file or stdin, never argv)')
    .argument('<type>', 'engine type: postgres')
    .argument('<name>', 'engine name, e.g. main')
    .requiredOption(
      '--connection-url-file <file>',
      'file holding postgres://USER:PASSWORD@HOST:PORT/DB (- for stdin)',
    )
    .option(
      '--valid-until-margin <duration>',
      'how long after lease expiry the database refuses the role (default 5m)',
    )
    .option('--no-verify', 'save without checking the connection')
    .action(
      async (
        type: string,
        name: string,
        opts: { connectionUrlFile: string; validUntilMargin?: string; verify: boolean },
        cmd: Command,
      ) => {
        const ctx = remoteContext(cmd);
        if (type !== 'postgres') throw hushError('ENGINE_TYPE_NOT_SUPPORTED', { type: type.slice(0, 20) });
        const connectionUrl = (await readTextFile(opts.connectionUrlFile, 'connection URL')).trim();
        const view = await ctx.client.creds.configureEngine(name, {
          type,
          connectionUrl,
          ...(opts.validUntilMargin ? { validUntilMargin: opts.validUntilMargin } : {}),
          ...(opts.verify ? {} : { verify: false }),
        });
        emit(ctx, view, () => `configured ${view.type} engine "${view.name}" (${view.target})`);
      },
    );

  const role = creds.command('role').description('manage role templates of an engine');
  role
    .command('set <engine/role>')
    .description('create or replace a role: creation SQL with {{name}}, {{password}}, {{expiration}}')
    .requiredOption('--creation-sql-file <file>', 'creation statements (- for stdin)')
    .option(
      '--revocation-sql-file <file>',
      'revocation statements (default: end sessions, drop owned, drop role)',
    )
    .option('--renewal-sql-file <file>', 'renewal statements (default: ALTER ROLE ... VALID UNTIL)')
    .requiredOption('--ttl <duration>', 'lease length, e.g. 1h')
    .requiredOption('--max-ttl <duration>', 'longest lifetime counting renewals, e.g. 24h')
    .option(
      '--allow-unlisted-statements',
      'skip the statement allow-list (needs sudo on sys/unlisted-sql; see docs/dynamic-credentials.md)',
    )
    .action(
      async (
        target: string,
        opts: {
          creationSqlFile: string;
          revocationSqlFile?: string;
          renewalSqlFile?: string;
          ttl: string;
          maxTtl: string;
          allowUnlistedStatements?: boolean;
        },
        cmd: Command,
      ) => {
        const ctx = remoteContext(cmd);
        const { engine, role: name } = splitEngineRole(target);
        const body = {
          creationSql: await readTextFile(opts.creationSqlFile, 'creation SQL'),
          ...(opts.revocationSqlFile
            ? { revocationSql: await readTextFile(opts.revocationSqlFile, 'revocation SQL') }
            : {}),
          ...(opts.renewalSqlFile
            ? { renewalSql: await readTextFile(opts.renewalSqlFile, 'renewal SQL') }
            : {}),
          ttl: opts.ttl,
          maxTtl: opts.maxTtl,
          ...(opts.allowUnlistedStatements ? { allowUnlistedStatements: true } : {}),
        };
        const view = await ctx.client.creds.setRole(engine, name, body);
        emit(ctx, view, () => `wrote role ${engine}/${name} (ttl ${view.ttl}s, max ttl ${view.maxTtl}s)`);
      },
    );
  role
    .command('read <engine/role>')
    .description('print a role template')
    .action(async (target: string, _opts: unknown, cmd: Command) => {
      const ctx = remoteContext(cmd);
      const { engine, role: name } = splitEngineRole(target);
      const view = await ctx.client.creds.readRole(engine, name);
      emit(ctx, view, () =>
        [
          `role ${engine}/${name}: ttl ${view.ttl}s, max ttl ${view.maxTtl}s`,
          '-- creation',
          view.creationSql,
          '-- revocation',
          view.revocationSql,
          '-- renewal',
          view.renewalSql,
        ].join('\n'),
      );
    });

  role
    .command('delete <engine/role>')
    .description('delete a role template (leases issued under it keep working until they end)')
    .action(async (target: string, _opts: unknown, cmd: Command) => {
      const ctx = remoteContext(cmd);
      const { engine, role: name } = splitEngineRole(target);
      const res = await ctx.client.creds.deleteRole(engine, name);
      emit(ctx, res, () => `deleted role ${engine}/${name}`);
    });

  creds
    .command('delete <engine>')
    .description('delete a secrets engine: revoke its leases, then delete its roles and configuration')
    .option('--yes', 'confirm: every credential the engine issued stops working now')
    .action(async (name: string, opts: { yes?: boolean }, cmd: Command) => {
      if (!opts.yes) {
        throw hushError('DELETING_ENGINE_REVOKES_EVERY_CREDENTIAL', { name });
      }
      const ctx = remoteContext(cmd);
      const res = await ctx.client.creds.deleteEngine(name);
      emit(
        ctx,
        res,
        () =>
          `deleted engine ${res.engine}: ${res.leasesRevoked.length} lease(s) revoked, ${res.rolesDeleted.length} role(s) deleted` +
          (res.rolesDeleted.length > 0 ? ` (${res.rolesDeleted.join(', ')})` : ''),
      );
    });

  creds
    .command('read <engine/role>')
    .description('issue new credentials under a lease (prints the password once)')
    .option('--reveal', 'print the password on a terminal')
    .action(async (target: string, opts: { reveal?: boolean }, cmd: Command) => {
      const ctx = remoteContext(cmd);
      const { engine, role: name } = splitEngineRole(target);
      // Checked before the request: a masked password would be a live credential nobody can use.
      if (process.stdout.isTTY === true && !ctx.json && opts.reveal !== true) {
        throw hushError('CREDS_READ_PRINTS_NEW_PASSWORD');
      }
      const issued = await ctx.client.creds.read(engine, name);
      emit(ctx, issued, () =>
        table(
          ['FIELD', 'VALUE'],
          [
            ['username', issued.username],
            ['password', issued.password],
            ['lease id', issued.leaseId],
            ['ttl', `${issued.ttl}s`],
            ['expires', issued.expireAt],
            ['renewable', String(issued.renewable)],
          ],
        ),
      );
    });
}
