import { publicKeyDigests } from '../../core/certs/key-match.js';
import { pemBlocks, toPem } from '../../core/certs/pem.js';
import { runScan } from '../../scan/run-scan.js';
import { fsSource } from '../../scan/sources/fs-source.js';
import { gitHistorySource } from '../../scan/sources/git-history-source.js';
import type { CallerUpload } from '../cert-service.js';

/** What a tree scan found: certificates to add and the public-key digests of the private keys the scanner found. */
export interface TreeFindings {
  readonly uploads: CallerUpload[];
  readonly keys: { readonly spkiSha256: string; readonly location: string }[];
  /** Scanner findings of private keys whose public half could not be derived (OpenSSH, PGP...). */
  readonly unmatchedKeys: number;
}

const KEY_RULES = new Set(['pem-private-key', 'base64-pem-private-key']);

/**
 * Scan trees, archives and images (or, with `git`, the whole history of repositories) with the secret scanner: its private-key findings become public-key digests
 * (the key itself is dropped here, on this machine), and every certificate block in the scanned text is kept.
 *
 * @example
 * const { uploads, keys } = await scanTreeForCerts(['.']);
 */
export async function scanTreeForCerts(
  roots: readonly string[],
  opts: { readonly git?: boolean } = {},
): Promise<TreeFindings> {
  const certs = new Map<string, CallerUpload>();
  // With `git`, every repository's whole history (each blob once, named by the commit that brought it).
  const sources = opts.git ? roots.map((cwd) => gitHistorySource({ cwd })) : [fsSource({ roots })];
  const at = (path: string, commit: string | undefined) => (commit ? `${path}@${commit.slice(0, 12)}` : path);
  const result = await runScan(sources, {
    onText(text, unit) {
      if (!text.includes('-----BEGIN CERTIFICATE-----')) return;
      const location = at(unit.path, unit.meta?.commit);
      for (const b of pemBlocks(text)) {
        if (b.label !== 'CERTIFICATE') continue;
        const prev = certs.get(location);
        const pem = toPem(b.label, b.der);
        certs.set(location, { source: 'scan', location, pem: prev ? prev.pem + pem : pem });
      }
    },
  });
  const keys: TreeFindings['keys'][number][] = [];
  let unmatchedKeys = 0;
  for (const f of result.findings) {
    if (!KEY_RULES.has(f.ruleId)) continue;
    const digests = publicKeyDigests(f.secret);
    if (digests.length === 0) unmatchedKeys++;
    for (const d of digests) keys.push({ spkiSha256: d, location: at(`${f.path}:${f.line}`, f.commit) });
  }
  return { uploads: [...certs.values()], keys, unmatchedKeys };
}
