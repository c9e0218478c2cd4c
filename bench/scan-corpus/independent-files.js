/**
 * An independent labelled corpus, written by the reviewer of issue 16 without looking at the rules' examples, from
 * how the formats look in the wild (dotfiles, dumps, configs, Terraform states, kubeconfigs, shell histories). It is
 * deliberately kept apart from the corpus the rules were tuned on: do not tune rules against these files one by one;
 * fix general defects and add the rule's own example / look-alike as the test.
 * Hashes were computed with real tools (openssl passwd, htpasswd, mkpasswd, PBKDF2); other values come from a
 * seeded SHA-256 stream, so the files are stable across runs.
 */
import { createHash } from 'node:crypto';
import { FileBuilder } from './file-builder.js';

const B62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const B64 = `${B62}+/`;
const HEX = '0123456789abcdef';

/** `n` characters of `alphabet` from a SHA-256 stream of `seed` (stable, never a real credential). */
function rnd(seed, n, alphabet = B62) {
  let out = '';
  for (let block = 0; out.length < n; block++) {
    for (const b of createHash('sha256').update(`independent:${seed}:${block}`).digest()) {
      if (out.length < n) out += alphabet[b % alphabet.length];
    }
  }
  return out;
}

/** Files with planted credentials: [path, build(f)] where build appends lines with f.add / f.secret. */
function positives({ checksumSuffix }) {
  const pw = (seed) => `${rnd(seed, 6)}!${rnd(`${seed}b`, 7)}`;
  const hushToken = (kind, seed) => {
    const covered = `hush_${kind}_${rnd(seed, 43)}`;
    return `${covered}${checksumSuffix(covered)}`;
  };
  const apiKey = (prefix, seed) => {
    const body = `${prefix}_${rnd(seed, 43)}`;
    return `${body}${checksumSuffix(body)}`;
  };
  const share = (seed) => {
    const body = `hush-share-${rnd(seed, 8, HEX)}-3-${rnd(`${seed}s`, 44, `${B62}-_`)}`;
    return `${body}-${createHash('sha256').update(body).digest().subarray(0, 4).toString('hex')}`;
  };
  const H = 'password-hashes';
  const C = 'credential-files';
  const F = 'framework-keys';
  const P = 'code-passwords';
  const U = 'hush';
  return [
    // ---- password hashes
    [
      'deploy/nginx/.htpasswd',
      (f) =>
        f
          .secret('alice:$2y$05$Yze24cJTWohFQujXXI9ONejozBAL7A9vau5HMlxZo1E3z0JBM6YcO', H, 'htpasswd-bcrypt')
          .secret('bob:{SHA}1PTSWdkwtIeyvdxuP2yAyRWIIQ4=', H, 'htpasswd-sha')
          .secret('carol:$apr1$mnVCIgxu$kE5HH15obHx/Zt/LgVhfc/', H, 'htpasswd-apr1'),
    ],
    [
      'backup/etc/shadow',
      (f) =>
        f
          .add('root:*:19700:0:99999:7:::\ndaemon:*:19700:0:99999:7:::\nbin:*:19700:0:99999:7:::')
          .add('sshd:!:19700::::::\nnobody:!*:19700:0:99999:7:::')
          .secret(
            'deploy:$6$oRe41R0gYd9yjdOd$uzso0XZ33TJWAbL9BXcJhYpw5oArjDtQu/LZWaDo5K/Fu8VmaAH6GjiZtqmDVsXHv1nsTXPUNhrrjIZ40Dv2T/:19801:0:99999:7:::',
            H,
            'shadow-sha512',
          )
          .secret(
            'ops:$y$j9T$QT9xzfNuDGwJcf5QANup8.$q3hoZgO/ROuY9h.UY.80U7NgNAKFyMrMT79AmSmnFOB:19802:0:99999:7:::',
            H,
            'shadow-yescrypt',
          ),
    ],
    [
      'image/rootfs/etc/shadow-',
      (f) =>
        f
          .add('root:!:19000:0:99999:7:::')
          .secret('admin:$1$Pu1GDLSH$D8xnW6IGdikUaZwaQYUKr.:19000:0:99999:7:::', H, 'shadow-md5'),
    ],
    [
      'dumps/shop-2024-03-01.sql',
      (f) =>
        f
          .add(
            '-- MySQL dump 10.13  Distrib 8.0.36, for Linux (x86_64)\n--\n-- Host: localhost    Database: shop',
          )
          .add('LOCK TABLES `users` WRITE;\n/*!40000 ALTER TABLE `users` DISABLE KEYS */;')
          .secret(
            "INSERT INTO `users` VALUES (1,'admin@shop.test','$2y$10$0m1gA0xvC3kQnS7d2o0nYe2bIc9ZbmR1eQxWw7FqJ9vD3bq0K9pTu','2024-01-02 10:11:12'),(2,'kim@shop.test','$2y$10$uQv1bq0S9c3nF6d8eK1pEOCg1hJmQ8bFqM3oZ2xk7y0Vd6YwQp1bS','2024-01-05 09:00:00');",
            H,
            'mysqldump-bcrypt',
          )
          .add('/*!40000 ALTER TABLE `users` ENABLE KEYS */;\nUNLOCK TABLES;'),
    ],
    [
      'dumps/app.pgdump.sql',
      (f) =>
        f
          .add('--\n-- PostgreSQL database dump\n--\n\nSET statement_timeout = 0;')
          .add('COPY public.auth_user (id, password, last_login, is_superuser, username, email) FROM stdin;')
          .secret(
            '1\tpbkdf2_sha256$600000$LfGHZgeUgIf2$wlKiV+J1Zu/PZ2b4QtDKrBYsRVPEizjMgK5Rh3WTALc=\t2024-02-01 10:00:00+00\tt\tadmin\tadmin@example.org',
            H,
            'pgdump-django-pbkdf2',
          )
          .add('\\.\n'),
    ],
    [
      'dumps/accounts.sql',
      (f) =>
        f
          .add('COPY public.accounts (id, login, pass_hash) FROM stdin;')
          .secret(
            `7\tmaria\t$argon2id$v=19$m=65536,t=3,p=4$${rnd('a2s', 22, B64)}$${rnd('a2h', 43, B64)}`,
            H,
            'pgdump-argon2',
          )
          .add('\\.'),
    ],
    [
      'seed/users.sql',
      (f) =>
        f
          .add('-- users for staging')
          .secret(
            `INSERT INTO users (email, password_digest) VALUES ('ops@corp.test', '$2a$12$${rnd('bc1', 53, `${B62}./`)}');`,
            H,
            'sql-insert-bcrypt',
          ),
    ],
    [
      'legacy/django_fixture.json',
      (f) =>
        f
          .add('[{"model": "auth.user", "pk": 1, "fields": {')
          .secret(
            `  "password": "pbkdf2_sha256$260000$${rnd('dj1', 22)}$${rnd('dj2', 43, B64)}=",`,
            H,
            'django-fixture',
          )
          .add('  "username": "root", "is_superuser": true}}]'),
    ],
    // ---- credential files
    [
      'home/user/.git-credentials',
      (f) =>
        f
          .secret(`https://jdoe:${rnd('gc1', 20)}@git.internal.corp`, C, 'git-credentials')
          .secret(`https://deploy-bot:${pw('gc2')}@bitbucket.org`, C, 'git-credentials'),
    ],
    [
      'home/user/.pgpass',
      (f) =>
        f
          .add('# hostname:port:database:username:password')
          .secret(`db-prod.internal:5432:billing:billing_rw:${pw('pg1')}`, C, 'pgpass')
          .secret(`*:*:*:postgres:${rnd('pg2', 16)}`, C, 'pgpass'),
    ],
    [
      'home/user/.my.cnf',
      (f) => f.add('[client]\nuser=backup\nhost=10.0.3.7').secret(`password="${pw('my1')}"`, C, 'my-cnf'),
    ],
    [
      'home/user/.netrc',
      (f) =>
        f
          .secret(
            `machine api.heroku.com\n  login ops@corp.test\n  password ${rnd('nr1', 36, HEX)}`,
            C,
            'netrc',
          )
          .secret(`machine ftp.partner.net login upload password ${pw('nr2')}`, C, 'netrc'),
    ],
    [
      'home/user/.s3cfg',
      (f) =>
        f
          .add('[default]')
          .secret(
            `access_key = AKIA${rnd('s3a', 16, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567')}`,
            'cloud',
            'aws-access-key-id',
          )
          .secret(`secret_key = ${rnd('s3s', 40, B64)}`, C, 's3cfg')
          .add('host_base = s3.amazonaws.com\nuse_https = True'),
    ],
    [
      'home/user/.pypirc',
      (f) =>
        f
          .add(
            '[distutils]\nindex-servers =\n    internal\n\n[internal]\nrepository = https://pypi.corp.test/simple',
          )
          .add('username = release')
          .secret(`password = ${pw('pp1')}`, C, 'pypirc'),
    ],
    [
      'home/user/.m2/settings.xml',
      (f) =>
        f
          .add(
            '<settings>\n  <servers>\n    <server>\n      <id>nexus-releases</id>\n      <username>ci</username>',
          )
          .secret(`      <password>${pw('mv1')}</password>`, C, 'maven-settings')
          .add('    </server>\n  </servers>\n</settings>'),
    ],
    [
      'home/user/.gradle/gradle.properties',
      (f) =>
        f
          .add('org.gradle.jvmargs=-Xmx2g\nartifactoryUser=ci')
          .secret(`artifactoryPassword=${pw('gr1')}`, C, 'gradle-properties')
          .secret(`signing.password=${pw('gr2')}`, C, 'gradle-properties'),
    ],
    [
      'app/auth.json',
      (f) =>
        f
          .add('{\n  "http-basic": {\n    "repo.packagist.com": {\n      "username": "token"')
          .secret(`      ,"password": "${rnd('cp1', 40, HEX)}"`, C, 'composer-auth')
          .add('    }\n  }\n}'),
    ],
    [
      'home/user/.kube/config',
      (f) =>
        f
          .add(
            'apiVersion: v1\nclusters:\n- cluster:\n    certificate-authority-data: LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0tCk1JSUM=\n    server: https://10.1.0.1:6443\n  name: prod',
          )
          .add(
            'contexts:\n- context:\n    cluster: prod\n    user: admin\n  name: prod\ncurrent-context: prod\nkind: Config',
          )
          .add('users:\n- name: admin\n  user:')
          .secret(
            `    token: ${rnd('kc1', 6, 'abcdefghijklmnopqrstuvwxyz0123456789')}.${rnd('kc2', 16, 'abcdefghijklmnopqrstuvwxyz0123456789')}`,
            C,
            'kubeconfig-token',
          ),
    ],
    [
      'ops/kubeconfig-staging.yaml',
      (f) =>
        f
          .add('apiVersion: v1\nkind: Config\nusers:\n- name: stg\n  user:\n    username: admin')
          .secret(`    password: ${pw('kc3')}`, C, 'kubeconfig-basic'),
    ],
    [
      'infra/terraform.tfstate',
      (f) =>
        f
          .add(
            '{\n  "version": 4,\n  "terraform_version": "1.6.6",\n  "serial": 12,\n  "resources": [\n    {\n      "mode": "managed",\n      "type": "aws_db_instance",\n      "name": "main",\n      "instances": [\n        {\n          "attributes": {\n            "engine": "postgres",\n            "username": "app",',
          )
          .secret(`            "password": "${pw('tf1')}",`, C, 'tfstate-password')
          .add(
            '            "port": 5432\n          }\n        }\n      ]\n    },\n    {\n      "type": "aws_iam_access_key",\n      "instances": [\n        {\n          "attributes": {',
          )
          .secret(`            "secret": "${rnd('tf2', 40, B64)}",`, C, 'tfstate-secret')
          .secret(`            "ses_smtp_password_v4": "${rnd('tf3', 44, B64)}",`, C, 'tfstate-smtp')
          .add(
            '            "user": "ci"\n          }\n        }\n      ]\n    },\n    {\n      "type": "random_password",\n      "instances": [\n        {\n          "attributes": {',
          )
          .secret(`            "result": "${rnd('tf4', 24)}",`, C, 'tfstate-random-password')
          .add('            "length": 24\n          }\n        }\n      ]\n    }\n  ]\n}'),
    ],
    [
      'ansible/inventory/hosts.ini',
      (f) =>
        f
          .add('[web]\nweb1.corp.test\nweb2.corp.test\n\n[db]')
          .secret(`db1.corp.test ansible_user=root ansible_password=${pw('an1')}`, C, 'ansible-inventory')
          .add('[all:vars]\nansible_python_interpreter=/usr/bin/python3')
          .secret(`ansible_become_pass=${pw('an2')}`, C, 'ansible-inventory'),
    ],
    [
      'home/user/.config/rclone/rclone.conf',
      (f) =>
        f
          .add('[backup-sftp]\ntype = sftp\nhost = nas.home\nuser = rclone')
          .secret(`pass = ${rnd('rc1', 40, `${B62}-_`)}`, C, 'rclone-pass'),
    ],
    [
      'home/user/.config/filezilla/sitemanager.xml',
      (f) =>
        f
          .add(
            '<?xml version="1.0" encoding="UTF-8"?>\n<FileZilla3 version="3.66.4">\n  <Servers>\n    <Server>\n      <Host>ftp.partner.net</Host>\n      <Port>21</Port>\n      <User>upload</User>',
          )
          .secret(
            `      <Pass encoding="base64">${Buffer.from(pw('fz1')).toString('base64')}</Pass>`,
            C,
            'filezilla',
          )
          .add('    </Server>\n  </Servers>\n</FileZilla3>'),
    ],
    [
      'winscp/WinSCP.ini',
      (f) =>
        f
          .add('[Sessions\\deploy@web1]\nHostName=web1.corp.test\nUserName=deploy')
          .secret(`Password=A35C${rnd('ws1', 60, HEX).toUpperCase()}`, C, 'winscp'),
    ],
    [
      'project/.vscode/sftp.json',
      (f) =>
        f
          .add(
            '{\n  "name": "prod",\n  "host": "web1.corp.test",\n  "protocol": "sftp",\n  "port": 22,\n  "username": "deploy",',
          )
          .secret(`  "password": "${pw('vs1')}",`, C, 'vscode-sftp')
          .add('  "remotePath": "/var/www"\n}'),
    ],
    [
      'project/sftp-config.json',
      (f) =>
        f
          .add('{\n    "type": "sftp",\n    "host": "web2.corp.test",\n    "user": "deploy",')
          .secret(`    "password": "${pw('sb1')}",`, C, 'sublime-sftp')
          .add('    "remote_path": "/srv/app/"\n}'),
    ],
    [
      'project/.idea/dataSources.local.xml',
      (f) =>
        f
          .add(
            '<?xml version="1.0" encoding="UTF-8"?>\n<project version="4">\n  <component name="dataSourceStorageLocal">\n    <data-source name="prod@db" uuid="2d1c7d8e-0d0c-4a3b-9e2f-1a2b3c4d5e6f">\n      <user-name>app</user-name>',
          )
          .secret(
            `      <secret-storage>master_key</secret-storage>\n      <password>${rnd('jb1', 48, HEX)}</password>`,
            C,
            'jetbrains-datasource',
          )
          .add('    </data-source>\n  </component>\n</project>'),
    ],
    [
      'home/user/.docker/config.json',
      (f) =>
        f
          .add('{\n  "auths": {\n    "registry.corp.test": {')
          .secret(`      "auth": "${Buffer.from(`ci:${pw('dk1')}`).toString('base64')}"`, C, 'docker-config')
          .add('    }\n  }\n}'),
    ],
    [
      'home/user/.npmrc',
      (f) =>
        f
          .add('registry=https://npm.corp.test/')
          .secret(
            `//npm.corp.test/:_password=${Buffer.from(pw('np1')).toString('base64')}`,
            C,
            'npmrc-password',
          )
          .add('//npm.corp.test/:username=ci\nalways-auth=true'),
    ],
    // ---- framework keys
    [
      'site/wp-config.php',
      (f) =>
        f
          .add("<?php\ndefine( 'DB_NAME', 'wordpress' );\ndefine( 'DB_USER', 'wp' );")
          .secret(`define( 'DB_PASSWORD', '${pw('wp1')}' );`, F, 'wp-db-password')
          .add("define( 'DB_HOST', 'localhost' );")
          .secret(
            `define( 'AUTH_KEY',         '${rnd('wp2', 64, `${B62}!@#%^&*()-_[]{}<>~+=,.;:/?|`)}' );`,
            F,
            'wp-salt',
          )
          .secret(
            `define( 'SECURE_AUTH_SALT', '${rnd('wp3', 64, `${B62}!@#%^&*()-_[]{}<>~+=,.;:/?|`)}' );`,
            F,
            'wp-salt',
          )
          .add("$table_prefix = 'wp_';"),
    ],
    [
      'laravel/.env',
      (f) =>
        f
          .add('APP_NAME=Shop\nAPP_ENV=production')
          .secret(`APP_KEY=base64:${Buffer.from(rnd('lv1', 32)).toString('base64')}`, F, 'laravel-app-key')
          .add(
            'APP_DEBUG=false\nDB_CONNECTION=mysql\nDB_HOST=mysql-primary.internal\nDB_PORT=3306\nDB_USERNAME=shop',
          )
          .secret(`DB_PASSWORD=${pw('lv2')}`, F, 'env-db-password'),
    ],
    ['rails/config/master.key', (f) => f.secret(rnd('rk1', 32, HEX), F, 'rails-master-key')],
    ['rails/config/credentials/production.key', (f) => f.secret(rnd('rk2', 32, HEX), F, 'rails-env-key')],
    [
      'mysite/settings/production.py',
      (f) =>
        f
          .add('from .base import *\n\nDEBUG = False\nALLOWED_HOSTS = ["shop.corp.test"]')
          .secret(`SECRET_KEY = "${rnd('dj3', 50, `${B62}!@#$%^&*(-_=+)`)}"`, F, 'django-secret-key'),
    ],
    [
      'mysite/mysite/settings.py',
      (f) =>
        f
          .add('from pathlib import Path\nBASE_DIR = Path(__file__).resolve().parent.parent')
          .secret(
            `SECRET_KEY = 'django-insecure-${rnd('dj4', 50, 'abcdefghijklmnopqrstuvwxyz0123456789!@#$%^&*(-_=+)')}'`,
            F,
            'django-insecure',
          ),
    ],
    [
      'web/Web.config',
      (f) =>
        f
          .add('<?xml version="1.0"?>\n<configuration>\n  <system.web>')
          .secret(
            `    <machineKey validationKey="${rnd('mk1', 128, HEX).toUpperCase()}" decryptionKey="${rnd('mk2', 48, HEX).toUpperCase()}" validation="HMACSHA256" decryption="AES" />`,
            F,
            'machine-key',
          )
          .add('  </system.web>\n  <appSettings>')
          .secret(`    <add key="SmtpPassword" value="${pw('as1')}" />`, F, 'appsettings-password')
          .add('  </appSettings>\n</configuration>'),
    ],
    [
      'reports/odbc.ini',
      (f) =>
        f
          .add('[Warehouse]\nDriver=ODBC Driver 18 for SQL Server\nServer=tcp:dwh.corp.test,1433')
          .secret(
            `ConnectionString=Driver={ODBC Driver 18 for SQL Server};Server=dwh;Database=sales;UID=report;PWD=${pw('od1')};`,
            F,
            'odbc-pwd',
          ),
    ],
    [
      'docker-compose.yml',
      (f) =>
        f
          .add('services:\n  db:\n    image: postgres:16\n    environment:\n      POSTGRES_USER: app')
          .secret(`      POSTGRES_PASSWORD: ${pw('dc1')}`, F, 'compose-postgres')
          .add(
            '  cache:\n    image: redis:7\n    command: ["redis-server", "--appendonly", "yes"]\n  mq:\n    image: rabbitmq:3\n    environment:',
          )
          .secret(`      - RABBITMQ_DEFAULT_PASS=${pw('dc2')}`, F, 'compose-rabbit')
          .add('  mysql:\n    image: mysql:8\n    environment:')
          .secret(`      MYSQL_ROOT_PASSWORD: "${pw('dc3')}"`, F, 'compose-mysql'),
    ],
    [
      'k8s/deployment.yaml',
      (f) =>
        f
          .add(
            'apiVersion: apps/v1\nkind: Deployment\nspec:\n  template:\n    spec:\n      containers:\n      - name: api\n        env:\n        - name: DB_HOST\n          value: pg',
          )
          .secret(`        - name: DB_PASSWORD\n          value: "${pw('k8s1')}"`, F, 'k8s-env-password'),
    ],
    [
      'app/src/main/resources/application.properties',
      (f) =>
        f
          .add('spring.datasource.url=jdbc:postgresql://db:5432/app\nspring.datasource.username=app')
          .secret(`spring.datasource.password=${pw('sp1')}`, F, 'spring-datasource'),
    ],
    // ---- passwords in code and commands
    [
      'cmd/server/db.go',
      (f) =>
        f
          .add('package main\n\nimport "database/sql"\n\nfunc open() (*sql.DB, error) {')
          .secret(
            `\treturn sql.Open("mysql", "app:${pw('go1')}@tcp(db.internal:3306)/shop?parseTime=true")`,
            P,
            'go-dsn',
          )
          .add('}'),
    ],
    [
      'src/main/java/com/corp/Db.java',
      (f) =>
        f
          .add(
            'package com.corp;\nimport java.sql.*;\npublic class Db {\n  static Connection open() throws SQLException {',
          )
          .secret(
            `    return DriverManager.getConnection("jdbc:mysql://db:3306/shop", "app", "${pw('jv1')}");`,
            P,
            'java-getconnection',
          )
          .add('  }\n}'),
    ],
    [
      'Mailer/SmtpSender.cs',
      (f) =>
        f
          .add(
            'using System.Net;\nusing System.Net.Mail;\nclass SmtpSender {\n  void Send() {\n    var client = new SmtpClient("smtp.corp.test", 587);',
          )
          .secret(
            `    client.Credentials = new NetworkCredential("mailer@corp.test", "${pw('cs1')}");`,
            P,
            'cs-networkcredential',
          )
          .add('  }\n}'),
    ],
    [
      'scripts/sync_jira.py',
      (f) =>
        f
          .add('import requests\n\nJIRA = "https://jira.corp.test"\n\ndef issues():')
          .secret(
            `    r = requests.get(f"{JIRA}/rest/api/2/search", auth=("svc-sync", "${pw('py1')}"))`,
            P,
            'python-auth-tuple',
          )
          .add('    return r.json()'),
    ],
    [
      'home/user/.bash_history',
      (f) =>
        f
          .add('ls -la\ncd /srv/app\ngit pull\nsudo systemctl restart app')
          .secret(`mysql -u root -p${pw('sh1')} shop < dump.sql`, P, 'history-mysql')
          .add('htop')
          .secret(`PGPASSWORD=${pw('sh2')} psql -h db.internal -U app billing`, P, 'history-pgpassword')
          .secret(`curl -u admin:${pw('sh3')} https://jenkins.corp.test/api/json`, P, 'history-curl')
          .add('exit'),
    ],
    [
      'home/user/.zsh_history',
      (f) =>
        f
          .add(': 1712000000:0;kubectl get pods\n: 1712000010:0;docker ps')
          .secret(
            `: 1712000020:0;docker login -u ci -p ${pw('zh1')} registry.corp.test`,
            P,
            'history-docker-login',
          )
          .secret(`: 1712000030:0;sshpass -p '${pw('zh2')}' ssh root@10.0.0.5`, P, 'history-sshpass'),
    ],
    [
      'Dockerfile',
      (f) =>
        f
          .add('FROM node:20-alpine\nWORKDIR /app\nENV NODE_ENV production')
          .secret(`ENV DB_PASSWORD ${pw('df1')}`, P, 'dockerfile-env-space')
          .add('COPY . .\nRUN npm ci\nCMD ["node", "server.js"]'),
    ],
    [
      'helm/values-prod.yaml',
      (f) =>
        f
          .add('replicaCount: 3\ndatabase:\n  host: pg.internal\n  user: app')
          .secret(`  password: >-\n    ${pw('hv1')}`, P, 'yaml-folded-password')
          .add('ingress:\n  enabled: true'),
    ],
    [
      'config/escaped.json',
      (f) =>
        f
          .add('{\n  "name": "worker",')
          .secret(
            `  "settings": "{\\"db\\":{\\"user\\":\\"app\\",\\"password\\":\\"${pw('js1')}\\"}}"`,
            P,
            'json-escaped-password',
          )
          .add('}'),
    ],
    [
      'keys/signing.jwk.json',
      (f) =>
        f
          .add('{\n  "kty": "EC",\n  "crv": "P-256",')
          .add(`  "x": "${rnd('jw1', 43, `${B62}-_`)}",\n  "y": "${rnd('jw2', 43, `${B62}-_`)}",`)
          .secret(`  "d": "${rnd('jw3', 43, `${B62}-_`)}",`, P, 'jwk-private')
          .add('  "kid": "sig-2024-01"\n}'),
    ],
    [
      'src/db.js',
      (f) =>
        f
          .add("import pg from 'pg';\n")
          .secret(
            `const pool = new pg.Pool({ connectionString: 'postgres://app:${pw('nd1')}@db.internal:5432/app' });`,
            P,
            'node-dsn',
          )
          .add('export default pool;'),
    ],
    [
      'app/config/database.yml',
      (f) =>
        f
          .add('production:\n  adapter: postgresql\n  database: app_production\n  username: app')
          .secret(`  password: ${pw('ry1')}`, P, 'rails-database-yml'),
    ],
    // ---- Hush's own secrets
    [
      'ci/deploy.env',
      (f) =>
        f
          .add('HUSH_ADDR=https://hush.corp.test:8200')
          .secret(`HUSH_TOKEN=${hushToken('s', 'ht1')}`, U, 'hush-token'),
    ],
    [
      'notes/unseal.txt',
      (f) =>
        f
          .add('Unseal shares handed out 2024-05-01 (one per officer):')
          .secret(`officer-1: ${share('us1')}`, U, 'unseal-share')
          .secret(`officer-2: ${share('us2')}`, U, 'unseal-share'),
    ],
    [
      'ci/.gitlab-ci.yml',
      (f) =>
        f
          .add(
            'deploy:\n  script:\n    - hush login --method approle --role-id "$HUSH_ROLE_ID" --secret-id "$HUSH_SECRET_ID"',
          )
          .add('  variables:\n    HUSH_ROLE_ID: 3b0c9c2e-1f7a-4c5e-8a0b-6f2d9e1c7a44')
          .secret(`    HUSH_SECRET_ID: ${rnd('ar1', 40)}`, U, 'approle-secret-id'),
    ],
    [
      'partners/keys.yaml',
      (f) =>
        f
          .add('partners:\n  - name: acme')
          .secret(`    key: ${apiKey('acme', 'pk1')}`, U, 'generated-api-key')
          .add('  - name: globex')
          .secret(`    key: "${apiKey('globex-prod', 'pk2')}"`, U, 'generated-api-key'),
    ],
    // ---- second batch: formats beyond the obvious ones
    [
      'bsd/etc/master.passwd',
      (f) =>
        f
          .add('root:*:0:0::0:0:Charlie &:/root:/bin/sh\ntoor:*:0:0::0:0:Bourne-again Superuser:/root:')
          .secret(
            'admin:$2b$05$Gq0y1RLpUAbP/vPKCfAPW.e8krCdKMmbOBlthbJkhEVO1NQAH1hdy:1001:1001::0:0:Admin:/home/admin:/bin/sh',
            H,
            'master-passwd-bcrypt',
          ),
    ],
    [
      'old-server/shadow.bak',
      (f) =>
        f.secret(
          'web:$5$r0unds5alt$hxABl4R6cl5tHy1h5iNZidIDJpJ4mguUnOsvZ9PmjE2:19000:0:99999:7:::',
          H,
          'shadow-sha256',
        ),
    ],
    [
      'dumps/wordpress.sql',
      (f) =>
        f
          .add('-- Dumping data for table `wp_users`\n--\n\nLOCK TABLES `wp_users` WRITE;')
          .secret(
            `INSERT INTO \`wp_users\` VALUES (1,'admin','$P$B${rnd('php1', 30, `${B62}./`)}','admin','admin@blog.test','','2023-01-01 00:00:00','',0,'admin');`,
            H,
            'phpass',
          )
          .add('UNLOCK TABLES;'),
    ],
    [
      'dumps/mysql-users.sql',
      (f) =>
        f
          .add('-- Dumping data for table `user`\nLOCK TABLES `user` WRITE;')
          .secret(
            `INSERT INTO \`user\` VALUES ('%','app','Y','N','mysql_native_password','*${rnd('myn', 40, HEX).toUpperCase()}','N');`,
            H,
            'mysql-native-password',
          ),
    ],
    [
      'dumps/django-argon.sql',
      (f) =>
        f
          .add('COPY public.auth_user (id, password, username) FROM stdin;')
          .secret(
            `3\targon2$argon2id$v=19$m=102400,t=2,p=8$${rnd('da1', 22, B62)}$${rnd('da2', 22, B62)}\tjane`,
            H,
            'django-argon2',
          )
          .secret(`4\tbcrypt_sha256$$2b$12$${rnd('db1', 53, `${B62}./`)}\tjoe`, H, 'django-bcrypt-sha256')
          .add('\\.'),
    ],
    [
      'home/user/.kube/config-prod',
      (f) =>
        f
          .add('apiVersion: v1\nkind: Config\nusers:\n- name: admin@prod\n  user:')
          .add(
            `    client-certificate-data: ${Buffer.from('-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n').toString('base64')}`,
          )
          .secret(
            `    client-key-data: ${Buffer.from(`-----BEGIN EC PRIVATE KEY-----\n${rnd('ck1', 64, B64)}\n${rnd('ck2', 56, B64)}\n-----END EC PRIVATE KEY-----\n`).toString('base64')}`,
            C,
            'kubeconfig-client-key',
          ),
    ],
    [
      'home/user/.kube/config-oidc',
      (f) =>
        f
          .add(
            'apiVersion: v1\nkind: Config\nusers:\n- name: oidc\n  user:\n    auth-provider:\n      name: oidc\n      config:\n        client-id: kubernetes\n        idp-issuer-url: https://sso.corp.test',
          )
          .secret(`        client-secret: ${rnd('ko1', 32)}`, C, 'kubeconfig-oidc-secret')
          .secret(`        refresh-token: ${rnd('ko2', 48)}`, C, 'kubeconfig-oidc-refresh'),
    ],
    [
      'infra/modules.tfstate',
      (f) =>
        f
          .add(
            '{\n  "version": 4,\n  "resources": [\n    {\n      "type": "tls_private_key",\n      "name": "deploy",\n      "instances": [\n        {\n          "attributes": {\n            "algorithm": "ED25519",',
          )
          .secret(
            `            "private_key_openssh": "-----BEGIN OPENSSH PRIVATE KEY-----\\n${rnd('tk1', 70, B64)}\\n${rnd('tk2', 70, B64)}\\n-----END OPENSSH PRIVATE KEY-----\\n",`,
            C,
            'tfstate-private-key',
          )
          .add(
            '            "public_key_openssh": "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI' +
              rnd('tk3', 43, B64) +
              '\\n"\n          }\n        }\n      ]\n    },\n    {\n      "type": "azurerm_mssql_server",\n      "instances": [\n        {\n          "attributes": {\n            "administrator_login": "sqladmin",',
          )
          .secret(
            `            "administrator_login_password": "${rnd('tk4', 20)}!",`,
            C,
            'tfstate-admin-password',
          )
          .add('            "version": "12.0"\n          }\n        }\n      ]\n    }\n  ]\n}'),
    ],
    [
      'home/user/.terraformrc',
      (f) =>
        f.secret(
          `credentials "app.terraform.io" {\n  token = "${rnd('trc1', 14)}.atlasv1.${rnd('trc2', 67)}"\n}`,
          C,
          'terraformrc-token',
        ),
    ],
    [
      'home/user/.gem/credentials',
      (f) => f.add('---').secret(`:rubygems_api_key: rubygems_${rnd('gem1', 48, HEX)}`, C, 'gem-credentials'),
    ],
    [
      'home/user/.cargo/credentials.toml',
      (f) => f.add('[registry]').secret(`token = "cio${rnd('cargo1', 32)}"`, C, 'cargo-credentials'),
    ],
    ['home/user/.vault-token', (f) => f.secret(`hvs.${rnd('vt1', 24)}`, C, 'vault-token-file')],
    [
      'home/user/.config/gh/hosts.yml',
      (f) =>
        f
          .add('github.com:\n    user: jdoe\n    git_protocol: ssh')
          .secret(`    oauth_token: gho_${rnd('gh1', 36)}`, C, 'gh-hosts'),
    ],
    [
      'appsettings.Production.json',
      (f) =>
        f
          .add('{\n  "Logging": { "LogLevel": { "Default": "Warning" } },\n  "ConnectionStrings": {')
          .secret(
            `    "Default": "Server=sql.corp.test;Database=Shop;User Id=sa;Password=${pw('asj1')};TrustServerCertificate=True"`,
            F,
            'appsettings-connection-string',
          )
          .add('  }\n}'),
    ],
    [
      'config/secrets.yml',
      (f) =>
        f
          .add('production:')
          .secret(`  secret_key_base: ${rnd('skb1', 128, HEX)}`, F, 'rails-secret-key-base'),
    ],
    [
      'src/main/resources/application.yml',
      (f) =>
        f
          .add('spring:\n  datasource:\n    url: jdbc:postgresql://db:5432/app\n    username: app')
          .secret(`    password: ${pw('spy1')}`, F, 'spring-yaml-password')
          .add('  jpa:\n    open-in-view: false'),
    ],
    [
      'etl/load.py',
      (f) =>
        f
          .add('import psycopg2\n\ndef conn():')
          .secret(
            `    return psycopg2.connect(host="db.internal", dbname="dw", user="etl", password="${pw('pyc1')}")`,
            P,
            'psycopg2-connect',
          ),
    ],
    [
      'server/db.js',
      (f) =>
        f
          .add(
            "const mysql = require('mysql2');\nconst conn = mysql.createConnection({\n  host: 'db.internal',\n  user: 'app',",
          )
          .secret(`  password: '${pw('mjs1')}',`, P, 'node-mysql-password')
          .add("  database: 'shop'\n});"),
    ],
    [
      'lib/Db.php',
      (f) =>
        f
          .add('<?php\n$dsn = "mysql:host=db;dbname=shop";')
          .secret(`$pdo = new PDO($dsn, 'shop', '${pw('pdo1')}');`, P, 'php-pdo'),
    ],
    [
      'home/admin/.bash_history',
      (f) =>
        f
          .add('cd /var/log\ntail -f syslog')
          .secret(`redis-cli -h cache.internal -a ${pw('rh1')} ping`, P, 'history-redis')
          .secret(`mysqladmin -uroot -p${pw('rh2')} status`, P, 'history-mysqladmin')
          .secret(`export MYSQL_PWD='${pw('rh3')}'`, P, 'history-mysql-pwd')
          .secret(
            `mongosh "mongodb+srv://admin:${pw('rh4')}@cluster0.ab1cd.mongodb.net/app"`,
            P,
            'history-mongo',
          )
          .add('ls'),
    ],
    [
      'build/Dockerfile.worker',
      (f) =>
        f
          .add('FROM python:3.12-slim\nENV PATH /opt/venv/bin:$PATH')
          .secret(`ARG PIP_INDEX_PASSWORD=${pw('dfa1')}`, P, 'dockerfile-arg')
          .add('RUN pip install -r requirements.txt'),
    ],
    [
      'keys/rsa.jwk',
      (f) =>
        f
          .add(`{"kty":"RSA","kid":"k1","e":"AQAB","n":"${rnd('rj1', 342, `${B62}-_`)}",`)
          .secret(
            `"d":"${rnd('rj2', 342, `${B62}-_`)}","p":"${rnd('rj3', 171, `${B62}-_`)}","q":"${rnd('rj4', 171, `${B62}-_`)}"}`,
            P,
            'jwk-rsa-private',
          ),
    ],
    [
      'deploy/hush.json',
      (f) =>
        f
          .add('{\n  "addr": "https://hush.corp.test",')
          .secret(`  "batch_token": "${hushToken('b', 'hj1')}"`, U, 'hush-token-json')
          .add('}'),
    ],
    [
      'ops/unseal.yaml',
      (f) =>
        f
          .add('shares:')
          .secret(`  - ${share('uy1')}`, U, 'unseal-share-yaml')
          .secret(`  - ${share('uy2')}`, U, 'unseal-share-yaml'),
    ],
    [
      'scripts/renew.sh',
      (f) =>
        f
          .add('#!/bin/sh\nset -eu')
          .secret(
            `curl -H "X-Hush-Token: ${hushToken('b', 'ht2')}" https://hush.corp.test/v1/secrets/app`,
            U,
            'hush-token',
          )
          .secret(`export HUSH_REFRESH=${hushToken('r', 'ht3')}`, U, 'hush-token'),
    ],
  ];
}

/** Hard negatives: files that must raise nothing (no labels). */
function negatives({ checksumSuffix }) {
  const badHush = (() => {
    const covered = `hush_s_${rnd('bad1', 43)}`;
    const sum = checksumSuffix(covered);
    return `${covered}${sum.slice(0, -1)}${sum.endsWith('A') ? 'B' : 'A'}`;
  })();
  return [
    [
      'docs/setup.md',
      '# Setup\n\nCopy `.env.example` to `.env` and fill in:\n\n```\nDB_PASSWORD=<your-db-password>\nAPP_KEY=\nSECRET_KEY=change-me\n```\n\nThen run `mysql -u root -p` and type your password when asked.\n',
    ],
    [
      '.env.example',
      'APP_KEY=\nDB_HOST=mysql-primary\nDB_USERNAME=\nDB_PASSWORD=\nAWS_SECRET_ACCESS_KEY=\nAWS_REGION=eu-west-1\n',
    ],
    [
      '.env',
      'AWS_ACCESS_KEY_ID=\nAWS_SECRET_ACCESS_KEY=\nAWS_DEFAULT_REGION=us-east-1\nDB_HOST=mysql-replica-2.internal\nDB_PORT=3306\n',
    ],
    [
      'k8s/app.yaml',
      'env:\n- name: DB_PASSWORD\n  valueFrom:\n    secretKeyRef:\n      name: db\n      key: password\n- name: DB_HOST\n  value: mysql-0.mysql\n',
    ],
    [
      'config/app.yml',
      // biome-ignore lint/suspicious/noTemplateCurlyInString: a ${VAR} reference in YAML is the point of this negative.
      'database:\n  password: ${DB_PASSWORD}\n  user: ${DB_USER}\nredis:\n  password: "{{ .Values.redis.password }}"\n',
    ],
    [
      'settings.py',
      'import os\nSECRET_KEY = os.environ["DJANGO_SECRET_KEY"]\nDATABASES = {"default": {"PASSWORD": os.getenv("DB_PASSWORD")}}\n',
    ],
    [
      'tests/test_auth.py',
      'def test_login(client):\n    resp = client.post("/login", data={"username": "alice", "password": "hunter2"})\n    assert resp.status_code == 200\n\nFAKE_PASSWORD = "password123"\n',
    ],
    [
      'secrets.enc.yaml',
      `db:\n    password: ENC[AES256_GCM,data:${rnd('sp1', 24, B64)},iv:${rnd('sp2', 43, B64)}=,tag:${rnd('sp3', 22, B64)}==,type:str]\nsops:\n    kms: []\n    age:\n        - recipient: age1${rnd('sp4', 58, 'qpzry9x8gf2tvdw0s3jn54khce6mua7l')}\n          enc: |\n            -----BEGIN AGE ENCRYPTED FILE-----\n            ${rnd('sp5', 64, B64)}\n            -----END AGE ENCRYPTED FILE-----\n    lastmodified: "2024-05-01T10:00:00Z"\n    mac: ENC[AES256_GCM,data:${rnd('sp6', 88, B64)},iv:${rnd('sp7', 43, B64)}=,tag:${rnd('sp8', 22, B64)}==,type:str]\n    version: 3.8.1\n`,
    ],
    [
      'sealed/db-sealed.yaml',
      `apiVersion: bitnami.com/v1alpha1\nkind: SealedSecret\nmetadata:\n  name: db\nspec:\n  encryptedData:\n    password: Ag${rnd('ss1', 300, B64)}==\n`,
    ],
    [
      'group_vars/all/vault.yml',
      `$ANSIBLE_VAULT;1.1;AES256\n${rnd('av1', 80, HEX)}\n${rnd('av2', 80, HEX)}\n${rnd('av3', 40, HEX)}\n`,
    ],
    [
      'backup/etc/shadow.locked',
      'root:*:19700:0:99999:7:::\nguest:!!:19700::::::\nsvc:!$6$locked$:19700::::::\nsshd:*:19700::::::\n',
    ],
    [
      'src/sentry.js',
      "Sentry.init({ dsn: 'https://0123456789abcdef0123456789abcdef@o123456.ingest.sentry.io/4505' });\n",
    ],
    [
      'web/map.js',
      `mapboxgl.accessToken = 'pk.eyJ1IjoiY29ycCIsImEiOiJ${rnd('mb1', 20, `${B62}-_`)}.${rnd('mb2', 22, `${B62}-_`)}';\n`,
    ],
    ['web/checkout.js', `const stripe = Stripe('pk_live_${rnd('st1', 24)}');\n`],
    [
      'docs/aws.md',
      'aws_access_key_id = AKIAIOSFODNN7EXAMPLE\naws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\n',
    ],
    [
      'dev/azurite.env',
      'AZURE_STORAGE_CONNECTION_STRING=DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;BlobEndpoint=http://127.0.0.1:10000/devstoreaccount1;\n',
    ],
    [
      'test/vectors.txt',
      '# RFC 6070 PBKDF2-HMAC-SHA1 vectors\nP = "password"\nS = "salt"\nc = 1\nDK = 0c60c80f961f0e71f3a9b524af6012062fe037a6\nsha256("abc") = ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad\n',
    ],
    [
      'src/config.ts',
      'export const config = {\n  dbPassword: process.env.DB_PASSWORD,\n  apiKey: process.env.API_KEY ?? "",\n};\n',
    ],
    [
      'README.md',
      '## Env vars\n\n| Name | Meaning |\n|---|---|\n| `DB_PASSWORD` | database password |\n| `HUSH_TOKEN` | a `hush_s_...` token |\n',
    ],
    [
      'scripts/backup.sh',
      '#!/bin/sh\nmysqldump -u backup -p"$MYSQL_PASSWORD" shop > /backup/shop.sql\nDB_HOST=mysql-primary ./restore.sh\n',
    ],
    ['ci/broken-token.env', `HUSH_TOKEN=${badHush}\n`],
    [
      'src/schema.ts',
      'const users_table_primary_key_constraint_name_here = "users_pkey";\nconst some_really_long_snake_case_identifier_name_x = 1;\n',
    ],
    [
      'package.json',
      '{\n  "name": "app",\n  "scripts": { "test": "vitest" },\n  "dependencies": { "pg": "^8.11.0" }\n}\n',
    ],
    [
      'docs/wp.md',
      "In `wp-config.php` set:\n\n```php\ndefine( 'AUTH_KEY', 'put your unique phrase here' );\ndefine( 'DB_PASSWORD', 'password_here' );\n```\n",
    ],
    ['config/master.key.example', 'replace-with-your-master-key\n'],
    [
      'etc/passwd',
      'root:x:0:0:root:/root:/bin/bash\ndaemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin\nwww-data:x:33:33:www-data:/var/www:/usr/sbin/nologin\n',
    ],
    [
      'infra/empty.tfstate',
      '{\n  "version": 4,\n  "resources": [{"type": "aws_db_instance", "instances": [{"attributes": {"password": null, "username": "app", "port": 5432}, "sensitive_attributes": [[{"type": "get_attr", "value": "password"}]]}]}]\n}\n',
    ],
    [
      'home/user/.kube/config-exec',
      'apiVersion: v1\nkind: Config\nusers:\n- name: eks\n  user:\n    exec:\n      apiVersion: client.authentication.k8s.io/v1beta1\n      command: aws\n      args: ["eks", "get-token", "--cluster-name", "prod"]\n',
    ],
    [
      'home/user/.netrc.template',
      'machine api.corp.test\n  login $NETRC_LOGIN\n  password $NETRC_PASSWORD\n',
    ],
    [
      'scripts/ops-history.txt',
      'mysql -u root -p shop\nredis-cli -a "$REDIS_PASSWORD" ping\nPGPASSWORD=$(cat /run/secrets/pg) psql -U app\nmysqladmin -uroot -p status\n',
    ],
    [
      'Dockerfile.build',
      'FROM node:20\nARG NPM_TOKEN\nARG DB_PASSWORD\nENV PATH /usr/local/bin:$PATH\nENV NODE_ENV production\n',
    ],
    [
      'mysite/settings_dev.py',
      'from django.core.management.utils import get_random_secret_key\nSECRET_KEY = get_random_secret_key()\n',
    ],
    [
      'dumps/nulls.sql',
      'COPY public.auth_user (id, password, username) FROM stdin;\n1\t\\N\tanon\n2\t!unusable\tlocked\n\\.\n',
    ],
    [
      '.env.testing',
      'APP_KEY=\nDB_CONNECTION=sqlite\nDB_DATABASE=:memory:\nREDIS_PASSWORD=null\nMAIL_PASSWORD=null\n',
    ],
    [
      'docs/htpasswd.md',
      'Create the file with `htpasswd -c .htpasswd alice` and it will look like `alice:<hash>`.\n',
    ],
    [
      'web/sentry.config.ts',
      "export default { dsn: process.env.SENTRY_DSN ?? 'https://abcdef0123456789abcdef0123456789@o1.ingest.us.sentry.io/123' };\n",
    ],
    [
      'web/twilio.ts',
      "const accountSid = 'AC0123456789abcdef0123456789abcdef';\nconst authToken = process.env.TWILIO_AUTH_TOKEN;\n",
    ],
    ['docs/kubeconfig.md', 'users:\n- name: admin\n  user:\n    token: <token>\n    password: <password>\n'],
  ];
}

/** Build the independent corpus: FileBuilder objects (labels from f.secret), paths prefixed `independent/`. */
export function independentFiles(deps) {
  const out = [];
  for (const [path, build] of positives(deps)) out.push(build(new FileBuilder(`independent/${path}`)));
  for (const [path, text] of negatives(deps))
    out.push(new FileBuilder(`independent/${path}`).add(text.replace(/\n$/, '')));
  return out;
}
