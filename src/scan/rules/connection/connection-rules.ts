import type { Rule } from '../rule.js';
import { patternRule } from '../shared/define-rule.js';
import { B62, fake } from '../shared/fake-value.js';
import { isPlaceholderValue } from '../shared/value-checks.js';

/** Schemes with a dedicated rule; the general URL rule leaves them alone so each leak is reported once. */
const DB_SCHEMES = [
  'postgres',
  'postgresql',
  'mysql',
  'mariadb',
  'mongodb',
  'mongodb+srv',
  'redis',
  'rediss',
  'amqp',
  'amqps',
];

const pw = (seed: string) => `${fake(seed, 10, B62)}!${fake(`${seed}x`, 6, B62)}`;

/** URL userinfo: the password must be real-looking and differ from the user name. */
function realPassword(match: string, secret: string): boolean {
  const user = /\/\/([^:/@]*):/.exec(match)?.[1] ?? '';
  // Escapes (`\xA0`, `\u00e9`) mean a parser test vector inside a string literal, not a deployed URL.
  if (/\\[xu][0-9a-f]/i.test(match)) return false;
  // A short lower-case word (`guest`, `flabada`) is a default or a test vector, not a generated password.
  if (/^[a-z]{1,10}$/.test(secret)) return false;
  return !isPlaceholderValue(secret) && secret !== user && !/^\d{1,5}$/.test(secret) && secret.length >= 4;
}

interface DbSpec {
  readonly id: string;
  readonly title: string;
  readonly schemes: readonly string[];
  readonly example: (password: string) => string;
  readonly placeholder: string;
}

const DBS: readonly DbSpec[] = [
  {
    id: 'postgres-connection-string',
    title: 'PostgreSQL connection URL with password',
    schemes: ['postgres', 'postgresql'],
    example: (p) =>
      `DATABASE_URL=postgresql://app_user:${p}@db.internal.acme.dev:5432/orders?sslmode=require`,
    placeholder: 'DATABASE_URL=postgres://postgres:postgres@localhost:5432/dev',
  },
  {
    id: 'mysql-connection-string',
    title: 'MySQL / MariaDB connection URL with password',
    schemes: ['mysql', 'mariadb'],
    example: (p) => `  url: "mysql://billing:${p}@mysql-primary.acme.internal:3306/billing"`,
    placeholder: 'url: "mysql://root:<password>@localhost:3306/db"',
  },
  {
    id: 'mongodb-connection-string',
    title: 'MongoDB connection string with password',
    schemes: ['mongodb', 'mongodb+srv'],
    example: (p) =>
      `const uri = "mongodb+srv://analytics:${p}@cluster0.ab1cd.mongodb.net/?retryWrites=true&w=majority";`,
    placeholder: 'const uri = "mongodb+srv://<username>:<password>@cluster0.mongodb.net/"',
  },
  {
    id: 'redis-connection-string',
    title: 'Redis connection URL with password',
    schemes: ['redis', 'rediss'],
    example: (p) => `REDIS_URL=rediss://:${p}@cache.acme.internal:6380/0`,
    placeholder: `REDIS_URL=redis://:\${REDIS_PASSWORD}@localhost:6379`,
  },
  {
    id: 'amqp-connection-string',
    title: 'AMQP (RabbitMQ) connection URL with password',
    schemes: ['amqp', 'amqps'],
    example: (p) => `CELERY_BROKER_URL = "amqps://worker:${p}@rabbit.acme.internal:5671/prod"`,
    placeholder: 'CELERY_BROKER_URL = "amqp://guest:guest@localhost:5672//"',
  },
];

const escapeRe = (s: string) => s.replace(/[+.]/g, '\\$&');

const dbRules: Rule[] = DBS.map((db) =>
  patternRule({
    id: db.id,
    title: db.title,
    severity: 'critical',
    keywords: db.schemes.map((s) => `${s}://`),
    pattern: new RegExp(
      `(?<![A-Za-z0-9+.-])(?:${db.schemes.map(escapeRe).join('|')})://[^\\s:@/"'\`<>]{0,64}:(?<secret>[^\\s@/"'\`<>]{1,128})@[A-Za-z0-9.\\[\\]_-]`,
    ),
    allowPlaceholders: true,
    validate: ({ match, secret }) => realPassword(match, secret),
    examples: [db.example(pw(`${db.id}-1`)), db.example(encodeURIComponent(`${pw(`${db.id}-2`)}#`))],
    falsePositives: [db.placeholder, db.example(`\${DB_PASSWORD}`), db.example('password')],
  }),
);

/** Database, broker and URL credentials. */
export const connectionRules: readonly Rule[] = [
  ...dbRules,
  patternRule({
    id: 'url-credentials',
    title: 'Credentials in a URL (scheme://user:password@host)',
    severity: 'high',
    keywords: ['://'],
    // Anchored on `://` (rare) rather than on every letter; the scheme is checked by lookbehind.
    pattern: new RegExp(
      `(?<=(?:^|[^A-Za-z0-9+.-])[A-Za-z][A-Za-z0-9+.-]{1,20})(?<!(?:^|[^A-Za-z0-9+.-])(?:${DB_SCHEMES.map(escapeRe).join('|')}))://[^\\s:@/"'\`<>]{1,64}:(?<secret>[^\\s@/"'\`<>]{3,128})@[A-Za-z0-9.[\\]_-]`,
      'i',
    ),
    // Every match starts at its `://`: tried only there, the look-behinds no longer run at every character.
    anchor: { literal: '://', offset: 0 },
    allowPlaceholders: true,
    validate: ({ match, secret }) => realPassword(match, secret),
    examples: [
      `git remote add origin https://deploy-bot:${pw('url-1')}@git.acme.dev/platform/api.git`,
      `proxy = http://svc-proxy:${pw('url-2')}@proxy.corp.acme.dev:3128`,
      `ftp://uploader:${pw('url-3')}@ftp.acme.dev/incoming/`,
    ],
    falsePositives: [
      'https://user:password@example.com/path',
      `https://\${USER}:\${PASS}@git.acme.dev/repo.git`,
      'https://admin:<password>@host',
      'http://localhost:8080@home',
      "parse('uri://us\\xA0er:pa\\uD7FFss@example')",
      'https://user:****@registry.acme.dev',
      `postgres://app:${pw('url-4')}@db:5432/app`,
    ],
  }),
  patternRule({
    id: 'pgpass-entry',
    title: 'PostgreSQL .pgpass entry (host:port:database:user:password)',
    severity: 'critical',
    keywords: [':5432:', ':*:'],
    pattern:
      /(?<![^\n])(?:[A-Za-z0-9.*_-]{1,253}):(?:5432|\*|\d{2,5}):[^:\s]{1,63}:[^:\s]{1,63}:(?<secret>(?:[^\s:\\]|\\.){4,128})(?![^\n])/,
    allowPlaceholders: true,
    validate: ({ secret }) => !isPlaceholderValue(secret) && !/^[a-z]{1,10}$/.test(secret),
    examples: [`db.acme.internal:5432:orders:app:${pw('pgpass-1')}`, `*:*:*:replicator:${pw('pgpass-2')}`],
    falsePositives: [
      'localhost:5432:*:postgres:postgres',
      `db:5432:app:app:\${PGPASSWORD}`,
      'time 12:34:56:78:90',
      // A shadow entry (9 fields): a .pgpass password escapes its colons (`\:`).
      'daemon:*:19700:0:99999:7:::',
    ],
  }),
  patternRule({
    id: 'jdbc-password',
    title: 'JDBC URL with password parameter',
    severity: 'critical',
    keywords: ['jdbc:'],
    pattern: /jdbc:[a-z0-9]{2,20}:[^\s"'<>]{0,300}?[?;&:]password=(?<secret>[^\s;&"'<>]{3,128})/i,
    allowPlaceholders: true,
    validate: ({ secret }) => !isPlaceholderValue(secret),
    examples: [
      `spring.datasource.url=jdbc:postgresql://db.acme.internal:5432/ledger?user=ledger&password=${pw('jdbc-1')}`,
      `url = "jdbc:sqlserver://sql.acme.internal:1433;databaseName=crm;user=crm_app;password=${pw('jdbc-2')};encrypt=true"`,
    ],
    falsePositives: [
      `jdbc:postgresql://localhost:5432/db?user=app&password=\${DB_PASSWORD}`,
      'jdbc:mysql://localhost/db?user=root&password=password',
    ],
  }),
  patternRule({
    id: 'ado-net-connection-string',
    title: 'ADO.NET / ODBC connection string with password',
    severity: 'critical',
    keywords: ['password=', 'pwd='],
    pattern:
      /(?:Server|Data Source|Host|Addr|Address)=[^;"'\n]{1,120};[^"'\n]{0,300}?(?:Password|Pwd)=(?<secret>[^;"'\s]{3,128})/i,
    allowPlaceholders: true,
    validate: ({ secret }) => !isPlaceholderValue(secret),
    examples: [
      `"DefaultConnection": "Server=tcp:acme-sql.database.windows.net,1433;Initial Catalog=crm;User ID=crm_app;Password=${pw('ado-1')};Encrypt=True;"`,
    ],
    falsePositives: [
      '"DefaultConnection": "Server=(localdb)\\\\mssqllocaldb;Database=app;Trusted_Connection=True;"',
      'Server=db;User Id=sa;Password=<YourStrong@Passw0rd>;',
    ],
  }),
];
