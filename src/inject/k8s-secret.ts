import { stringify } from 'yaml';
import { hushError } from '../core/errors/index.js';
import type { EnvVar } from './env-names.js';

/** Where the Secret goes. */
export interface K8sSecretMeta {
  readonly name: string;
  readonly namespace?: string;
}

const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/;

/**
 * The default Secret name of a prefix: lower-cased, anything outside `a-z 0-9 - .` becomes `-`
 * (`payments/prod` -> `payments-prod`).
 */
export function k8sNameOf(prefix: string): string {
  return prefix
    .toLowerCase()
    .replace(/[^a-z0-9.-]+/g, '-')
    .replace(/^[-.]+|[-.]+$/g, '');
}

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/** Check a namespace: an RFC 1123 label (lower-case alphanumerics and -, at most 63, no dots), as Kubernetes does. */
export function checkK8sNamespace(name: string): string {
  if (name.length > 63 || !DNS_LABEL.test(name)) {
    throw hushError('NAMESPACE_MUST_RFC_LABEL_LOWER', { name: name.slice(0, 80) });
  }
  return name;
}

/** Check a Secret name (RFC 1123 subdomain, at most 253 characters). */
export function checkK8sName(name: string, flag: string): string {
  if (name.length > 253 || !DNS_SUBDOMAIN.test(name)) {
    throw hushError('MUST_LOWER_CASE_LETTERS_DIGITS', { flag, name });
  }
  return name;
}

/**
 * A `v1 Secret` manifest (type Opaque) with every variable base64-encoded under `data:`. Variable names are
 * already valid env names, hence valid Secret keys, so `envFrom: secretRef` gives the pod the same environment as
 * `hush run`.
 *
 * @example
 * renderK8sSecret({ name: 'app' }, [{ name: 'A', value: 'x', source: 'p/e/a' }]); // "apiVersion: v1\n..."
 */
export function renderK8sSecret(meta: K8sSecretMeta, vars: readonly EnvVar[]): string {
  const data: Record<string, string> = {};
  for (const v of [...vars].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
    data[v.name] = Buffer.from(v.value, 'utf8').toString('base64');
  }
  const manifest = {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: {
      name: checkK8sName(meta.name, '--name'),
      ...(meta.namespace !== undefined ? { namespace: checkK8sNamespace(meta.namespace) } : {}),
    },
    type: 'Opaque',
    data,
  };
  // lineWidth 0: base64 values stay on one line.
  return stringify(manifest, { lineWidth: 0 });
}
