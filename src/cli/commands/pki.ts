import { readFile, writeFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { PKI_KEY_TYPES, type PkiKeyType, parseTtlSeconds } from '../../core/certs/pki-role.js';
import { hushError } from '../../core/errors/index.js';
import { writeFileAtomically, writeSecretFileAtomic } from '../../fs/atomic-file.js';
import type { IssuedCert } from '../../pki/index.js';
import { emit, table } from '../io/output.js';
import { remoteContext } from '../remote/request.js';

const collect = (v: string, prev: string[] = []) => [
  ...prev,
  ...v
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean),
];

function keyType(text: string | undefined): PkiKeyType | undefined {
  if (text === undefined) return undefined;
  if (!(PKI_KEY_TYPES as readonly string[]).includes(text))
    throw hushError('PKI_ROLE_INVALID', {
      role: '-',
      reason: `--key-type is one of ${PKI_KEY_TYPES.join(', ')}`,
    });
  return text as PkiKeyType;
}

/**
 * Write an issued certificate as `<out>.crt` (leaf), `<out>.chain.pem` (intermediate, root),
 * `<out>.fullchain.pem` (leaf then chain) and, when there is one, `<out>.key` (0600); or print it all when no `--out`.
 */
export async function writeIssued(issued: IssuedCert, out: string | undefined): Promise<string[]> {
  if (out === undefined) return [];
  const pub = async (file: string, text: string) => {
    await writeFileAtomically(file, { overwrite: true, mode: 0o644, flag: '--out' }, (h) =>
      h.writeFile(text),
    );
    return file;
  };
  const files = [
    await pub(`${out}.crt`, issued.certificate),
    await pub(`${out}.chain.pem`, issued.chain.join('')),
    await pub(`${out}.fullchain.pem`, issued.certificate + issued.chain.join('')),
  ];
  if (issued.privateKey !== undefined) {
    await writeSecretFileAtomic(`${out}.key`, issued.privateKey);
    files.push(`${out}.key`);
  }
  return files;
}

type IssueOpts = {
  cn?: string;
  san?: string[];
  ttl?: string;
  keyType?: string;
  out?: string;
  json?: boolean;
};

function issueInput(opts: IssueOpts) {
  return {
    ...(opts.cn ? { commonName: opts.cn } : {}),
    ...(opts.san?.length ? { altNames: opts.san } : {}),
    ...(opts.ttl ? { ttlSeconds: parseTtlSeconds(opts.ttl) } : {}),
  };
}

async function finishIssue(issued: IssuedCert, opts: IssueOpts, json: boolean): Promise<void> {
  const files = await writeIssued(issued, opts.out);
  if (opts.out === undefined && !json) {
    process.stdout.write(issued.certificate + issued.chain.join('') + (issued.privateKey ?? ''));
    return;
  }
  const { privateKey: _k, ...shown } = issued;
  emit({ json }, opts.out === undefined ? issued : { ...shown, files }, () =>
    [`serial ${issued.serial}, valid until ${issued.notAfter}`, ...files.map((f) => `wrote ${f}`)].join('\n'),
  );
}

/** `hush pki ca|roles|issue|sign|revoke|crl`: Hush's certificate authority on a server (HUSH_ADDR, HUSH_TOKEN). */
export function registerPki(program: Command): void {
  const pki = program
    .command('pki')
    .description("Hush's own certificate authority: roles, issue, sign, revoke, CRL");

  const ca = pki
    .command('ca')
    .description('the root and intermediate CA (their keys never leave the server)');
  ca.command('init')
    .description('create the root and intermediate CA')
    .option('--common-name <name>', 'name prefix: "<name> Root CA", "<name> Intermediate CA"', 'Hush')
    .option('--organization <org>', 'O= of the CA names')
    .option('--key-type <type>', 'ec-p256 (default), ec-p384, rsa-2048, rsa-3072, rsa-4096')
    .option('--root-days <n>', 'root lifetime in days (default 3650)')
    .option('--intermediate-days <n>', 'intermediate lifetime in days (default 1825)')
    .option(
      '--crl-url <url>',
      'CRL distribution point put in issued certificates (default: HUSH_ADDR/v1/pki/crl)',
      collect,
    )
    .option('--hsm <token>', 'keep both CA keys in this HSM token (keys.hsmTokens id in the server config)')
    .option('--json', 'machine-readable JSON output')
    .action(async (opts: Record<string, string | string[] | boolean | undefined>, cmd: Command) => {
      const ctx = remoteContext(cmd);
      const days = (v: unknown) => (v === undefined ? undefined : Number(v));
      const type = keyType(opts['keyType'] as string | undefined);
      const view = await ctx.client.pki.initCa({
        commonName: opts['commonName'] as string,
        ...(opts['organization'] ? { organization: opts['organization'] as string } : {}),
        ...(type ? { keyType: type } : {}),
        ...(days(opts['rootDays']) ? { rootTtlDays: days(opts['rootDays']) as number } : {}),
        ...(days(opts['intermediateDays'])
          ? { intermediateTtlDays: days(opts['intermediateDays']) as number }
          : {}),
        crlUrls: (opts['crlUrl'] as string[] | undefined) ?? [`${ctx.target.addr}/v1/pki/crl`],
        ...(opts['hsm'] ? { hsm: { token: opts['hsm'] as string } } : {}),
      });
      emit(
        { json: ctx.json || opts['json'] === true },
        view,
        () => `CA created; CRL at ${view.crlUrls.join(', ')}`,
      );
    });
  ca.command('show')
    .description('print the CA chain (intermediate, then root) as PEM')
    .option('--root', 'only the root certificate (to trust)')
    .option('--json', 'machine-readable JSON output')
    .action(async (opts: { root?: boolean; json?: boolean }, cmd: Command) => {
      const ctx = remoteContext(cmd);
      const view = await ctx.client.pki.showCa();
      emit({ json: ctx.json || opts.json === true }, view, () =>
        (opts.root ? view.root : view.chain).trimEnd(),
      );
    });

  const roles = pki
    .command('roles')
    .description('roles: the domains, key types and longest TTL a certificate may have');
  roles
    .command('put <name>')
    .description('create or replace a role')
    .requiredOption('--domain <domain>', 'an allowed domain (repeat or comma-separate)', collect)
    .option('--bare', 'allow the domain itself, not only names below it')
    .option('--no-subdomains', 'refuse names below the domains')
    .option('--globs', 'domains may hold * (within one label), e.g. web-*.example.com')
    .option('--wildcards', 'allow wildcard certificates (*.example.com)')
    .option('--ip-sans', 'allow IP addresses as names')
    .option(
      '--key-type <type>',
      `allowed key types (${PKI_KEY_TYPES.join(', ')}); the first is the default`,
      collect,
    )
    .option('--max-ttl <ttl>', 'longest lifetime (e.g. 24h, 7d; default 24h)')
    .option('--ttl <ttl>', 'lifetime when none is asked for (default 1h)')
    .option('--usage <usage>', 'server and/or client (default server)', collect)
    .option('--json', 'machine-readable JSON output')
    .action(async (name: string, opts: Record<string, unknown>, cmd: Command) => {
      const ctx = remoteContext(cmd);
      const res = await ctx.client.pki.putRole(name, {
        allowedDomains: opts['domain'] as string[],
        allowBareDomains: opts['bare'] === true,
        allowSubdomains: opts['subdomains'] !== false,
        allowGlobs: opts['globs'] === true,
        allowWildcards: opts['wildcards'] === true,
        allowIpSans: opts['ipSans'] === true,
        ...(opts['keyType']
          ? { keyTypes: (opts['keyType'] as string[]).map((k) => keyType(k) as PkiKeyType) }
          : {}),
        ...(opts['maxTtl'] ? { maxTtlSeconds: parseTtlSeconds(opts['maxTtl'] as string) } : {}),
        ...(opts['ttl'] ? { ttlSeconds: parseTtlSeconds(opts['ttl'] as string) } : {}),
        ...(opts['usage'] ? { usages: opts['usage'] as ('server' | 'client')[] } : {}),
      });
      emit({ json: ctx.json || opts['json'] === true }, res, () => `role ${name} saved`);
    });
  roles
    .command('list')
    .description('list role names')
    .option('--json', 'machine-readable JSON output')
    .action(async (opts: { json?: boolean }, cmd: Command) => {
      const ctx = remoteContext(cmd);
      const res = await ctx.client.pki.listRoles();
      emit({ json: ctx.json || opts.json === true }, res, () => res.roles.join('\n'));
    });
  roles
    .command('show <name>')
    .description('one role')
    .option('--json', 'machine-readable JSON output')
    .action(async (name: string, opts: { json?: boolean }, cmd: Command) => {
      const ctx = remoteContext(cmd);
      const { role } = await ctx.client.pki.readRole(name);
      emit({ json: ctx.json || opts.json === true }, { role }, () =>
        table(
          ['field', 'value'],
          Object.entries(role).map(([k, v]) => [k, Array.isArray(v) ? v.join(', ') : String(v)]),
        ),
      );
    });
  roles
    .command('delete <name>')
    .description('delete a role (certificates it issued stay valid)')
    .action(async (name: string, _opts: unknown, cmd: Command) => {
      const ctx = remoteContext(cmd);
      await ctx.client.pki.deleteRole(name);
      emit({ json: ctx.json }, { name, deleted: true }, () => `role ${name} deleted`);
    });

  const issueFlags = (c: Command) =>
    c
      .option('--cn <name>', 'common name (also put in the subject alternative names)')
      .option('--san <name>', 'DNS name or IP address (repeat or comma-separate)', collect)
      .option('--ttl <ttl>', 'lifetime, e.g. 1h, 7d (at most the role allows)')
      .option('--out <prefix>', 'write <prefix>.crt, .chain.pem, .fullchain.pem (and .key, 0600)')
      .option('--json', 'machine-readable JSON output');

  issueFlags(
    pki
      .command('issue <role>')
      .description('issue a certificate and a new private key (printed as PEM, or written with --out)')
      .option('--key-type <type>', 'key type (one the role allows; default its first)'),
  ).action(async (role: string, opts: IssueOpts, cmd: Command) => {
    const ctx = remoteContext(cmd);
    const type = keyType(opts.keyType);
    const issued = await ctx.client.pki.issue(role, {
      ...issueInput(opts),
      ...(type ? { keyType: type } : {}),
    });
    await finishIssue(issued, opts, ctx.json || opts.json === true);
  });

  issueFlags(
    pki
      .command('sign <role>')
      .description('sign a certificate signing request (PKCS#10 PEM); names come from it unless --cn/--san')
      .requiredOption('--csr <file>', 'the request (PEM)'),
  ).action(async (role: string, opts: IssueOpts & { csr: string }, cmd: Command) => {
    const ctx = remoteContext(cmd);
    const csr = await readFile(opts.csr, 'utf8').catch(() => {
      throw hushError('PKI_CSR_INVALID', { reason: `cannot read ${opts.csr}` });
    });
    const issued = await ctx.client.pki.sign(role, csr, issueInput(opts));
    await finishIssue(issued, opts, ctx.json || opts.json === true);
  });

  pki
    .command('revoke <serial>')
    .description(
      'revoke a certificate this CA issued (hex serial, colons allowed); the CRL is updated at once',
    )
    .action(async (serial: string, _opts: unknown, cmd: Command) => {
      const ctx = remoteContext(cmd);
      const res = await ctx.client.pki.revoke(serial);
      emit({ json: ctx.json }, res, () => `revoked ${res.serial} at ${res.revokedAt}`);
    });

  pki
    .command('crl')
    .description('print the current CRL as PEM (DER is served at /v1/pki/crl)')
    .option('--out <file>', 'write it to this file instead')
    .option('--json', 'machine-readable JSON output')
    .action(async (opts: { out?: string; json?: boolean }, cmd: Command) => {
      const ctx = remoteContext(cmd);
      const crl = await ctx.client.pki.crl();
      if (opts.out) await writeFile(opts.out, crl.pem);
      emit({ json: ctx.json || opts.json === true }, crl, () =>
        opts.out ? `CRL ${crl.number} written to ${opts.out}` : crl.pem.trimEnd(),
      );
    });
}
