#!/usr/bin/env node
/**
 * Password hashes for the scan corpus, computed by the real tools and algorithms (not by the scanner's own code), so
 * the password-hash family is measured on what `openssl passwd`, `htpasswd`, `mkpasswd`, `argon2` and Django's
 * hashers really write. The output is committed (bench/scan-corpus/fixtures/password-hashes.json): the corpus needs
 * no tools at test time. Regenerate with `node bench/scan-corpus/make-hash-fixtures.js` (Debian: openssl,
 * apache2-utils, whois, argon2).
 */
import { spawnSync } from 'node:child_process';
import { pbkdf2Sync, randomBytes, randomInt, scryptSync } from 'node:crypto';
import { writeFileSync } from 'node:fs';

const PER_KIND = 8;
const B62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const word = (n) => Array.from({ length: n }, () => B62[randomInt(B62.length)]).join('');

function run(cmd, args, input) {
  const r = spawnSync(cmd, args, { input, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`${cmd} ${args[0]} failed: ${r.stderr}`);
  return r.stdout.trim();
}

const openssl = (flag) => () => run('openssl', ['passwd', flag, '-stdin'], `${word(12)}\n`);
const htpasswd = (flag) => () => run('htpasswd', ['-nbi', flag, 'u'], word(12)).split('\n')[0].slice(2);

/** Django's PBKDF2PasswordHasher: `pbkdf2_sha256$<iterations>$<salt>$<base64 digest>`. */
function djangoPbkdf2() {
  const salt = word(22);
  const iterations = [260000, 390000, 600000, 720000][randomInt(4)];
  const digest = pbkdf2Sync(word(12), salt, iterations, 32, 'sha256').toString('base64');
  return `pbkdf2_sha256$${iterations}$${salt}$${digest}`;
}

/** Django's ScryptPasswordHasher: `scrypt$<n>$<salt>$<r>$<p>$<base64 digest>`. */
function djangoScrypt() {
  const salt = word(22);
  const digest = scryptSync(word(12), salt, 64, { N: 16384, r: 8, p: 1, maxmem: 64 << 20 }).toString(
    'base64',
  );
  return `scrypt$16384$${salt}$8$1$${digest}`;
}

/** Werkzeug (Flask): `pbkdf2:sha256:<iterations>$<salt>$<hex digest>`. */
function werkzeugPbkdf2() {
  const salt = word(16);
  const digest = pbkdf2Sync(word(12), salt, 600000, 32, 'sha256').toString('hex');
  return `pbkdf2:sha256:600000$${salt}$${digest}`;
}

function argon2id() {
  const salt = randomBytes(16).toString('base64').replace(/=+$/, '');
  return run('argon2', [salt, '-id', '-e', '-m', '16', '-t', '2', '-p', '1'], word(12));
}

/** Django's BCryptSHA256PasswordHasher: bcrypt over the hex SHA-256 of the password. */
const djangoBcrypt = () => `bcrypt_sha256$${htpasswd('-B')().replace(/^\$2y\$/, '$2b$')}`;
/** Django's Argon2PasswordHasher: `argon2` + the encoded hash without its leading `$`. */
const djangoArgon2 = () => `argon2${argon2id()}`;

const KINDS = {
  md5crypt: openssl('-1'),
  sha256crypt: openssl('-5'),
  sha512crypt: openssl('-6'),
  apr1: openssl('-apr1'),
  yescrypt: () => run('mkpasswd', ['-m', 'yescrypt', '--stdin'], word(12)),
  bcrypt: htpasswd('-B'),
  htpasswdSha: htpasswd('-s'),
  argon2id,
  djangoPbkdf2,
  djangoScrypt,
  djangoBcrypt,
  djangoArgon2,
  werkzeugPbkdf2,
};

const out = Object.fromEntries(
  Object.entries(KINDS).map(([kind, make]) => [kind, Array.from({ length: PER_KIND }, make)]),
);
const file = new URL('./fixtures/password-hashes.json', import.meta.url);
writeFileSync(file, `${JSON.stringify(out, null, 1)}\n`);
console.log(`wrote ${Object.keys(out).length} kinds x ${PER_KIND} hashes to ${file.pathname}`);
