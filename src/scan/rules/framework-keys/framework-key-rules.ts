import { shannonEntropy } from '../../entropy.js';
import type { Rule } from '../rule.js';
import { patternRule } from '../shared/define-rule.js';
import { B62, B64, fake, HEX, UPPER_HEX } from '../shared/fake-value.js';
import { isPlaceholderValue, isStandInSetting } from '../shared/value-checks.js';

const pw = (seed: string) => `${fake(seed, 9, B62)}#${fake(`${seed}w`, 4, B62)}`;
const WP_NAMES = 'DB_PASSWORD|(?:SECURE_)?AUTH_(?:KEY|SALT)|LOGGED_IN_(?:KEY|SALT)|NONCE_(?:KEY|SALT)';
const DJANGO_ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789!@#$%^&*(-_=+)';

/** Servers whose official images take their admin or user password from these environment variables. */
const SERVER_PASSWORD_NAMES = [
  'MYSQL_ROOT_PASSWORD',
  'MYSQL_PASSWORD',
  'MARIADB_ROOT_PASSWORD',
  'MARIADB_PASSWORD',
  'POSTGRES_PASSWORD',
  'PGPASSWORD',
  'MONGO_INITDB_ROOT_PASSWORD',
  'MONGODB_ROOT_PASSWORD',
  'RABBITMQ_DEFAULT_PASS',
  'MINIO_ROOT_PASSWORD',
  'MINIO_SECRET_KEY',
  'GF_SECURITY_ADMIN_PASSWORD',
  'KEYCLOAK_ADMIN_PASSWORD',
  'KC_BOOTSTRAP_ADMIN_PASSWORD',
  'KC_DB_PASSWORD',
  'ELASTIC_PASSWORD',
  'REDIS_PASSWORD',
  'MSSQL_SA_PASSWORD',
  'SA_PASSWORD',
  'NEO4J_AUTH',
  'INFLUXDB_ADMIN_PASSWORD',
  'DOCKER_INFLUXDB_INIT_PASSWORD',
  'COUCHDB_PASSWORD',
  'ARANGO_ROOT_PASSWORD',
  'CLICKHOUSE_PASSWORD',
  'NEXTCLOUD_ADMIN_PASSWORD',
  'WORDPRESS_DB_PASSWORD',
  'GITLAB_ROOT_PASSWORD',
  'JENKINS_ADMIN_PASSWORD',
  'PGADMIN_DEFAULT_PASSWORD',
  'LDAP_ADMIN_PASSWORD',
  'VAULT_DEV_ROOT_TOKEN_ID',
];

/** Source files, where an unquoted value is an identifier rather than a literal. */
const CODE_FILE = /\.(?:[cm]?[jt]sx?|py|go|java|kt|kts|rb|cs|php|rs|swift|scala|groovy)$/;

export const frameworkKeyRules: readonly Rule[] = [
  patternRule({
    id: 'wordpress-config-secret',
    title: 'WordPress wp-config.php database password or authentication key/salt',
    keywords: ['db_password', 'auth_key', 'auth_salt', 'logged_in_', 'nonce_'],
    pattern: new RegExp(
      `define\\(\\s{0,8}(?<q>['"])(?:${WP_NAMES})\\k<q>\\s{0,8},\\s{0,40}(?<q2>['"])(?<secret>(?:(?!\\k<q2>)[^\\n\\\\]|\\\\.){3,200})\\k<q2>\\s{0,8}\\)`,
    ),
    // Salts are 64 random printable characters, so `{{` or `${` inside one is chance, not a template: only the
    // sample file's phrases and references made of a call count as stand-ins.
    allowPlaceholders: true,
    validate: ({ secret, match }) =>
      !/^(?:put your unique phrase here|password_here|\s*)$/i.test(secret) &&
      (/DB_PASSWORD/.test(match) ? !isStandInSetting(secret) : shannonEntropy(secret) >= 4),
    examples: [
      `define( 'DB_PASSWORD', '${pw('wp1')}' );`,
      `define('NONCE_SALT',       '${fake('wp2', 64, `${B62}!@#$%^&*()-_ []{}<>~+=,.;:/?|`)}');`,
    ],
    falsePositives: [
      "define( 'DB_PASSWORD', 'password_here' );",
      "define( 'AUTH_KEY',         'put your unique phrase here' );",
      "define( 'DB_PASSWORD', getenv('WORDPRESS_DB_PASSWORD') );",
    ],
  }),
  patternRule({
    id: 'laravel-app-key',
    title: 'Laravel APP_KEY (encrypts sessions and cookies; leaks allow forged payloads)',
    severity: 'critical',
    keywords: ['app_key'],
    pattern: /APP_KEY[ \t]{0,4}[=:][ \t]{0,4}["']?(?<secret>base64:[A-Za-z0-9+/]{43}=)/,
    examples: [`APP_KEY=base64:${fake('lv1', 43, B64)}=`],
    falsePositives: ['APP_KEY=', 'APP_KEY=base64:'],
  }),
  patternRule({
    id: 'django-secret-key',
    title: 'Django SECRET_KEY (incl. django-insecure- keys from startproject)',
    keywords: ['secret_key', 'django-insecure-'],
    pattern:
      /(?:SECRET_KEY[ \t]{0,4}[=:][ \t]{0,4}(?<q>['"])(?<secret>[a-z0-9!@#$%^&*(\-_=+)]{40,60})\k<q>|(?<secret2>django-insecure-[a-z0-9!@#$%^&*(\-_=+)]{40,60}))/,
    validate: ({ secret }) => shannonEntropy(secret) >= 4 && !isPlaceholderValue(secret),
    examples: [
      `SECRET_KEY = 'django-insecure-${fake('dj1', 50, DJANGO_ALPHABET)}'`,
      `SECRET_KEY = "${fake('dj2', 50, DJANGO_ALPHABET)}"`,
    ],
    falsePositives: [
      "SECRET_KEY = os.environ['DJANGO_SECRET_KEY']",
      "SECRET_KEY = 'django-insecure-change-me'",
    ],
  }),
  patternRule({
    id: 'dotnet-machine-key',
    title: 'ASP.NET machineKey validation/decryption key (forges view state and auth cookies)',
    severity: 'critical',
    keywords: ['machinekey'],
    pattern:
      /<machineKey\b[^>]{0,600}?\b(?:validationKey|decryptionKey)\s{0,4}=\s{0,4}"(?<secret>[0-9A-Fa-f]{32,256})"/,
    minEntropy: 3,
    examples: [
      `<machineKey validationKey="${fake('mk1', 128, UPPER_HEX)}"\n  decryptionKey="${fake('mk2', 64, UPPER_HEX)}" validation="HMACSHA256" decryption="AES" />`,
    ],
    falsePositives: [
      '<machineKey validationKey="AutoGenerate,IsolateApps" decryptionKey="AutoGenerate,IsolateApps" />',
    ],
  }),
  patternRule({
    id: 'odbc-connection-password',
    title: 'ODBC connection string password (PWD=)',
    keywords: ['pwd='],
    pattern:
      /(?:^|[;"'\s{])PWD\s{0,2}=\s{0,2}(?:\{(?<secret>[^}\n]{1,128})\}|(?<secret2>[^;"'\s{}]{3,128}))/i,
    validate: ({ secret, line }) =>
      /\b(?:UID|USER ID|DRIVER|DSN|SERVER)\s{0,2}=/i.test(line) && !isStandInSetting(secret),
    examples: [
      `conn = pyodbc.connect("DRIVER={ODBC Driver 18 for SQL Server};SERVER=sql1;DATABASE=Sales;UID=report;PWD=${pw('od1')}")`,
      `Driver={PostgreSQL Unicode};Server=pg1;Uid=etl;Pwd={${pw('od2')}};`,
    ],
    falsePositives: ['cd $PWD=/tmp', '"DSN=Sales;UID=report;PWD=%s" % password'],
  }),
  patternRule({
    id: 'server-password-environment',
    title:
      'Server admin password in a compose file or environment block (MYSQL_ROOT_PASSWORD, POSTGRES_PASSWORD...)',
    keywords: [...new Set(SERVER_PASSWORD_NAMES.map((n) => n.toLowerCase()))],
    pattern: new RegExp(
      `(?<![A-Za-z0-9_])(?:${SERVER_PASSWORD_NAMES.join('|')})["']?[ \\t]{0,4}[=:][ \\t]{0,4}(?<q>["']?)(?<secret>[^\\s"']{3,200})\\k<q>(?=[\\s,}\\]]|$)`,
    ),
    // In source code, unquoted constant or member names (`PGPASSWORD: VALUE,`, `POSTGRES_PASSWORD: cfg.db.pass`)
    // are references; in YAML and env files an unquoted `ENZWB.NwESfKNi72` is the password itself.
    validate: ({ secret, match, path }) =>
      !isStandInSetting(secret) &&
      (/["']$/.test(match) ||
        !CODE_FILE.test(path) ||
        !/^(?:[A-Z_][A-Z0-9_]*|[A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)+),?$/.test(secret)),
    examples: [
      `services:\n  db:\n    environment:\n      MYSQL_ROOT_PASSWORD: ${pw('sp1')}`,
      `      - POSTGRES_PASSWORD=${pw('sp2')}`,
      `docker run -e RABBITMQ_DEFAULT_PASS="${pw('sp3')}" rabbitmq:3`,
      'GF_SECURITY_ADMIN_PASSWORD: ENZWB.NwESfKNi72',
    ],
    falsePositives: [
      'POSTGRES_PASSWORD_FILE: /run/secrets/db_password',
      `POSTGRES_PASSWORD: \${POSTGRES_PASSWORD:?set it}`,
      'MYSQL_ALLOW_EMPTY_PASSWORD: "yes"',
      'REDIS_PASSWORD=null',
      'GF_SECURITY_ADMIN_PASSWORD__FILE: /run/secrets/grafana',
    ],
  }),
  patternRule({
    id: 'key-only-file',
    title: 'Key file holding only a key (Rails master.key, config/credentials/*.key, raw hex/base64 *.key)',
    severity: 'critical',
    keywords: [],
    paths: /\.(?:key|keyfile|secret)$/,
    // The whole file is the key: anchored at the start (no `m` flag), so a big `.key` file costs one attempt.
    pattern: /^\s{0,4}(?<secret>[0-9a-fA-F]{32,128}|[A-Za-z0-9+/_-]{32,88}={0,2})\s{0,4}$/,
    minEntropy: 3,
    examplePath: 'config/master.key',
    examples: [fake('kf1', 32, HEX), `${fake('kf2', 44, B64)}\n`],
    falsePositives: ['0123456789abcdef0123456789abcdef', 'this file intentionally left blank'],
  }),
];
