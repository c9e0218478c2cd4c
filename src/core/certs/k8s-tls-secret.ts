import { parseAllDocuments } from 'yaml';

/** A Kubernetes Secret's certificate material, decoded: `tls.crt` (and `ca.crt`) PEM, plus whether `tls.key` is there. */
export interface K8sTlsSecret {
  /** `namespace/name` of the Secret. */
  readonly name: string;
  readonly certPem: string;
  readonly keyPem?: string;
}

/**
 * The TLS Secrets in a YAML manifest (several documents, `kind: List` items): base64 `data` or plain `stringData`
 * entries `tls.crt` / `ca.crt` / `tls.key`. Returns errors per document instead of throwing.
 *
 * @example
 * k8sTlsSecrets(readFileSync('secret.yaml', 'utf8')).secrets[0]?.name; // 'default/web-tls'
 */
export function k8sTlsSecrets(text: string): { secrets: K8sTlsSecret[]; errors: string[] } {
  const secrets: K8sTlsSecret[] = [];
  const errors: string[] = [];
  let docs: ReturnType<typeof parseAllDocuments>;
  try {
    docs = parseAllDocuments(text);
  } catch {
    return { secrets, errors: ['not YAML'] };
  }
  const list = Array.isArray(docs) ? docs : [docs];
  list.forEach((doc, i) => {
    if (doc.errors.length > 0) {
      errors.push(`document ${i + 1}: not valid YAML (${doc.errors[0]?.code ?? 'error'})`);
      return;
    }
    const value: unknown = doc.toJS({ maxAliasCount: 10 });
    const items =
      isObj(value) && value['kind'] === 'List' && Array.isArray(value['items']) ? value['items'] : [value];
    for (const item of items) {
      if (!isObj(item) || item['kind'] !== 'Secret') continue;
      const meta = isObj(item['metadata']) ? item['metadata'] : {};
      const name = `${typeof meta['namespace'] === 'string' ? meta['namespace'] : 'default'}/${typeof meta['name'] === 'string' ? meta['name'] : '?'}`;
      const data = isObj(item['data']) ? item['data'] : {};
      const plain = isObj(item['stringData']) ? item['stringData'] : {};
      const field = (k: string): string | undefined => {
        if (typeof plain[k] === 'string') return plain[k] as string;
        const b = data[k];
        return typeof b === 'string'
          ? Buffer.from(b.replace(/\s/g, ''), 'base64').toString('latin1')
          : undefined;
      };
      const cert = [field('tls.crt'), field('ca.crt')].filter((s): s is string => !!s).join('\n');
      if (!cert) continue;
      const key = field('tls.key');
      secrets.push({ name, certPem: cert, ...(key ? { keyPem: key } : {}) });
    }
  });
  return { secrets, errors };
}

function isObj(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
