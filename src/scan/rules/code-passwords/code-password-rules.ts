import { assignmentValidator } from '../generic/assignment.js';
import type { Rule } from '../rule.js';
import { patternRule } from '../shared/define-rule.js';
import { B62, B64URL, fake } from '../shared/fake-value.js';
import { isPlaceholderValue } from '../shared/value-checks.js';

const pw = (seed: string) => `${fake(seed, 9, B62)}!${fake(`${seed}q`, 4, B62)}`;

/** A password literal in code: not a stand-in, not a format string or variable. */
function literalPassword(secret: string): boolean {
  return !isPlaceholderValue(secret) && !/%[sdv]|\{\}|^\w+\(|^\d{1,6}$/.test(secret);
}

/** Names that hold a credential in environment variables and YAML keys. */
const SECRET_WORDS = 'password|passwd|passphrase|secret|token|api_?key|apikey|access_?key|private_?key|auth';
const blockValue = assignmentValidator(3);

export const codePasswordRules: readonly Rule[] = [
  patternRule({
    id: 'go-sql-dsn-password',
    title: 'Password in a Go database/sql DSN (user:password@tcp(host)/db)',
    keywords: ['@tcp(', '@unix('],
    pattern: /["`][A-Za-z0-9_.-]{1,64}:(?<secret>[^"`@\s]{3,128})@(?:tcp|unix)\(/,
    validate: ({ secret }) => literalPassword(secret),
    examples: [`db, err := sql.Open("mysql", "shop:${pw('go1')}@tcp(mysql:3306)/shop?parseTime=true")`],
    falsePositives: ['dsn := fmt.Sprintf("%s:%s@tcp(%s)/%s", user, pass, host, db)'],
  }),
  patternRule({
    id: 'keyword-dsn-password',
    title: 'Password in a keyword/value DSN (libpq, Go pq/pgx: host=... user=... password=...)',
    keywords: ['password='],
    pattern: /(?<=["'`\s])password=(?<q>')?(?<secret>[^\s'"`]{3,128})\k<q>(?=[\s"'`])/,
    validate: ({ secret, line }) =>
      /\bdbname=|\bhost=[^\s]+\s/.test(line) && /\buser=/.test(line) && literalPassword(secret),
    examples: [
      `sql.Open("postgres", "host=pg port=5432 user=reports password=${pw('kd1')} dbname=reports sslmode=disable")`,
    ],
    falsePositives: ['"host=%s user=%s password=%s dbname=%s"', 'curl -d "password=x" https://x'],
  }),
  patternRule({
    id: 'java-getconnection-password',
    title: 'Password literal in DriverManager.getConnection(url, user, password)',
    keywords: ['getconnection('],
    pattern:
      /getConnection\(\s{0,8}"[^"\n]{1,300}"\s{0,8},\s{0,8}"[^"\n]{0,128}"\s{0,8},\s{0,8}"(?<secret>[^"\n]{3,128})"\s{0,8}\)/,
    validate: ({ secret }) => literalPassword(secret),
    examples: [`DriverManager.getConnection("jdbc:mysql://db:3306/crm", "crm_app", "${pw('jv1')}");`],
    falsePositives: [
      'DriverManager.getConnection(url, user, password);',
      'getConnection("jdbc:h2:mem:test", "sa", "")',
    ],
  }),
  patternRule({
    id: 'dotnet-network-credential',
    title: 'Password literal in new NetworkCredential(user, password)',
    keywords: ['networkcredential('],
    pattern: /NetworkCredential\(\s{0,8}@?"[^"\n]{0,128}"\s{0,8},\s{0,8}@?"(?<secret>[^"\n]{3,128})"/,
    validate: ({ secret }) => literalPassword(secret),
    examples: [`client.Credentials = new NetworkCredential("noreply@acme.dev", "${pw('cs1')}");`],
    falsePositives: ['new NetworkCredential(user, password)', 'new NetworkCredential("", "")'],
  }),
  patternRule({
    id: 'python-auth-tuple',
    title:
      'Password literal in a Python auth tuple or login call (requests auth=, HTTPBasicAuth, smtp.login)',
    keywords: ['auth=(', 'auth = (', 'basicauth(', 'digestauth(', '.login('],
    pattern:
      /(?:\bauth\s?=\s?\(|\b(?:HTTP)?(?:Basic|Digest)Auth\(|\.login\()\s{0,8}(?<q1>["'])[^"'\n]{0,128}\k<q1>\s{0,8},\s{0,8}(?<q>["'])(?<secret>[^"'\n]{3,128})\k<q>/,
    validate: ({ secret }) => literalPassword(secret),
    examples: [
      `r = requests.get(url, auth=("integration", "${pw('py1')}"))`,
      `requests.post(url, auth=HTTPBasicAuth('integration', '${pw('py2')}'))`,
      `server.login("alerts@acme.dev", "${pw('py3')}")`,
    ],
    falsePositives: [
      'auth=(user, os.environ["API_PASSWORD"])',
      'smtp.login(settings.EMAIL_USER, settings.EMAIL_PASSWORD)',
    ],
  }),
  patternRule({
    id: 'cli-client-password',
    title: 'Password given to a command-line client (redis-cli -a, PGPASSWORD=, docker login -p, sshpass -p)',
    keywords: ['redis-cli', 'pgpassword=', 'docker login', 'sshpass', 'mongosh', 'mongo '],
    pattern:
      /(?:\bredis-cli\b[^\n|;&]{0,200}?[ \t](?:-a|--pass)[ \t]+|\bPGPASSWORD=|\bdocker[ \t]+login\b[^\n|;&]{0,200}?[ \t](?:-p|--password)[ \t=]+|\bsshpass[ \t]+-p[ \t]*|\bmongo(?:sh)?\b[^\n|;&]{0,200}?[ \t](?:-p|--password)[ \t]+)(?<q>["']?)(?<secret>[^\s"'$`]{4,128})\k<q>/,
    validate: ({ secret }) => literalPassword(secret) && !/^-/.test(secret),
    examples: [
      `redis-cli -h cache -a ${pw('cl1')} INFO`,
      `PGPASSWORD=${pw('cl2')} psql -h pg -U app app`,
      `docker login -u ci -p ${pw('cl3')} registry.acme.dev`,
    ],
    falsePositives: [
      'docker login -u ci --password-stdin registry.acme.dev',
      'PGPASSWORD=$DB_PASS psql',
      'redis-cli -a "$REDIS_PASSWORD"',
    ],
  }),
  patternRule({
    id: 'dockerfile-env-secret',
    title: 'Secret baked into an image by Dockerfile ENV (legacy `ENV KEY value` form too)',
    keywords: ['env '],
    pattern: new RegExp(
      `(?:^|\\n)[ \\t]*ENV[ \\t]+(?<name>[A-Za-z0-9_]*(?:${SECRET_WORDS.toUpperCase()})[A-Za-z0-9_]*)(?:[ \\t]+|=)(?<q>["']?)(?<secret>[^\\s"'\\\\]{4,200})\\k<q>[ \\t]*(?=\\r?\\n|$)`,
    ),
    validate: ({ secret, match }) =>
      !/_(?:FILE|PATH|DIR|URL|HOST|PORT|USER|USERNAME|ID|DUMMY|TTL|LENGTH)$/.test(
        /ENV[ \t]+(\w+)/.exec(match)?.[1] ?? '',
      ) && literalPassword(secret),
    examples: [`FROM node:20\nENV DB_PASSWORD ${pw('df1')}`, `ENV API_TOKEN=${fake('df2', 32)}`],
    falsePositives: [
      'ENV DB_PASSWORD_FILE /run/secrets/db',
      'ENV SECRET_KEY_BASE_DUMMY 1',
      'ENV DB_PASSWORD $DB_PASSWORD',
    ],
  }),
  patternRule({
    id: 'yaml-block-scalar-secret',
    title: 'Secret in a YAML block scalar (`password: >-` / `|` with the value on the next line)',
    keywords: [': >', ': |'],
    pattern: new RegExp(
      `(?<name>[A-Za-z0-9_.-]{0,40}(?:${SECRET_WORDS})[A-Za-z0-9_.-]{0,30}):[ \\t]{0,4}[>|][-+]?[ \\t]*\\r?\\n[ \\t]+(?<secret>[^\\s#]{4,200})[ \\t]*(?=\\r?\\n|$)`,
      'i',
    ),
    validate: (ctx) =>
      !ctx.secret.startsWith('-----') &&
      !ctx.secret.startsWith('$ANSIBLE_VAULT') &&
      blockValue({ ...ctx, match: ctx.match.replace(/:[ \t]{0,4}[>|][-+]?[ \t]*\r?\n[ \t]+/, ': ') }),
    examples: [`database:\n  password: >-\n    ${pw('ym1')}\n  pool: 20`],
    falsePositives: [
      'description: >-\n  The payments service settles card transactions nightly.',
      'db_password: !vault |\n  $ANSIBLE_VAULT;1.1;AES256',
      'private_key: |\n  -----BEGIN RSA PRIVATE KEY-----',
    ],
  }),
  patternRule({
    id: 'json-escaped-secret',
    title: 'Secret inside a JSON-escaped string (\\"password\\":\\"...\\")',
    keywords: ['\\"'],
    pattern: new RegExp(
      `\\\\"(?<name>[A-Za-z0-9_.-]{0,40}(?:${SECRET_WORDS})[A-Za-z0-9_.-]{0,30})\\\\"\\s{0,4}:\\s{0,4}\\\\"(?<secret>[^"\\\\\\s]{4,200})\\\\"`,
      'i',
    ),
    validate: (ctx) =>
      blockValue({ ...ctx, match: `${/\\"([^\\]+)\\"/.exec(ctx.match)?.[1] ?? ''}: "${ctx.secret}"` }),
    examples: [`"body": "{\\"db_password\\":\\"${pw('js1')}\\",\\"host\\":\\"db.internal\\"}",`],
    falsePositives: [
      `"body": "{\\"password\\":\\"\${PASSWORD}\\"}"`,
      '"q": "{\\"token_type\\":\\"bearer\\"}"',
    ],
  }),
  patternRule({
    id: 'jwk-private-key',
    title: 'JSON Web Key with private parameters ("d", or "k" of a symmetric key)',
    severity: 'critical',
    keywords: ['"kty"'],
    pattern:
      /"kty"\s{0,4}:\s{0,4}"(?:RSA|EC|OKP|oct)"[^{}]{0,3000}?"[dk]"\s{0,4}:\s{0,4}"(?<secret>[A-Za-z0-9_-]{20,1400})"|"[dk]"\s{0,4}:\s{0,4}"(?<secret2>[A-Za-z0-9_-]{20,1400})"[^{}]{0,3000}?"kty"\s{0,4}:/,
    minEntropy: 4,
    examples: [
      `{"kty":"EC","crv":"P-256","x":"${fake('jw1', 43, B64URL)}","y":"${fake('jw2', 43, B64URL)}","d":"${fake('jw3', 43, B64URL)}"}`,
      `{\n  "crv": "Ed25519",\n  "d": "${fake('jw4', 43, B64URL)}",\n  "x": "${fake('jw5', 43, B64URL)}",\n  "kty": "OKP"\n}`,
    ],
    falsePositives: [
      `{"kty":"EC","crv":"P-256","x":"${fake('jw6', 43, B64URL)}","y":"${fake('jw7', 43, B64URL)}"}`,
    ],
  }),
];
