import { readdir, readFile, stat } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { looksLikePkcs12 } from '../../core/certs/der.js';
import { k8sTlsSecrets } from '../../core/certs/k8s-tls-secret.js';
import { looksLikePem, pemBlocks, toPem } from '../../core/certs/pem.js';
import { CERTIFICATE_LABELS, readCertificates } from '../../core/certs/read-certs.js';
import { isHushError } from '../../core/errors/hush-error.js';
import { globMatches } from '../../inject/glob.js';
import type { CallerUpload } from '../cert-service.js';
import { pkcs12Certificates } from './pkcs12-openssl.js';

/** Files that can hold certificates when a directory is given. */
const CERT_FILE = /\.(pem|crt|cer|cert|der|p12|pfx|ya?ml|chain)$/i;
const MAX_FILE_BYTES = 10 << 20;
const MAX_FILES = 100_000;

/** What reading files gave: uploads for the server, and per-file errors (the rest is still read). */
export interface FileRead {
  readonly uploads: CallerUpload[];
  readonly errors: { readonly location: string; readonly code: string; readonly message: string }[];
}

/**
 * Expand files, directories (certificate-looking files below them) and globs (`certs/**\/*.pem`; `*`, `**`, `?`)
 * into file paths, in order, without duplicates.
 */
export async function expandCertPaths(
  args: readonly string[],
): Promise<{ files: string[]; missing: string[] }> {
  const files: string[] = [];
  const missing: string[] = [];
  const seen = new Set<string>();
  const add = (f: string) => {
    if (!seen.has(f) && files.length < MAX_FILES) {
      seen.add(f);
      files.push(f);
    }
  };
  for (const arg of args) {
    const glob = /[*?]/.test(arg);
    if (!glob) {
      const st = await stat(arg).catch(() => undefined);
      if (!st) missing.push(arg);
      else if (!st.isDirectory()) add(arg);
      else {
        for (const f of await walk(arg)) if (CERT_FILE.test(f)) add(f);
      }
      continue;
    }
    const parts = arg.split('/');
    const firstGlob = parts.findIndex((p) => /[*?]/.test(p));
    const base = parts.slice(0, firstGlob).join('/') || '.';
    const pattern = parts.slice(firstGlob).join('/');
    const found = (await walk(base)).filter((f) => globMatches(pattern, relative(base, f)));
    if (found.length === 0) missing.push(arg);
    for (const f of found) add(f);
  }
  return { files, missing };
}

async function walk(dir: string): Promise<string[]> {
  const out: string[] = [];
  const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
  for (const e of entries) {
    const p = join(dir, e.name);
    if (e.isDirectory()) {
      if (e.name === '.git' || e.name === 'node_modules') continue;
      out.push(...(await walk(p)));
    } else if (e.isFile()) out.push(p);
  }
  return out.sort();
}

/**
 * Read certificate files: PEM (several blocks), DER, PKCS#12 (with `password`) and Kubernetes TLS Secret
 * manifests. Only certificates are sent on; private keys in the files stay on this machine.
 */
export async function readCertFiles(
  paths: readonly string[],
  opts: { password?: string } = {},
): Promise<FileRead> {
  const uploads: CallerUpload[] = [];
  const errors: FileRead['errors'][number][] = [];
  const fail = (location: string, message: string, code = 'HUSH_E_INVALID_INPUT') =>
    errors.push({ location, code, message: `${location}: ${message}` });
  for (const path of paths) {
    let bytes: Buffer;
    try {
      const st = await stat(path);
      if (st.size > MAX_FILE_BYTES) {
        fail(path, `${st.size} bytes; certificate files over ${MAX_FILE_BYTES} are skipped`);
        continue;
      }
      bytes = await readFile(path);
    } catch (err) {
      fail(path, `cannot be read (${(err as NodeJS.ErrnoException).code ?? 'error'})`);
      continue;
    }
    if (looksLikePem(bytes)) {
      // Only the certificate blocks leave this machine: a combined file (haproxy, nginx) also holds the key, which
      // the server never needs (a key is reported by its public-key digest, through `hush certs scan`).
      const certs = pemBlocks(bytes.toString('latin1')).filter((b) => CERTIFICATE_LABELS.has(b.label));
      if (certs.length === 0) fail(path, 'no certificate in it (private keys are never sent)');
      else
        uploads.push({
          source: 'file',
          location: path,
          pem: certs.map((b) => toPem(b.label, b.der)).join(''),
        });
      continue;
    }
    const text = bytes.toString('utf8');
    if (/^\s*kind:\s*(Secret|List)\b/m.test(text)) {
      const k8s = k8sTlsSecrets(text);
      for (const e of k8s.errors) fail(path, e);
      for (const s of k8s.secrets)
        uploads.push({ source: 'k8s', location: `k8s:${s.name}@${path}`, pem: s.certPem });
      if (k8s.secrets.length === 0 && k8s.errors.length === 0)
        fail(path, 'no Kubernetes Secret with tls.crt in it');
      continue;
    }
    if (looksLikePkcs12(bytes)) {
      if (opts.password === undefined) {
        fail(path, 'a PKCS#12 bundle; give its password with --password-file FILE');
        continue;
      }
      try {
        uploads.push({
          source: 'file',
          location: path,
          pem: await pkcs12Certificates(bytes, opts.password, path),
        });
      } catch (err) {
        if (!isHushError(err)) throw err;
        errors.push({ location: path, code: err.code, message: err.message });
      }
      continue;
    }
    // DER: checked here so the error names DER rather than the PEM it would be sent as.
    const der = readCertificates(bytes);
    if (der.errors.length) fail(path, der.errors.join('; '));
    else uploads.push({ source: 'file', location: path, pem: toPem('CERTIFICATE', bytes) });
  }
  return { uploads, errors };
}
