import type { Rule } from '../rules/rule.js';

/**
 * Engine-level false-positive control, applied after a rule matched. Specific rules (fixed prefixes, checksums)
 * only get the universal filters; generic rules (`generic: true`, else id `generic-*` or `alwaysRun`) also lose
 * digests, UUIDs, integrity hashes, data URIs, public material and minified lines, where generic patterns misfire.
 */

/** Keys published in vendor documentation: never real. */
const DOCUMENTED_EXAMPLES = new Set([
  'AKIAIOSFODNN7EXAMPLE',
  'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
  'AKIAI44QH8DHBEXAMPLE',
  'je7MtGbClwBF/2Zp9Utk/h3yCo8nvbEXAMPLEKEY',
  // Azurite's account key (every emulator has it) and the gcloud SDK's public OAuth client secrets.
  'Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==',
  'ZmssLNjJy2998hD4CTg2ejr2',
  'd-FL95Q19q7MQmFpd7hHD0Ty',
]);

const PLACEHOLDER_WORDS =
  /^(?:changeme|change_me|changeit|password|passw0rd|secret|example|placeholder|dummy|redacted|null|none|undefined|true|false|todo|fixme|test|testing|sample|your[_-]?\w*)$/i;

const PLACEHOLDER_SHAPES: readonly RegExp[] = [
  /^<[^>]*>$/, // <YOUR_TOKEN>
  /^\$\{[^}]*\}$/, // ${VAR}
  /^\$\(?[A-Za-z_][A-Za-z0-9_]*\)?$/, // $VAR, $(VAR)
  /\{\{[^}]*\}\}/, // {{ .Values.x }}
  /^%\(?[A-Za-z_]*\)?[sd]?%?$/, // %(name)s, %VAR%
  /^(?:process\.env|os\.environ|env|ENV|System\.getenv|Deno\.env)\b/, // process.env.X
  /^[xX*._\-#]{4,}$/, // xxxx, ****, ....
  /(?:x{6,}|X{6,}|\*{3,})/, // tokens padded with xxxxxx or ***
  /EXAMPLE/, // AWS-style documented keys ...EXAMPLE / ...EXAMPLEKEY
  /^ENC\[/, // a SOPS-encrypted value: ENC[AES256_GCM,data:...,type:str]
  /^\$ANSIBLE_VAULT;/, // an ansible-vault ciphertext
];

/** Lockfiles carry integrity hashes and resolved URLs only: generic rules are off there. */
const LOCKFILES = new Set([
  'package-lock.json',
  'npm-shrinkwrap.json',
  'yarn.lock',
  'pnpm-lock.yaml',
  'go.sum',
  'Cargo.lock',
  'composer.lock',
  'Gemfile.lock',
  'poetry.lock',
  'Pipfile.lock',
  'bun.lock',
  'flake.lock',
  'packages.lock.json',
]);

/** True for generic rules, which get the stricter filters. */
export function isGenericRule(rule: Pick<Rule, 'id' | 'alwaysRun' | 'generic'>): boolean {
  return rule.generic ?? (rule.alwaysRun === true || rule.id.startsWith('generic-'));
}

/** True when `path` (possibly a virtual `a.tar!b/c`) names a lockfile. */
export function isLockfile(path: string): boolean {
  const base = path.slice(Math.max(path.lastIndexOf('/'), path.lastIndexOf('!'), path.lastIndexOf('\\')) + 1);
  return LOCKFILES.has(base);
}

/**
 * Values that are public by design: they ship in browser bundles and mobile apps and grant nothing secret. Mapbox
 * public tokens (`pk.`), Stripe publishable keys (`pk_live_`/`pk_test_`), Twilio Account SIDs, and Sentry DSNs that
 * carry only their public key.
 */
const PUBLIC_BY_DESIGN =
  /^(?:pk\.eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}|pk_(?:live|test)_[A-Za-z0-9]{10,}|AC[0-9a-f]{32}|https:\/\/[a-f0-9]{32}@[a-z0-9.-]*sentry\.io\/\d+)$/;

/** True when the secret is a placeholder, a documented example, or has too little variety to be real. */
export function isPlaceholder(secret: string): boolean {
  if (DOCUMENTED_EXAMPLES.has(secret) || PUBLIC_BY_DESIGN.test(secret)) return true;
  if (PLACEHOLDER_WORDS.test(secret)) return true;
  if (PLACEHOLDER_SHAPES.some((re) => re.test(secret))) return true;
  return new Set(secret).size <= 3;
}

const HEX_DIGEST = /^(?:[0-9a-f]{32}|[0-9a-f]{40}|[0-9a-f]{56}|[0-9a-f]{64}|[0-9a-f]{96}|[0-9a-f]{128})$/i;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const SRI = /sha(?:1|256|384|512)-[A-Za-z0-9+/]{20,}={0,2}/;
const DATA_URI = /data:[\w.+-]+\/[\w.+-]+(?:;[\w=.-]+)*;base64,/i;
const PUBLIC_LINE = /^\s*(?:ssh-(?:rsa|ed25519|dss)|ecdsa-sha2-\S+|sk-ssh-\S+)\s+AAAA/;

/** Words that say a hex value is a digest or an identifier, not a credential. */
const DIGEST_CONTEXT =
  /(?:sha(?:1|224|256|384|512)?|md5|hash|digest|checksum|integrity|commit|revision|etag|fingerprint|uuid|guid|request[_-]?id|trace[_-]?id|correlation[_-]?id)/i;

/**
 * Documents that are encrypted as a whole or whose values are ciphertexts: SOPS files (their `sops` metadata holds
 * the MAC), Bitnami SealedSecrets, ansible-vault files. Name-based (generic) rules see ciphertext where they expect
 * a value, so they are off in them; specific token rules still run (a plaintext token next to them is a leak).
 */
const ENCRYPTED_DOCUMENT = [
  /^\$ANSIBLE_VAULT;\d/, // ansible-vault file
  /\bkind:\s{0,4}["']?SealedSecret\b|"kind"\s{0,4}:\s{0,4}"SealedSecret"/, // Bitnami SealedSecret
  /(?:^|\n)sops:[ \t]*\r?\n[\s\S]{0,4000}?\bmac:[ \t]*ENC\[|"sops"\s{0,4}:\s{0,4}\{|(?:^|\n)sops_mac=ENC\[/, // SOPS
];

/** Largest text {@link isEncryptedDocument} considers (1 MiB). */
const ENCRYPTED_DOCUMENT_MAX = 1 << 20;

/** True when `text` is an encrypted document (see {@link ENCRYPTED_DOCUMENT}). */
export function isEncryptedDocument(text: string): boolean {
  // Encrypted config documents are small; bundles and data files are not, and searching them costs time.
  if (text.length > ENCRYPTED_DOCUMENT_MAX) return false;
  if (!text.includes('ANSIBLE_VAULT') && !text.includes('SealedSecret') && !text.includes('sops'))
    return false;
  return ENCRYPTED_DOCUMENT.some((re) => re.test(text));
}

/**
 * True when a generic rule's candidate is really a digest, id, integrity hash, data URI or public key line. Hex and
 * UUID values count as digests only when the line says so: many real API keys are 32 or 40 hex characters.
 */
export function isGenericNoise(secret: string, line: string): boolean {
  if ((HEX_DIGEST.test(secret) || UUID.test(secret)) && DIGEST_CONTEXT.test(line)) return true;
  if (SRI.test(secret) || SRI.test(line) || /\bintegrity\b/i.test(line)) return true;
  if (DATA_URI.test(line)) return true;
  return PUBLIC_LINE.test(line);
}

const PUBLIC_BLOCK =
  /-----BEGIN (?:CERTIFICATE|PUBLIC KEY|RSA PUBLIC KEY|X509 CRL|CERTIFICATE REQUEST|NEW CERTIFICATE REQUEST|PGP PUBLIC KEY BLOCK|SSH2 PUBLIC KEY)-----[\s\S]*?-----END [A-Z0-9 ]+-----/g;

/** Offset ranges of certificates and public keys in `text` (generic candidates inside them are noise). */
export function publicBlocks(text: string): [number, number][] {
  if (!text.includes('-----BEGIN ')) return [];
  const ranges: [number, number][] = [];
  PUBLIC_BLOCK.lastIndex = 0;
  for (let m = PUBLIC_BLOCK.exec(text); m !== null; m = PUBLIC_BLOCK.exec(text)) {
    ranges.push([m.index, m.index + m[0].length]);
  }
  return ranges;
}
