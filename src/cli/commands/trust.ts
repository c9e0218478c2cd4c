import type { Command } from 'commander';
import type { SignerFinding, TrustRole, TrustStoreView } from '../../client/trust-api.js';
import { emit } from '../io/output.js';
import { remoteContext } from '../remote/request.js';
import { readArtefact } from './artefact-signature.js';
import { intOption } from './transit-input.js';

function describe(view: TrustStoreView): string {
  return [
    `trust store ${view.name}`,
    ...view.certs.map((c) => `  ${c.role.padEnd(12)} ${c.subject}  (until ${c.notAfter})  ${c.fingerprint}`),
    ...view.crls.map(
      (c) =>
        `  crl          by ${c.issuer}: ${c.revokedCount} revoked, next update ${c.nextUpdate ?? 'none'}`,
    ),
  ].join('\n');
}

const finding = (f: SignerFinding) =>
  `${f.state.padEnd(9)} ${f.subject}  ${f.daysLeft} day(s) left${f.problems.length ? `: ${f.problems.join('; ')}` : ''}`;

/** `hush trust ...`: trust stores of signer certificates for `hush verify --cert --trust` and `hush run --trust`. */
export function registerTrust(program: Command): void {
  const trust = program
    .command('trust')
    .description('trust stores of signer certificates: roots, intermediates, third-party signers, CRLs');

  trust
    .command('add <store> <pem-file>')
    .description('add the certificates of a PEM file to a store (made on first add)')
    .requiredOption(
      '--role <role>',
      'root (trust anchor), intermediate, or signer (watched for expiry/revocation)',
    )
    .action(async (store: string, file: string, opts: { role: TrustRole }, cmd: Command) => {
      const ctx = remoteContext(cmd);
      const pem = (await readArtefact(file, 'certificate file')).toString('utf8');
      const view = await ctx.client.trust.addCerts(store, pem, opts.role);
      emit(ctx, view, () => describe(view));
    });

  trust
    .command('crl <store> <crl-file>')
    .description('add a CRL (PEM or DER) signed by a CA of the store; it replaces that issuer’s older CRL')
    .action(async (store: string, file: string, _opts: unknown, cmd: Command) => {
      const ctx = remoteContext(cmd);
      const bytes = await readArtefact(file, 'CRL file');
      const text = bytes.toString('latin1');
      const view = await ctx.client.trust.addCrl(
        store,
        text.includes('-----BEGIN') ? text : bytes.toString('base64'),
      );
      emit(ctx, view, () => describe(view));
    });

  trust
    .command('list')
    .description('trust store names')
    .action(async (_opts: unknown, cmd: Command) => {
      const ctx = remoteContext(cmd);
      const res = await ctx.client.trust.list();
      emit(ctx, res, () => res.stores.join('\n') || '(no trust stores)');
    });

  trust
    .command('show <store>')
    .description('certificates and CRLs of a store')
    .action(async (store: string, _opts: unknown, cmd: Command) => {
      const ctx = remoteContext(cmd);
      const view = await ctx.client.trust.get(store);
      emit(ctx, view, () => describe(view));
    });

  trust
    .command('check <store>')
    .description(
      're-check the signer certificates now (expiring, revoked, invalid), as the scheduled job does',
    )
    .option('--warn-days <n>', 'report signers expiring within this many days (default 30)')
    .action(async (store: string, opts: { warnDays?: string }, cmd: Command) => {
      const ctx = remoteContext(cmd);
      const res = await ctx.client.trust.check(store, intOption(opts.warnDays, '--warn-days'));
      emit(ctx, res, () => res.signers.map(finding).join('\n') || '(no signer certificates)');
    });
}
