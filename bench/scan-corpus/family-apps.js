import { FileBuilder } from './file-builder.js';

const F = 'framework-keys';
const P = 'code-passwords';
const WP_KEYS = [
  'AUTH_KEY',
  'SECURE_AUTH_KEY',
  'LOGGED_IN_KEY',
  'NONCE_KEY',
  'AUTH_SALT',
  'SECURE_AUTH_SALT',
  'LOGGED_IN_SALT',
  'NONCE_SALT',
];

/** Application frameworks' key and password settings. */
export const FRAMEWORK_FILES = [
  (f, i) => {
    const pw = f.password();
    const b = new FileBuilder(`wordpress${i}/wp-config.php`)
      .add(
        "<?php\n/** The name of the database for WordPress */\ndefine( 'DB_NAME', 'wordpress' );\n\n/** Database username */\ndefine( 'DB_USER', 'wp' );\n\n/** Database password */",
      )
      .secret(`define( 'DB_PASSWORD', '${pw}' );`, F, 'wp-db-password', pw)
      .add("define( 'DB_HOST', 'localhost' );\ndefine( 'DB_CHARSET', 'utf8mb4' );\n");
    for (const k of WP_KEYS) {
      const salt = f.wpSalt();
      b.secret(`define('${k}',${' '.repeat(Math.max(1, 18 - k.length))}'${salt}');`, F, `wp-${k}`, salt);
    }
    return b.add("\n$table_prefix = 'wp_';\ndefine( 'WP_DEBUG', false );");
  },
  (f, i) => {
    const key = f.laravelKey();
    const pw = f.password();
    return new FileBuilder(`laravel${i}/.env`)
      .add('APP_NAME=Laravel\nAPP_ENV=production')
      .secret(`APP_KEY=${key}`, F, 'laravel-app-key', key)
      .add('APP_DEBUG=false\nAPP_URL=https://shop.example.com\n\nDB_CONNECTION=mysql')
      .add(`DB_HOST=mysql-primary.internal\nDB_PORT=3306\nDB_DATABASE=shop\nDB_USERNAME=shop`)
      .secret(`DB_PASSWORD=${pw}`, F, 'laravel-db-password', pw)
      .add(
        '\nREDIS_HOST=127.0.0.1\nREDIS_PASSWORD=null\nREDIS_PORT=6379\n\nMAIL_MAILER=smtp\nMAIL_PASSWORD=null',
      )
      .add(
        'AWS_ACCESS_KEY_ID=\nAWS_SECRET_ACCESS_KEY=\nAWS_DEFAULT_REGION=us-east-1\nAWS_BUCKET=\n\nPUSHER_APP_ID=\nPUSHER_APP_KEY=\nPUSHER_APP_SECRET=\nPUSHER_HOST=',
      );
  },
  (f, i) => {
    const key = f.hex(32);
    return new FileBuilder(`rails${i}/config/master.key`).secret(key, F, 'rails-master-key', key);
  },
  (f, i) => {
    const key = f.hex(32);
    return new FileBuilder(`rails${i}/config/credentials/production.key`).secret(
      key,
      F,
      'rails-env-key',
      key,
    );
  },
  (f, i) => {
    const key = f.djangoKey(i % 2 === 0);
    return new FileBuilder(`django${i}/mysite/settings.py`)
      .add(
        'from pathlib import Path\n\nBASE_DIR = Path(__file__).resolve().parent.parent\n\n# SECURITY WARNING: keep the secret key used in production secret!',
      )
      .secret(`SECRET_KEY = '${key}'`, F, 'django-secret-key', key)
      .add(
        "\n# SECURITY WARNING: don't run with debug turned on in production!\nDEBUG = False\n\nALLOWED_HOSTS = ['example.com']",
      );
  },
  (f, i) => {
    const vk = f.hex(128).toUpperCase();
    const dk = f.hex(64).toUpperCase();
    const smtp = f.password();
    return new FileBuilder(`legacy${i}/Web.config`)
      .add(
        '<?xml version="1.0" encoding="utf-8"?>\n<configuration>\n  <appSettings>\n    <add key="webpages:Version" value="3.0.0.0" />\n    <add key="SmtpHost" value="smtp.example.com" />',
      )
      .secret(`    <add key="SmtpPassword" value="${smtp}" />`, F, 'dotnet-appsettings', smtp)
      .add('  </appSettings>\n  <system.web>\n    <compilation debug="false" targetFramework="4.8" />')
      .secret(
        `    <machineKey validationKey="${vk}"\n                decryptionKey="${dk}"\n                validation="HMACSHA256" decryption="AES" />`,
        F,
        'dotnet-machinekey',
        vk,
      )
      .add('  </system.web>\n</configuration>');
  },
  (f, i) => {
    const pw = f.password();
    return new FileBuilder(`reports${i}/extract.py`)
      .add('import pyodbc\n\n')
      .secret(
        `conn = pyodbc.connect("DRIVER={ODBC Driver 18 for SQL Server};SERVER=sql${i}.corp.local;DATABASE=Sales;UID=report;PWD=${pw};TrustServerCertificate=yes")`,
        F,
        'odbc-pwd',
        pw,
      )
      .add('cursor = conn.cursor()\ncursor.execute("SELECT TOP 10 * FROM Orders")');
  },
  (f, i) => {
    const pwd = [f.password(), f.password(), f.password(), f.password(), f.password()];
    return new FileBuilder(`stack${i}/docker-compose.yml`)
      .add('services:\n  db:\n    image: mysql:8.0\n    environment:')
      .secret(`      MYSQL_ROOT_PASSWORD: ${pwd[0]}`, F, 'compose-mysql', pwd[0])
      .add(
        '      MYSQL_DATABASE: shop\n  pg:\n    image: postgres:16\n    environment:\n      - POSTGRES_USER=app',
      )
      .secret(`      - POSTGRES_PASSWORD=${pwd[1]}`, F, 'compose-postgres', pwd[1])
      .add('  mq:\n    image: rabbitmq:3-management\n    environment:\n      RABBITMQ_DEFAULT_USER: app')
      .secret(`      RABBITMQ_DEFAULT_PASS: "${pwd[2]}"`, F, 'compose-rabbitmq', pwd[2])
      .add('  minio:\n    image: minio/minio\n    environment:\n      MINIO_ROOT_USER: admin')
      .secret(`      MINIO_ROOT_PASSWORD: ${pwd[3]}`, F, 'compose-minio', pwd[3])
      .add('  grafana:\n    image: grafana/grafana\n    environment:')
      .secret(`      GF_SECURITY_ADMIN_PASSWORD: ${pwd[4]}`, F, 'compose-grafana', pwd[4])
      .add('      GF_USERS_ALLOW_SIGN_UP: "false"');
  },
];

/** Passwords in source code, shell history and container files. */
export const CODE_FILES = [
  (f, i) => {
    const a = f.password();
    const b = f.password();
    return new FileBuilder(`svc${i}/internal/store/db.go`)
      .add(
        'package store\n\nimport (\n\t"database/sql"\n\n\t_ "github.com/go-sql-driver/mysql"\n)\n\nfunc Open() (*sql.DB, error) {',
      )
      .secret(
        `\treturn sql.Open("mysql", "shop:${a}@tcp(mysql${i}:3306)/shop?parseTime=true")`,
        P,
        'go-mysql-dsn',
        a,
      )
      .add('}\n\nfunc OpenReports() (*sql.DB, error) {')
      .secret(
        `\treturn sql.Open("postgres", "host=pg${i} port=5432 user=reports password=${b} dbname=reports sslmode=disable")`,
        P,
        'go-pq-dsn',
        b,
      )
      .add('}');
  },
  (f, i) => {
    const pw = f.password();
    return new FileBuilder(`legacy${i}/src/main/java/com/acme/Db.java`)
      .add(
        'package com.acme;\n\nimport java.sql.Connection;\nimport java.sql.DriverManager;\n\npublic final class Db {\n  public static Connection open() throws Exception {',
      )
      .secret(
        `    return DriverManager.getConnection("jdbc:mysql://db${i}:3306/crm", "crm_app", "${pw}");`,
        P,
        'java-getconnection',
        pw,
      )
      .add('  }\n}');
  },
  (f, i) => {
    const pw = f.password();
    return new FileBuilder(`legacy${i}/Mailer/SmtpSender.cs`)
      .add(
        'using System.Net;\nusing System.Net.Mail;\n\npublic class SmtpSender\n{\n    public void Send(MailMessage m)\n    {\n        var client = new SmtpClient("smtp.office365.com", 587);',
      )
      .secret(
        `        client.Credentials = new NetworkCredential("noreply@example.com", "${pw}");`,
        P,
        'csharp-networkcredential',
        pw,
      )
      .add('        client.EnableSsl = true;\n        client.Send(m);\n    }\n}');
  },
  (f, i) => {
    const pw = f.password();
    const pw2 = f.password();
    return new FileBuilder(`tools${i}/sync_inventory.py`)
      .add(
        'import requests\nfrom requests.auth import HTTPBasicAuth\n\nBASE = "https://erp.example.com/api"\n\n\ndef fetch():',
      )
      .secret(
        `    r = requests.get(f"{BASE}/items", auth=("integration", "${pw}"), timeout=30)`,
        P,
        'python-auth-tuple',
        pw,
      )
      .add('    r.raise_for_status()\n    return r.json()\n\n\ndef push(items):')
      .secret(
        `    requests.post(f"{BASE}/items", json=items, auth=HTTPBasicAuth("integration", "${pw2}"))`,
        P,
        'python-basic-auth',
        pw2,
      );
  },
  (f, i) => {
    const p = [f.password(), f.password(), f.password(), f.password(), f.password(), f.password()];
    return new FileBuilder(`home/u${i}/.bash_history`)
      .add('ls -la\ncd /srv/app\ngit pull\nmysql -u root -p\nsudo systemctl restart nginx')
      .secret(`mysql -h db${i}.internal -u admin -p${p[0]} shop`, P, 'history-mysql', p[0])
      .add('export AWS_REGION=eu-west-1\nkubectl get pods -n prod')
      .secret(`sshpass -p '${p[1]}' ssh deploy@10.0.${i}.5`, P, 'history-sshpass', p[1])
      .secret(`curl -u admin:${p[2]} https://jenkins.example.com/api/json`, P, 'history-curl', p[2])
      .secret(`redis-cli -h cache${i} -a ${p[3]} INFO`, P, 'history-redis', p[3])
      .add('docker ps\nhtop')
      .secret(`docker login -u ci -p ${p[4]} registry.example.com`, P, 'history-docker', p[4])
      .secret(`PGPASSWORD=${p[5]} psql -h pg${i} -U app app`, P, 'history-pgpassword', p[5])
      .add('exit');
  },
  (f, i) => {
    const pw = f.password();
    const tok = f.b62(32);
    return new FileBuilder(`images/api${i}/Dockerfile`)
      .add('FROM node:20-alpine\nWORKDIR /app\nENV NODE_ENV production\nENV PORT 8080')
      .secret(`ENV DB_PASSWORD ${pw}`, P, 'dockerfile-env-space', pw)
      .secret(`ENV API_TOKEN ${tok}`, P, 'dockerfile-env-token', tok)
      .add('COPY package*.json ./\nRUN npm ci --omit=dev\nCOPY . .\nCMD ["node", "server.js"]');
  },
  (f, i) => {
    const pw = f.password();
    return new FileBuilder(`deploy/${i}/values-prod.yaml`)
      .add('replicaCount: 3\ndatabase:\n  host: pg.internal\n  user: app')
      .secret(`  password: >-\n    ${pw}`, P, 'yaml-folded', pw)
      .add('  pool: 20\nresources:\n  limits:\n    memory: 512Mi');
  },
  (f, i) => {
    const pw = f.password();
    return new FileBuilder(`lambda${i}/event.json`)
      .add(`{\n  "Records": [\n    {\n      "messageId": "${f.hex(8)}",`)
      .secret(
        `      "body": "{\\"db_password\\":\\"${pw}\\",\\"host\\":\\"db.internal\\"}",`,
        P,
        'json-escaped',
        pw,
      )
      .add('      "eventSource": "aws:sqs"\n    }\n  ]\n}');
  },
  (f, i) => {
    const jwk = f.jwk(['ec', 'rsa', 'okp'][i % 3]);
    const text = JSON.stringify({ keys: [{ ...jwk, kid: `sig-${i}`, use: 'sig' }] }, null, 2);
    const lines = text.split('\n');
    const at = lines.findIndex((l) => l.includes('"d":'));
    return new FileBuilder(`auth${i}/jwks-private.json`)
      .add(lines.slice(0, at).join('\n'))
      .secret(lines[at], P, 'jwk-private', '"d":')
      .add(lines.slice(at + 1).join('\n'));
  },
];
