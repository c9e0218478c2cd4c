import { execFileSync, type SpawnSyncReturns, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** A certificate and its key made by the real `openssl` CLI, as files and as PEM text. */
export interface MadeCert {
  readonly certPath: string;
  readonly keyPath: string;
  readonly certPem: string;
  readonly keyPem: string;
}

/** A CA made by `openssl`, able to issue leaves and intermediates with chosen names, dates and keys. */
export interface TestCa extends MadeCert {
  issue(name: string, opts?: IssueOptions): MadeCert;
  /**
   * An intermediate CA signed by this one; `extensions` replaces its CA extension lines (to make chains that break
   * basicConstraints, pathLenConstraint or keyUsage on purpose).
   */
  intermediate(name: string, extensions?: string): TestCa;
  /** Mark `cert` (issued by this CA) revoked in its database. */
  revoke(cert: MadeCert): void;
  /** A CRL (PEM) of everything revoked so far, signed by this CA, valid `days` (default 7). */
  crl(days?: number): string;
}

/** How {@link TestCa.issue} makes a certificate. */
export interface IssueOptions {
  /** subjectAltName entries, e.g. `['DNS:localhost', 'IP:127.0.0.1']` (default: DNS:<name>). */
  readonly sans?: readonly string[];
  /** `rsa:2048` (default), `rsa:1024`, `ec:P-256`, `ec:P-384`, `ec:P-224`. */
  readonly key?: string;
  /** openssl GeneralizedTime/UTCTime (`20200101000000Z`); default now .. now + `days`. */
  readonly start?: string;
  readonly end?: string;
  readonly days?: number;
  /** Signature digest (default sha256). */
  readonly md?: 'sha256' | 'sha1';
  /** Extra extension lines, e.g. `extendedKeyUsage=codeSigning`. */
  readonly extensions?: readonly string[];
}

const openssl = (args: readonly string[], cwd: string) =>
  execFileSync('openssl', args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });

/** `openssl req` arguments for a new key: `rsa:2048`, `ec:P-256`... (see {@link IssueOptions.key}). */
export function newKeyArgs(key: string): string[] {
  const [kind, size] = key.split(':');
  return kind === 'ec'
    ? ['-newkey', 'ec', '-pkeyopt', `ec_paramgen_curve:${size}`]
    : ['-newkey', `rsa:${size ?? '2048'}`];
}

function made(dir: string, name: string): MadeCert {
  const certPath = join(dir, `${name}.crt`);
  const keyPath = join(dir, `${name}.key`);
  return {
    certPath,
    keyPath,
    certPem: readFileSync(certPath, 'utf8'),
    keyPem: readFileSync(keyPath, 'utf8'),
  };
}

/** A self-signed root CA in `dir` (files `<name>.crt`, `<name>.key`). */
export function makeCa(dir: string, name = 'root'): TestCa {
  mkdirSync(dir, { recursive: true });
  openssl(
    [
      'req',
      '-x509',
      ...newKeyArgs('rsa:2048'),
      '-nodes',
      '-keyout',
      `${name}.key`,
      '-out',
      `${name}.crt`,
      '-subj',
      `/CN=${name}`,
      '-days',
      '3650',
      '-addext',
      'basicConstraints=critical,CA:TRUE',
      '-addext',
      'keyUsage=critical,keyCertSign,cRLSign',
    ],
    dir,
  );
  return caFrom(dir, name);
}

function caFrom(dir: string, name: string): TestCa {
  const db = join(dir, `${name}-db`);
  mkdirSync(db, { recursive: true });
  writeFileSync(join(db, 'index.txt'), '');
  writeFileSync(join(db, 'serial'), `${randomBytes(8).toString('hex')}\n`);
  const sign = (csr: string, out: string, ext: string, opts: IssueOptions) => {
    const cnf = join(db, 'ca.cnf');
    writeFileSync(
      cnf,
      `[ca]\ndefault_ca=c\n[c]\ndatabase=${db}/index.txt\nnew_certs_dir=${db}\nserial=${db}/serial\ndefault_md=${opts.md ?? 'sha256'}\npolicy=p\nunique_subject=no\n[p]\ncommonName=supplied\n`,
    );
    const extFile = join(db, 'ext.cnf');
    writeFileSync(extFile, ext);
    const dates =
      opts.start || opts.end
        ? [...(opts.start ? ['-startdate', opts.start] : []), ...(opts.end ? ['-enddate', opts.end] : [])]
        : ['-days', String(opts.days ?? 90)];
    openssl(
      [
        'ca',
        '-batch',
        '-notext',
        '-config',
        cnf,
        '-cert',
        `${name}.crt`,
        '-keyfile',
        `${name}.key`,
        '-in',
        csr,
        '-out',
        out,
        '-extfile',
        extFile,
        ...dates,
      ],
      dir,
    );
  };
  const request = (leaf: string, key: string) =>
    openssl(
      [
        'req',
        ...newKeyArgs(key),
        '-nodes',
        '-keyout',
        `${leaf}.key`,
        '-out',
        `${leaf}.csr`,
        '-subj',
        `/CN=${leaf}`,
      ],
      dir,
    );
  return {
    ...made(dir, name),
    issue(leaf, opts = {}) {
      request(leaf, opts.key ?? 'rsa:2048');
      const sans = opts.sans ?? [`DNS:${leaf}`];
      sign(
        `${leaf}.csr`,
        `${leaf}.crt`,
        `subjectAltName=${sans.join(',')}\nbasicConstraints=CA:FALSE\n${(opts.extensions ?? []).map((e) => `${e}\n`).join('')}`,
        opts,
      );
      return made(dir, leaf);
    },
    intermediate(
      sub,
      extensions = 'basicConstraints=critical,CA:TRUE\nkeyUsage=critical,keyCertSign,cRLSign\n',
    ) {
      request(sub, 'rsa:2048');
      sign(`${sub}.csr`, `${sub}.crt`, extensions, {
        days: 365,
      });
      return caFrom(dir, sub);
    },
    revoke(cert) {
      openssl(
        [
          'ca',
          '-config',
          join(db, 'ca.cnf'),
          '-cert',
          `${name}.crt`,
          '-keyfile',
          `${name}.key`,
          '-revoke',
          cert.certPath,
        ],
        dir,
      );
    },
    crl(days = 7) {
      const out = join(db, 'crl.pem');
      openssl(
        [
          'ca',
          '-gencrl',
          '-config',
          join(db, 'ca.cnf'),
          '-cert',
          `${name}.crt`,
          '-keyfile',
          `${name}.key`,
          '-crldays',
          String(days),
          '-out',
          out,
        ],
        dir,
      );
      return readFileSync(out, 'utf8');
    },
  };
}

/** A self-signed leaf (not a CA) for `name`, valid `days`. */
export function makeSelfSigned(dir: string, name: string, days = 30): MadeCert {
  mkdirSync(dir, { recursive: true });
  openssl(
    [
      'req',
      '-x509',
      ...newKeyArgs('ec:P-256'),
      '-nodes',
      '-keyout',
      `${name}.key`,
      '-out',
      `${name}.crt`,
      '-subj',
      `/CN=${name}`,
      '-days',
      String(days),
      '-addext',
      `subjectAltName=DNS:${name}`,
    ],
    dir,
  );
  return made(dir, name);
}

/** A PKCS#12 bundle of a certificate and key under `password` (written to `<dir>/<name>.p12`). */
export function makePkcs12(dir: string, name: string, cert: MadeCert, password: string): string {
  const out = join(dir, `${name}.p12`);
  execFileSync(
    'openssl',
    [
      'pkcs12',
      '-export',
      '-in',
      cert.certPath,
      '-inkey',
      cert.keyPath,
      '-out',
      out,
      '-passout',
      'env:P12_PASS',
    ],
    { env: { ...process.env, P12_PASS: password }, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  return out;
}

/** `openssl crl` printing the DER CRL `crlFile` (in `dir`) as text; stderr says "verify OK" when `caFile` signed it. */
export function readDerCrl(dir: string, crlFile: string, caFile: string): SpawnSyncReturns<string> {
  return spawnSync(
    'openssl',
    ['crl', '-inform', 'DER', '-in', crlFile, '-noout', '-text', '-CAfile', caFile],
    {
      cwd: dir,
      encoding: 'utf8',
    },
  );
}

/** `openssl verify -crl_check` of `leaf` (in `dir`) against the chain in `caFile` and the PEM CRL in `crlFile`. */
export function verifyWithCrl(
  dir: string,
  caFile: string,
  crlFile: string,
  leaf: string,
): SpawnSyncReturns<string> {
  return spawnSync('openssl', ['verify', '-crl_check', '-CAfile', caFile, '-CRLfile', crlFile, leaf], {
    cwd: dir,
    encoding: 'utf8',
  });
}
