import type { Rule } from '../rule.js';
import { patternRule } from '../shared/define-rule.js';
import { B62, B64, B64URL, b64, fake } from '../shared/fake-value.js';
import { isPlaceholderValue } from '../shared/value-checks.js';
import { assignmentFollows, assignmentPattern, assignmentValidator } from './assignment.js';

const pw = (seed: string) => `${fake(seed, 8, B62)}#${fake(`${seed}y`, 5, B62)}`;
const tok = (seed: string) => fake(seed, 32, B62);

/** Generic credential assignments and headers; last in the catalogue, gated by entropy and context. */
export const genericRules: readonly Rule[] = [
  patternRule({
    id: 'generic-password-assignment',
    title: 'Password assigned in configuration or code',
    severity: 'high',
    keywords: ['password', 'passwd', 'pwd', 'passphrase'],
    pattern: assignmentPattern('password|passwd|pwd|passphrase', 8),
    keywordFollows: assignmentFollows,
    allowPlaceholders: true,
    validate: assignmentValidator(3),
    examples: [
      `DB_PASSWORD=${pw('gp1')}`,
      `spring:\n  datasource:\n    password: "${pw('gp2')}"`,
      `{"smtp": {"password": "${pw('gp3')}"}}`,
      `[database]\npassword = '${pw('gp4')}'`,
      `const adminPassword = "${pw('gp5')}";`,
      `<connection host="db1" user="etl" password="${pw('gp6')}" />`,
      `$config['db_pass'] = 1; $config['password'] => '${pw('gp7')}';`,
      `  password: ${b64(pw('gp8'))}`,
      `define('SMTP_PASSWORD', '${pw('gp9')}');`,
      `var password = @"${pw('gp10')}";`,
      `const val DB_PASSWORD: String = "${pw('gp11')}"`,
    ],
    falsePositives: [
      "const KEY_PASSPHRASE_FLAG = '--key-passphrase-file';",
      "path: i % 3 ? 'payments/prod/db/password' : 'billing/reports/q1',",
      `DB_PASSWORD=\${DB_PASSWORD}`,
      'password: "{{ .Values.db.password }}"',
      'const password = process.env.DB_PASSWORD;',
      'password = os.environ["DB_PASSWORD"]',
      'password = get_password()',
      'password: string',
      'password = self.password',
      'DB_PASSWORD=changeme',
      'password: "********"',
      'password_hash = "$2b$12$abcdefghijklmnopqrstuu"',
      'password: "your-password-here"',
      'PASSWORD_MIN_LENGTH=12345678',
      'password: true',
      `  password: ${b64('changeme')}`,
      'password = "short"',
      'password: "test-password-1"',
      'password_reset_url: "https://acme.dev/reset"',
      'password: BinaryLike,',
      'keywordToken: SyntaxKind.ImportKeyword;',
      "secret: 'SHOULD_BE_STRIPPED'",
      'secretLength] = xCoordinates[i];',
      'lastSignificantToken = "?InterpolationInTemplate"',
      "redact(['users.*.password', 'users.*.profile.preferences.*'])",
      "('CKFetchWebAuthTokenOperation', 'CKLocationSortDescriptor')",
      '"expected_to_find_a_1_to_match_the_0_token_here_1007": "分析器预期在此处找到与标记匹配的。"',
      "'Lock-Token': 'urn:uuid:a515cfa4-5da4-22e1-f5b5-00a0451e6bf7'",
    ],
  }),
  patternRule({
    id: 'generic-secret-assignment',
    title: 'Secret assigned in configuration or code',
    keywords: ['secret'],
    pattern: assignmentPattern('secret', 16),
    keywordFollows: assignmentFollows,
    allowPlaceholders: true,
    validate: assignmentValidator(3.5),
    examples: [
      `CLIENT_SECRET=${tok('gs1')}`,
      `webhook_secret: "${tok('gs2')}"`,
      `SECRET_KEY = '${fake('gs3', 50, `${B62}!@#%^&*-_=+`)}'`,
    ],
    falsePositives: [
      'AWS_SECRET_ACCESS_KEY=\nAWS_DEFAULT_REGION=us-east-1',
      `CLIENT_SECRET=\${CLIENT_SECRET}`,
      'secretName: my-app-secrets',
      '    secretKeyRef:\n      name: db\n      key: password',
      'client_secret = settings.CLIENT_SECRET',
      'SECRET_KEY = "django-insecure-change-me-please"',
      `secret_arn = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:${fake('gs4', 20)}"`,
      "  readonly knownSecrets: Pick<KnownFingerprints, 'saltedIndex'>;",
    ],
  }),
  patternRule({
    id: 'generic-api-key-assignment',
    title: 'API key assigned in configuration or code',
    keywords: ['api_key', 'apikey', 'api-key', 'access_key', 'accesskey', 'auth_key', 'authkey'],
    pattern: assignmentPattern('api[_-]?key|access[_-]?key|auth[_-]?key', 16),
    keywordFollows: assignmentFollows,
    allowPlaceholders: true,
    validate: assignmentValidator(3.5),
    examples: [
      `WEATHER_API_KEY=${tok('gk1')}`,
      `"apiKey": "${fake('gk2', 40, B62)}"`,
      `api_key = "${fake('gk3', 36, B64URL)}"`,
    ],
    falsePositives: [
      `API_KEY=\${API_KEY}`,
      'apiKey: process.env.API_KEY',
      'api_key = "YOUR_API_KEY_HERE"',
      'api_key_header = "X-Api-Key-Header-Value"',
      `api_key_id = "${tok('gk4')}"`,
      'apiKey: "abcdefghijklmnopqrstuvwxyz"',
    ],
  }),
  patternRule({
    id: 'generic-token-assignment',
    title: 'Access token assigned in configuration or code',
    keywords: ['token'],
    pattern: assignmentPattern('token', 16),
    keywordFollows: assignmentFollows,
    allowPlaceholders: true,
    validate: assignmentValidator(3.5),
    examples: [
      `ACCESS_TOKEN=${tok('gt1')}`,
      `  auth_token: "${fake('gt2', 40, B64)}"`,
      `let refreshToken = '${tok('gt3')}';`,
    ],
    falsePositives: [
      "  ruleFor({ id: 'x', token: 'npm_[A-Za-z0-9]{36}' }) // a pattern, not a token",
      `ACCESS_TOKEN=\${{ secrets.ACCESS_TOKEN }}`,
      'max_tokens: 4096000000000000000',
      'next_page_token = response.next_page_token',
      '{"access_token":"2YotnFZFEjr1zCsicMWpAA","token_type":"example"}',
      'token_url = "https://oauth2.googleapis.com/token"',
      'csrf_token: "{{ csrf_token() }}"',
      'token = "<token>"',
      `TOKEN_COUNT=${fake('gt4', 20, '0123456789')}`,
    ],
  }),
  patternRule({
    id: 'generic-name-value-secret',
    title: 'Secret in a name/value pair (Kubernetes env, ECS task definition, CI variables)',
    keywords: ['password', 'secret', 'token', 'api_key', 'apikey', 'access_key'],
    pattern:
      /(?<![A-Za-z0-9])name["']?\s{0,4}:\s{0,4}["']?(?<name>[A-Za-z0-9_.-]{0,40}(?:PASSWORD|PASSWD|SECRET|TOKEN|API_?KEY|ACCESS_?KEY)[A-Za-z0-9_.-]{0,30})["']?\s{0,4},?\s{0,200}?["']?value["']?\s{0,4}:\s{0,4}(?<q>["']?)(?<secret>[^\s"'`]{8,200})\k<q>(?![^\s,}\]])/i,
    allowPlaceholders: true,
    validate: ({ secret, match }) => {
      const name = /name["']?\s*:\s*["']?([A-Za-z0-9_.-]+)/i.exec(match)?.[1] ?? '';
      return assignmentValidator(3)({ secret, match: `${name}="${secret}"`, line: '', path: '' });
    },
    examples: [
      `env:\n  - name: MAPS_API_KEY\n    value: "${fake('nv1', 32, B62)}"`,
      `"environment": [{"name": "DB_PASSWORD", "value": "${pw('nv2')}"}]`,
    ],
    falsePositives: [
      'env:\n  - name: DB_PASSWORD\n    valueFrom:\n      secretKeyRef:\n        name: db',
      'env:\n  - name: API_TOKEN\n    value: "{{ .Values.token }}"',
      'env:\n  - name: LOG_LEVEL\n    value: "debug-verbose-mode"',
    ],
  }),
  patternRule({
    id: 'generic-xml-credential',
    title: 'Credential in an XML element (<password>, <apiKey>, <token>...)',
    keywords: ['password', 'passwd', 'secret', 'token', 'apikey', 'api_key'],
    pattern:
      /<(?<tag>password|passwd|secret|clientSecret|client_secret|apiKey|api_key|accessToken|access_token|token)>(?<secret>[^<\s]{8,200})<\/\k<tag>>/i,
    minEntropy: 3,
    allowPlaceholders: true,
    validate: ({ secret }) => !isPlaceholderValue(secret) && !/^[A-Za-z_]+$/.test(secret),
    examples: [
      `<server>\n  <id>nexus</id>\n  <username>deploy</username>\n  <password>${pw('gx1')}</password>\n</server>`,
      `<credentials><apiKey>${tok('gx3')}</apiKey></credentials>`,
    ],
    falsePositives: [`<password>\${env.NEXUS_PASSWORD}</password>`, '<token>placeholder</token>'],
  }),
  patternRule({
    id: 'generic-appsettings-credential',
    title: 'Credential in a .NET appSettings <add key value> entry',
    keywords: ['<add'],
    pattern:
      /<add\s+key="[^"]{0,40}(?:password|secret|token|apikey|api_key|connectionstring)[^"]{0,20}"\s+value="(?<secret>[^"\s]{8,200})"/i,
    minEntropy: 3,
    allowPlaceholders: true,
    validate: ({ secret }) => !isPlaceholderValue(secret) && !/^[A-Za-z_]+$/.test(secret),
    examples: [`<appSettings>\n  <add key="StripeSecret" value="${tok('gx2')}" />\n</appSettings>`],
    falsePositives: [
      '<add key="ApiKey" value="__API_KEY__" />',
      '<add key="TokenLifetime" value="00:30:00" />',
    ],
  }),
  patternRule({
    id: 'netrc-password',
    generic: true,
    title: 'Password in a .netrc machine entry',
    keywords: ['machine'],
    pattern:
      /(?<![A-Za-z0-9])machine\s+[^\s]{1,253}\s+(?:login\s+[^\s]{1,128}\s+)?password\s+(?<secret>[^\s]{4,128})/,
    allowPlaceholders: true,
    validate: ({ secret }) => !isPlaceholderValue(secret) && !/^[a-z]{1,10}$/.test(secret),
    examples: [
      `machine api.heroku.com\n  login ops@acme.dev\n  password ${tok('netrc-1')}`,
      `machine git.acme.dev login ci password ${pw('netrc-2')}`,
    ],
    falsePositives: [
      "f'machine {hostname}{path} login {self.username} password {self.password}'",
      'machine example.com login user password secret',
      'machine git.acme.dev login ci password $GIT_TOKEN',
    ],
  }),
  patternRule({
    id: 'basic-auth-header',
    generic: true,
    title: 'HTTP Basic credentials in an Authorization header',
    keywords: ['basic '],
    pattern:
      /Authorization["']?\s{0,4}[:=]\s{0,4}["']?Basic\s+(?<secret>[A-Za-z0-9+/]{8,400}={0,2})(?![A-Za-z0-9+/=])/i,
    allowPlaceholders: true,
    validate: ({ secret }) => {
      const decoded = Buffer.from(secret, 'base64').toString('utf8');
      const colon = decoded.indexOf(':');
      const password = decoded.slice(colon + 1);
      return (
        colon > 0 && password.length >= 4 && /^[\x20-\x7e]+$/.test(decoded) && !isPlaceholderValue(password)
      );
    },
    examples: [
      `curl -H "Authorization: Basic ${b64(`ci:${pw('ba1')}`)}" https://nexus.acme.dev/service/rest`,
    ],
    falsePositives: [
      `Authorization: Basic ${b64('username:password')}`,
      'Authorization: Basic $(echo -n $USER:$PASS | base64)',
      'Authorization: Basic czZCaGRSa3F0MzpnWDFmQmF0M2JW',
      `Authorization: Basic ${b64('no-colon-here')}`,
    ],
  }),
  patternRule({
    id: 'generic-bearer-token',
    title: 'Opaque bearer token in an Authorization header',
    severity: 'medium',
    keywords: ['bearer'],
    pattern:
      /Authorization["']?\s{0,4}[:=]\s{0,4}["']?Bearer\s+(?<secret>[A-Za-z0-9._~+/-]{20,2000}=*)(?![A-Za-z0-9._~+/=-])/i,
    minEntropy: 3.5,
    examples: [`curl -H 'Authorization: Bearer ${tok('bt1')}' https://api.acme.dev/v1/orders`],
    falsePositives: [
      'Authorization: Bearer $TOKEN',
      'Authorization: Bearer <your-access-token>',
      `Authorization: Bearer \${ACCESS_TOKEN}`,
    ],
  }),
  patternRule({
    id: 'generic-cli-password',
    title: 'Password passed on a command line (curl -u, mysql -p, sshpass -p)',
    keywords: ['curl', 'mysql', 'sshpass', '--password'],
    pattern:
      // `mysql` must be the command (start of line or after a blank, `;`, `|`, `&`) and `-p` an option after a blank:
      // `DB_CONNECTION=mysql` followed by `DB_HOST=mysql-primary` is configuration, not `mysql -p...`.
      /(?:curl[ \t][^\n]{0,200}?(?:-u|--user)[ \t]+["']?[^\s:"']{1,64}:|(?:^|(?<=[\s;|&(]))mysql(?:dump)?[ \t][^\n]{0,200}?[ \t]-p|sshpass[ \t]+-p[ \t]*|--password[= ])["']?(?<secret>[^\s"'$]{6,128})/,
    allowPlaceholders: true,
    validate: ({ secret }) => !isPlaceholderValue(secret) && !/^[A-Za-z_-]+$/.test(secret),
    examples: [
      `curl -sS -u admin:${pw('cli1')} https://jenkins.acme.dev/api/json`,
      `mysqldump -h db -u backup -p${pw('cli2')} orders > orders.sql`,
      `mysqladmin -u root --password=${pw('cli3')} status`,
    ],
    falsePositives: [
      'curl -u admin:$ADMIN_PASSWORD https://x',
      'mysql -u root -p',
      'docker login --password-stdin',
      'curl -u user:password https://x',
      'DB_CONNECTION=mysql\nDB_HOST=mysql-primary.internal\nDB_PORT=3306',
    ],
  }),
];
