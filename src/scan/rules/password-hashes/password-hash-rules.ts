import type { Rule } from '../rule.js';
import { patternRule } from '../shared/define-rule.js';
import { B64, fake, HEX } from '../shared/fake-value.js';

/**
 * Password hashes in credential stores: `.htpasswd`, shadow files, and the user tables of SQL dumps and fixtures.
 * A leaked hash is an offline cracking target (weak passwords fall in minutes), so the formats are recognised by
 * their own shape: each modular-crypt id fixes its alphabet and lengths, which keeps look-alikes out.
 */

/** The crypt(3) alphabet. */
const C = '[./A-Za-z0-9]';
const c = (seed: string, n: number) => fake(seed, n, `./${B64.slice(0, 62)}`);

/** Hashes cannot start inside a longer word; `$` may precede them (Django's `bcrypt_sha256$`, `argon2$`). */
const START = '(?<![A-Za-z0-9./+])';
const END = '(?![A-Za-z0-9./+])';

/** A shadow entry whose hash field starts with `!` or `*` is a locked account, not a usable hash. */
function lockedShadowEntry(line: string, secret: string): boolean {
  const at = line.indexOf(secret);
  return at > 0 && (line[at - 1] === '!' || line[at - 1] === '*');
}

export const passwordHashRules: readonly Rule[] = [
  patternRule({
    id: 'bcrypt-password-hash',
    title: 'bcrypt password hash ($2a$/$2b$/$2y$)',
    // The shapes are exact: the generic placeholder test (a value starting with `$` or `{` is a reference) does not apply.
    allowPlaceholders: true,
    keywords: ['$2a$', '$2b$', '$2y$', '$2x$'],
    pattern: new RegExp(`${START}(?<secret>\\$2[abxy]\\$\\d\\d\\$${C}{53})${END}`),
    minEntropy: 4,
    validate: ({ line, secret }) => !lockedShadowEntry(line, secret),
    examples: [
      `admin:$2y$05$${c('bc1', 53)}`,
      `INSERT INTO \`users\` VALUES (1,'amy','amy@acme.dev','$2y$10$${c('bc2', 53)}',NULL);`,
      `3\tbcrypt_sha256$$2b$12$${c('bc3', 53)}\t2024-01-01`,
    ],
    falsePositives: [
      "preg_match('/^\\$2[aby]\\$\\d{2}\\$[.\\/A-Za-z0-9]{53}$/', $hash)",
      '// password_hash() returns a string such as $2y$10$...',
      `hash = "$2b$12$${c('bc4', 40)}"`,
    ],
  }),
  patternRule({
    id: 'sha-crypt-password-hash',
    title: 'SHA-crypt password hash ($5$/$6$, shadow files)',
    // The shapes are exact: the generic placeholder test (a value starting with `$` or `{` is a reference) does not apply.
    allowPlaceholders: true,
    keywords: ['$5$', '$6$'],
    pattern: new RegExp(
      `${START}(?<secret>\\$(?:5\\$(?:rounds=\\d{1,9}\\$)?${C}{1,16}\\$${C}{43}|6\\$(?:rounds=\\d{1,9}\\$)?${C}{1,16}\\$${C}{86}))${END}`,
    ),
    validate: ({ line, secret }) => !lockedShadowEntry(line, secret),
    examples: [
      `root:$6$${c('sc1', 16)}$${c('sc2', 86)}:19710:0:99999:7:::`,
      `deploy:$5$rounds=10000$${c('sc3', 16)}$${c('sc4', 43)}:19710::::::`,
    ],
    falsePositives: [
      'daemon:*:19700:0:99999:7:::',
      `locked:!$6$${c('sc5', 16)}$${c('sc6', 86)}:19710:0:99999:7:::`,
      '# shadow format: name:$6$salt$hash:lastchg',
    ],
  }),
  patternRule({
    id: 'md5-crypt-password-hash',
    title: 'MD5-crypt password hash ($1$, Apache $apr1$)',
    // The shapes are exact: the generic placeholder test (a value starting with `$` or `{` is a reference) does not apply.
    allowPlaceholders: true,
    keywords: ['$1$', '$apr1$'],
    pattern: new RegExp(`${START}(?<secret>\\$(?:1|apr1)\\$${C}{1,8}\\$${C}{22})${END}`),
    minEntropy: 3.5,
    validate: ({ line, secret }) => !lockedShadowEntry(line, secret),
    examples: [
      `webmaster:$apr1$${c('md1', 8)}$${c('md2', 22)}`,
      `legacy:$1$${c('md3', 8)}$${c('md4', 22)}:17000::::::`,
    ],
    falsePositives: ['echo "$1$2$3"', `sshd:*$1$${c('md5', 8)}$${c('md6', 22)}:19701::::::`],
  }),
  patternRule({
    id: 'yescrypt-password-hash',
    title: 'yescrypt password hash ($y$, current Debian/Fedora shadow files)',
    // The shapes are exact: the generic placeholder test (a value starting with `$` or `{` is a reference) does not apply.
    allowPlaceholders: true,
    keywords: ['$y$', '$gy$', '$7$'],
    pattern: new RegExp(`${START}(?<secret>\\$(?:y|gy|7)\\$${C}{1,20}\\$${C}{1,86}\\$${C}{43})${END}`),
    validate: ({ line, secret }) => !lockedShadowEntry(line, secret),
    examples: [`amy:$y$j9T$${c('yc1', 22)}$${c('yc2', 43)}:19720:0:99999:7:::`],
    falsePositives: [
      'printf "$y$j9T$%s$%s" "$salt" "$hash"',
      `bob:!$y$j9T$${c('yc3', 22)}$${c('yc4', 43)}:1::::::`,
    ],
  }),
  patternRule({
    id: 'argon2-password-hash',
    title: 'Argon2 password hash (PHC string; Django `argon2$...`)',
    // The shapes are exact: the generic placeholder test (a value starting with `$` or `{` is a reference) does not apply.
    allowPlaceholders: true,
    keywords: ['$argon2'],
    pattern: new RegExp(
      `${START}(?<secret>(?:argon2)?\\$argon2(?:id|i|d)\\$(?:v=\\d{1,3}\\$)?m=\\d{1,10},t=\\d{1,5},p=\\d{1,3}\\$[A-Za-z0-9+/]{11,88}\\$[A-Za-z0-9+/]{16,172})${END}`,
    ),
    examples: [
      `$argon2id$v=19$m=65536,t=2,p=1$${fake('ar1', 22, B64)}$${fake('ar2', 43, B64)}`,
      `1\targon2$argon2id$v=19$m=102400,t=2,p=8$${fake('ar3', 22, B64)}$${fake('ar4', 43, B64)}\t2024-01-01`,
    ],
    falsePositives: ['format: $argon2id$v=19$m=<memory>,t=<time>,p=<lanes>$<salt>$<hash>'],
  }),
  patternRule({
    id: 'pbkdf2-password-hash',
    title: 'PBKDF2 password hash (Django pbkdf2_sha256$, Werkzeug pbkdf2:sha256:)',
    // The shapes are exact: the generic placeholder test (a value starting with `$` or `{` is a reference) does not apply.
    allowPlaceholders: true,
    keywords: ['pbkdf2_sha', 'pbkdf2:sha'],
    pattern: new RegExp(
      `${START}(?<secret>pbkdf2_sha(?:1|256|512)\\$\\d{3,7}\\$[A-Za-z0-9./+]{4,64}\\$[A-Za-z0-9+/]{27,88}={0,2}|pbkdf2:sha(?:1|256|512)(?::\\d{3,7})?\\$[A-Za-z0-9./+]{4,64}\\$[0-9a-f]{40,128})${END}`,
    ),
    examples: [
      `"password": "pbkdf2_sha256$600000$${fake('pb1', 22)}$${fake('pb2', 43, B64)}=",`,
      `INSERT INTO user VALUES(1,'admin','pbkdf2:sha256:600000$${fake('pb3', 16)}$${fake('pb4', 64, HEX)}');`,
    ],
    falsePositives: [
      "PASSWORD_HASHERS = ['django.contrib.auth.hashers.PBKDF2PasswordHasher']",
      'algorithm = "pbkdf2_sha256$<iterations>$<salt>$<hash>"',
    ],
  }),
  patternRule({
    id: 'scrypt-password-hash',
    title: 'scrypt password hash (Django scrypt$, Werkzeug scrypt:)',
    // The shapes are exact: the generic placeholder test (a value starting with `$` or `{` is a reference) does not apply.
    allowPlaceholders: true,
    keywords: ['scrypt$', 'scrypt:'],
    pattern: new RegExp(
      `${START}(?<secret>scrypt\\$\\d{3,8}\\$[A-Za-z0-9./+]{4,64}\\$\\d{1,3}\\$\\d{1,3}\\$[A-Za-z0-9+/]{40,120}={0,2}|scrypt:\\d{3,8}:\\d{1,3}:\\d{1,3}\\$[A-Za-z0-9./+]{4,64}\\$[0-9a-f]{64,256})${END}`,
    ),
    examples: [`4\tscrypt$16384$${fake('sy1', 22)}$8$1$${fake('sy2', 86, B64)}==\t2024-01-01`],
    falsePositives: ['hasher = "scrypt$16384$salt$8$1$"'],
  }),
  patternRule({
    id: 'htpasswd-sha1-entry',
    title: 'htpasswd {SHA} entry (unsalted SHA-1 of a password)',
    // The shapes are exact: the generic placeholder test (a value starting with `$` or `{` is a reference) does not apply.
    allowPlaceholders: true,
    keywords: ['{sha}'],
    pattern: /(?:^|\n)[^:\s#]{1,64}:(?<secret>\{SHA\}[A-Za-z0-9+/]{27}=)(?=\r?$|\r?\n)/,
    examples: [`ops:{SHA}${fake('hs1', 27, B64)}=`],
    falsePositives: ['AuthUserFile /etc/nginx/.htpasswd  # entries look like user:{SHA}base64'],
  }),
];
