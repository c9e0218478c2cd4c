import type { Rule } from '../rule.js';
import { patternRule } from '../shared/define-rule.js';
import { B64, fake } from '../shared/fake-value.js';
import { armouredPayload, looksLikeKeyMaterial, openSshPayload, opensshCipher } from './key-material.js';

/** Body of an armoured block: anything up to the next five dashes (bounded, so scans stay linear). */
// Written with `[\s\S]` so the engine's region builder knows these patterns span lines.
const BODY = '(?<body>(?:(?!-----)[\\s\\S]){40,20000}?)';

const lines = (payload: string, sep = '\n') => (payload.match(/.{1,64}/g) ?? []).join(sep);
const pem = (label: string, lead: string, seed: string, sep = '\n') =>
  `-----BEGIN ${label}-----${sep}${lines(lead + fake(seed, 1200, B64), sep)}${sep}-----END ${label}-----${sep}`;
const keyBytes = (seed: string) => Buffer.from(fake(seed, 160, B64), 'latin1');
const openssh = (cipher: string, kdf: string, seed: string) =>
  `-----BEGIN OPENSSH PRIVATE KEY-----\n${lines(openSshPayload(cipher, kdf, keyBytes(seed)), '\n')}\n-----END OPENSSH PRIVATE KEY-----\n`;

const BECH32 = 'qpzry9x8gf2tvdw0s3jn54khce6mua7l'.toUpperCase();

/** Private key material: PEM, OpenSSH, PGP, PuTTY and age keys; encrypted keys are not findings. */
export const privateKeyRules: readonly Rule[] = [
  patternRule({
    id: 'pem-private-key',
    title: 'Unencrypted PEM private key (RSA, EC, DSA, PKCS#8), also inside JSON strings',
    severity: 'critical',
    keywords: ['private key-----'],
    pattern: new RegExp(
      `(?<secret>-----BEGIN (?<kind>(?:RSA |EC |DSA |ANY )?PRIVATE KEY)-----${BODY}-----END \\k<kind>-----)`,
    ),
    allowPlaceholders: true,
    validate: ({ match }) =>
      !/ENCRYPTED/.test(match) &&
      looksLikeKeyMaterial(armouredPayload(match.slice(match.indexOf('-----', 5) + 5))),
    examples: [
      pem('RSA PRIVATE KEY', 'MIIEpAIBAAKCAQEA', 'pem-rsa'),
      pem('PRIVATE KEY', 'MIIEvQIBADANBgkqhkiG9w0BAQEFAASC', 'pem-p8'),
      `tls:\n  key: |\n    ${pem('EC PRIVATE KEY', 'MHcCAQEEI', 'pem-ec', '\n    ')}`,
      `{"type": "service_account", "private_key": "${pem('PRIVATE KEY', 'MIIEvgIBADANBgkqhkiG9w0BAQEFAASC', 'pem-json', '\\n')}"}`,
    ],
    falsePositives: [
      pem('ENCRYPTED PRIVATE KEY', 'MIIFHzBJBgkqhkiG9w0BBQ0wPDAbBgkqhkiG9w0BBQwwDgQI', 'pem-enc'),
      `-----BEGIN RSA PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\nDEK-Info: AES-256-CBC,${fake('dek', 32, '0123456789ABCDEF')}\n\n${lines(fake('pem-enc2', 1200, B64))}\n-----END RSA PRIVATE KEY-----\n`,
      '-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC...\n-----END PRIVATE KEY-----',
      pem('PUBLIC KEY', 'MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA', 'pem-pub'),
      pem('CERTIFICATE', 'MIIDdzCCAl+gAwIBAgIE', 'pem-cert'),
    ],
  }),
  patternRule({
    id: 'openssh-private-key',
    title: 'Unencrypted OpenSSH private key (cipher none)',
    severity: 'critical',
    keywords: ['openssh private key'],
    pattern: new RegExp(
      `(?<secret>-----BEGIN OPENSSH PRIVATE KEY-----${BODY}-----END OPENSSH PRIVATE KEY-----)`,
    ),
    allowPlaceholders: true,
    validate: ({ match }) => opensshCipher(armouredPayload(match.slice(35, -33))) === 'none',
    examples: [
      openssh('none', 'none', 'ssh-1'),
      `ssh_key: "${openssh('none', 'none', 'ssh-2').replace(/\n/g, '\\n')}"`,
    ],
    falsePositives: [
      openssh('aes256-ctr', 'bcrypt', 'ssh-3'),
      openssh('chacha20-poly1305@openssh.com', 'bcrypt', 'ssh-4'),
      '-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjE...\n-----END OPENSSH PRIVATE KEY-----',
    ],
  }),
  patternRule({
    id: 'pgp-private-key-block',
    title: 'PGP private key block',
    severity: 'critical',
    keywords: ['pgp private key block'],
    pattern: new RegExp(
      `(?<secret>-----BEGIN PGP PRIVATE KEY BLOCK-----${BODY}-----END PGP PRIVATE KEY BLOCK-----)`,
    ),
    allowPlaceholders: true,
    validate: ({ match }) => looksLikeKeyMaterial(armouredPayload(match.slice(37, -35)), 200),
    examples: [
      `-----BEGIN PGP PRIVATE KEY BLOCK-----\nComment: release signing key\n\nlQVYBGVd${lines(fake('pgp-1', 1500, B64))}\n=${fake('pgp-crc', 4, B64)}\n-----END PGP PRIVATE KEY BLOCK-----\n`,
    ],
    falsePositives: [
      '-----BEGIN PGP PRIVATE KEY BLOCK-----\n\n<paste your key here>\n-----END PGP PRIVATE KEY BLOCK-----',
      `-----BEGIN PGP PUBLIC KEY BLOCK-----\n\nmQINBGVd${lines(fake('pgp-2', 1500, B64))}\n-----END PGP PUBLIC KEY BLOCK-----\n`,
    ],
  }),
  patternRule({
    id: 'base64-pem-private-key',
    title: 'Base64-wrapped PEM private key (kubeconfig client-key-data, Kubernetes Secret tls.key)',
    severity: 'critical',
    keywords: ['ls0tls1crudjti'],
    // `LS0tLS1CRUdJTi` is base64 of `-----BEGIN`.
    // Wrapped output of `base64` (76-character lines) is accepted too.
    pattern:
      /(?<![A-Za-z0-9+/])(?<secret>LS0tLS1CRUdJTi(?:[A-Za-z0-9+/]|\r?\n[ \t]{0,12}(?=[A-Za-z0-9+/]{20})){100,40000}={0,2})/,
    allowPlaceholders: true,
    validate: ({ secret }) => {
      const pemText = Buffer.from(secret.replace(/\s/g, ''), 'base64').toString('latin1');
      const block = /-----BEGIN ((?:RSA |EC |DSA |OPENSSH )?PRIVATE KEY)-----([\s\S]*?)-----END \1-----/.exec(
        pemText,
      );
      if (!block || /ENCRYPTED/.test(pemText)) return false;
      const payload = armouredPayload(block[2]!);
      return block[1] === 'OPENSSH PRIVATE KEY'
        ? opensshCipher(payload) === 'none'
        : looksLikeKeyMaterial(payload);
    },
    examples: [
      `users:\n  - name: admin\n    user:\n      client-key-data: ${Buffer.from(pem('RSA PRIVATE KEY', 'MIIEpAIBAAKCAQEA', 'b64pem-1')).toString('base64')}`,
      `data:\n  tls.key: ${Buffer.from(pem('PRIVATE KEY', 'MIIEvQIBADANBgkqhkiG9w0BAQEFAASC', 'b64pem-2')).toString('base64')}`,
      `data:\n  tls.key: ${(
        Buffer.from(pem('EC PRIVATE KEY', 'MHcCAQEEI', 'b64pem-5'))
          .toString('base64')
          .match(/.{1,76}/g) ?? []
      ).join('\n')}`,
    ],
    falsePositives: [
      `  tls.crt: ${Buffer.from(pem('CERTIFICATE', 'MIIDdzCCAl+gAwIBAgIE', 'b64pem-3')).toString('base64')}`,
      `  tls.key: ${Buffer.from(pem('ENCRYPTED PRIVATE KEY', 'MIIFHzBJBgkqhkiG9w0BBQ0wPDAbBgkqhkiG9w0BBQwwDgQI', 'b64pem-4')).toString('base64')}`,
    ],
  }),
  patternRule({
    id: 'putty-private-key',
    title: 'Unencrypted PuTTY private key (.ppk)',
    severity: 'critical',
    keywords: ['putty-user-key-file'],
    pattern: /(?<secret>PuTTY-User-Key-File-[23]: [a-z0-9-]{3,40}\r?\nEncryption: none)/,
    allowPlaceholders: true,
    examples: [
      `PuTTY-User-Key-File-3: ssh-ed25519\nEncryption: none\nComment: deploy@ci\nPublic-Lines: 2\n${lines(fake('ppk-1', 90, B64))}\nPrivate-Lines: 1\n${fake('ppk-2', 44, B64)}\n`,
    ],
    falsePositives: [
      `PuTTY-User-Key-File-3: ssh-ed25519\nEncryption: aes256-cbc\nComment: deploy@ci\nKey-Derivation: Argon2id\n`,
    ],
  }),
  patternRule({
    id: 'age-secret-key',
    title: 'age encryption secret key',
    severity: 'critical',
    keywords: ['age-secret-key-1'],
    pattern: new RegExp(`(?<![A-Z0-9-])(?<secret>AGE-SECRET-KEY-1[${BECH32}]{58})(?![A-Z0-9])`),
    minEntropy: 3.8,
    examples: [
      `# created: 2026-01-01T00:00:00Z\n# public key: age1${fake('age-p', 58, BECH32.toLowerCase())}\nAGE-SECRET-KEY-1${fake('age-1', 58, BECH32)}\n`,
    ],
    falsePositives: [
      'AGE-SECRET-KEY-1QQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQ',
      `age1${fake('age-p2', 58, BECH32.toLowerCase())}`,
    ],
  }),
];
