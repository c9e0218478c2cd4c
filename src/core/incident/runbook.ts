/**
 * The incident runbook, rendered for one deployment. The standards ask for a rehearsed plan that says how secrets
 * are stored, generated, managed and used, and what to do when one leaks; a plan that names this deployment's real
 * storage, seal and audit location is one people follow under pressure. `docs/RUNBOOK.md` is this function's output
 * for a generic deployment (a test keeps the two in step).
 */

/** What the runbook says about a deployment. Nothing here is secret (no URLs with passwords, no keys). */
export interface DeploymentFacts {
  /** e.g. `sqlite (/var/lib/hush/hush.db)` or `postgres (db.internal:5432/hush)`. */
  readonly storage: string;
  /** Seal kind: key-file, shamir, rsa, pkcs11. */
  readonly seal: string;
  /** Where the audit trail is written, e.g. `/var/lib/hush/audit.jsonl` or `stdout`. */
  readonly audit: string;
  /** The server address operators use (HUSH_ADDR). */
  readonly address: string;
  /** Optional counts, shown when known. */
  readonly rotationPolicies?: number;
  readonly alertWebhooks?: number;
}

/** Facts for the generic runbook in docs/RUNBOOK.md. */
export const GENERIC_FACTS: DeploymentFacts = {
  storage: 'the configured backend (sqlite by default: <data-dir>/hush.db)',
  seal: 'the configured seal (key-file by default; shamir, rsa or pkcs11 in production)',
  audit: 'the configured audit file (<data-dir>/audit.jsonl by default)',
  address: 'https://hush.example:8200',
};

const SEAL_NOTES: Record<string, string> = {
  'key-file':
    'The root key is protected by a key file beside the data: anyone with both the key file and the database has every secret. Use shamir, rsa or pkcs11 in production.',
  shamir:
    'The root key is split into Shamir shares held by different people; a threshold of them unseals. Nobody alone can unseal.',
  rsa: 'The root key is wrapped to an RSA key pair; whoever holds the private key (and its passphrase) can unseal.',
  pkcs11:
    'The root key is wrapped by an AES key that never leaves the HSM; unsealing needs the HSM and its PIN.',
};

/** Render the runbook as Markdown for `facts`. */
export function renderRunbook(facts: DeploymentFacts): string {
  const seal = SEAL_NOTES[facts.seal] ?? `Seal: ${facts.seal}.`;
  const counts = [
    facts.rotationPolicies === undefined ? undefined : `${facts.rotationPolicies} rotation policies`,
    facts.alertWebhooks === undefined ? undefined : `${facts.alertWebhooks} alert webhooks`,
  ].filter((c) => c !== undefined);
  return `# Hush runbook

Server: ${facts.address}
Storage: ${facts.storage}
Seal: ${facts.seal}
Audit trail: ${facts.audit}${counts.length > 0 ? `\nConfigured: ${counts.join(', ')}` : ''}

## How secrets are stored
- Every secret value is encrypted with its own data key (AES-256-GCM); data keys are wrapped by the
  project/environment key (a versioned keyring), and keyrings by the root key. Storage sees ciphertext only.
- ${seal}
- Every access, allowed or denied, is written to the audit trail (hash-chained) before any value leaves.

## How secrets are generated
- Generate values inside Hush, never by hand: \`hush put PATH --generate password --length 32\`,
  \`hush generate api-key --prefix svc\`, \`hush generate ssh-key --type ed25519\` (CSPRNG only).

## How secrets are managed
- Access is least privilege: policies grant capabilities on path globs, deny wins, nothing is allowed by default.
  Review with \`hush access who-can PATH\` and \`hush policy explain\`.
- Tokens are short-lived (TTL, max TTL, use limits); services log in with AppRole or JWT.
- Rotation: \`hush rotate policy set\` schedules rotation; \`hush rotate --on-deploy\` rotates at each deployment;
  readers can pin a label (\`current\`, \`pending\`, \`previous\`) while a backing system switches over.
- Database credentials are issued per reader with a lease (\`hush creds read ENGINE/ROLE\`) and dropped when the
  lease expires or is revoked (\`hush lease revoke\`), even across restarts.
- Suspicious use raises alerts (denial bursts, bulk reads, first production access, revoked or expired tokens,
  off-hours access, login brute force, failed rotations, secrets nearing expiry): \`hush alerts list\`, the log,
  and signed webhooks.

## How secrets are used
- Inject at deploy time, never in files or images: \`hush run -- CMD\` puts secrets in the child's environment,
  \`hush render TEMPLATE\` writes a 0600 file atomically, applications can use the SDK (\`@hush-secrets/hush/client\`).
- Scan before anything ships: \`hush hooks install\` (pre-commit), \`hush scan --pre-receive\` on the git server,
  \`hush scan\` in the pipeline and on artefacts and images (\`docker save\` tars, OCI layouts), \`hush redact\` on logs.

## When a secret leaks
Work through these in order; each step is one command (export HUSH_ADDR=${facts.address} and a token with
\`admin\` on \`sys/incident\`).

1. **Contain**: revoke the identity that leaked or misused it — all its tokens and dynamic-credential leases:
   \`hush incident revoke --identity IDENTITY\`
2. **Blast radius**: who read the secret, from where, when:
   \`hush incident report --path PATH --since 2026-01-01T00:00:00Z\` (add \`--json\` to keep it).
3. **Rotate** every secret in scope; the report lists what could not be rotated automatically:
   \`hush incident rotate --prefix PROJECT/ENV\`. For each listed secret: change it at its provider, then
   \`hush put PATH --file NEW_VALUE_FILE\` (or \`--generate\`) so consumers pick it up.
4. **Hunt copies**: \`hush scan --git --known\` on the repositories and \`hush scan\` on build artefacts and logs.
5. **If the store itself is at risk** (root token, seal material or host compromised): seal every node now with
   \`hush incident lockdown\`, then after \`hush incident unlock\` \`hush operator rotate-root\` and
   \`hush keys rotate PROJECT/ENV\` for each keyring; issue new seal material to its holders.
6. **Prove the record**: \`hush audit verify\` (the hash chain must verify) and keep the report with the incident.
7. **Review**: why did it leak? Add a scanner rule, narrow the policy, shorten the TTL.
`;
}
