import { FileBuilder } from './file-builder.js';

/**
 * Generic credentials in many more syntaxes (PHP, Ruby, C#, Kotlin, Rust, INI, .netrc, .pgpass, kubeconfig,
 * systemd, docker run, Helm values). Written before tuning the rules against them, to keep the benchmark honest.
 */
export const SYNTAX_FILES = [
  (v, i) => {
    const pw = v.password();
    const key = v.b62(40);
    return new FileBuilder(`wordpress/${i}/wp-config.php`)
      .add("<?php\ndefine('DB_NAME', 'wordpress');\ndefine('DB_USER', 'wp');")
      .secret(`define('DB_PASSWORD', '${pw}');`, 'generic', 'php-define-password', pw)
      .secret(`define('AUTH_KEY', '${key}');`, 'generic', 'php-define-auth-key', key)
      .add("define('DB_HOST', 'localhost');\n$table_prefix = 'wp_';");
  },
  (v, i) => {
    const token = v.b62(32);
    return new FileBuilder(`rails/${i}/config/initializers/client.rb`)
      .add("Acme::Client.configure do |config|\n  config.region = 'eu'")
      .secret(`  config.api_token = "${token}"`, 'generic', 'ruby-config-token', token)
      .add('end\nSETTINGS = {')
      .secret(`  api_key: '${v.b62(36)}',`, 'generic', 'ruby-symbol-key', '')
      .add('}');
  },
  (v, i) => {
    const pw = v.password();
    return new FileBuilder(`dotnet/${i}/Program.cs`)
      .add('using System;\n\nclass Program {\n  static void Main() {')
      .secret(`    var password = @"${pw}";`, 'generic', 'csharp-verbatim', pw)
      .add('    Console.WriteLine("ok");\n  }\n}');
  },
  (v, i) => {
    const token = v.b62(40);
    return new FileBuilder(`android/${i}/Config.kt`)
      .add('package com.acme\n\nobject Config {')
      .secret(`    const val API_TOKEN: String = "${token}"`, 'generic', 'kotlin-const', token)
      .add('}');
  },
  (v, i) => {
    const key = v.b62(32);
    return new FileBuilder(`rust/${i}/src/main.rs`)
      .add('fn main() {')
      .secret(`    let api_key = "${key}";`, 'generic', 'rust-let', key)
      .add('    println!("{}", api_key.len());\n}');
  },
  (v, i) => {
    const pw = v.password();
    return new FileBuilder(`etc/${i}/app.ini`)
      .add('[server]\nport = 8080\n\n[database]\nuser = app')
      .secret(`password = ${pw}`, 'generic', 'ini-password', pw)
      .add('pool = 10');
  },
  (v, i) => {
    const pw = v.password();
    return new FileBuilder(`home/u${i}/.netrc`).secret(
      `machine api.acme.dev login deploy password ${pw}`,
      'generic',
      'netrc',
      pw,
    );
  },
  (v, i) => {
    const pw = v.password();
    return new FileBuilder(`home/u${i}/.pgpass`).secret(
      `db.acme.internal:5432:orders:app:${pw}`,
      'connection',
      'pgpass',
      pw,
    );
  },
  (v, i) => {
    const token = v.b62(30);
    const gh = v.github('p');
    return new FileBuilder(`home/u${i}/.git-credentials`)
      .secret(`https://deploy:${token}@git.acme.dev`, 'connection', 'git-credentials', token)
      .secret(`https://x-access-token:${gh}@github.com`, 'source', 'git-credentials-gh', gh);
  },
  (v, i) => {
    const token = v.jwt();
    const keyData = v.b64(v.pkcs8Pem());
    return new FileBuilder(`home/u${i}/.kube/config`)
      .add('apiVersion: v1\nkind: Config\nusers:\n  - name: ci\n    user:')
      .secret(`      token: ${token}`, 'jwt', 'kubeconfig-token', token)
      .add('  - name: admin\n    user:')
      .secret(
        `      client-key-data: ${keyData}`,
        'private-keys',
        'kubeconfig-client-key-data',
        keyData.slice(0, 40),
      );
  },
  (v, i) => {
    const token = v.b62(32);
    return new FileBuilder(`systemd/${i}/worker.service`)
      .add('[Unit]\nDescription=worker\n\n[Service]')
      .secret(`Environment="WORKER_API_TOKEN=${token}"`, 'generic', 'systemd-env', token)
      .add('ExecStart=/usr/bin/worker\n\n[Install]\nWantedBy=multi-user.target');
  },
  (v, i) => {
    const pw = v.password();
    return new FileBuilder(`scripts/${i}/run-db.sh`)
      .add('#!/bin/sh')
      .secret(
        `docker run -d -e POSTGRES_PASSWORD=${pw} -p 5432:5432 postgres:16`,
        'generic',
        'docker-run-env',
        pw,
      );
  },
  (v, i) => {
    const pw = v.password();
    return new FileBuilder(`charts/db-${i}/values.yaml`)
      .add('postgresql:\n  enabled: true\n  auth:\n    username: app')
      .secret(`    password: ${pw}`, 'generic', 'helm-values', pw)
      .add('    database: app');
  },
  (v, i) => {
    const secret = v.b62(48);
    return new FileBuilder(`py/${i}/settings.py`)
      .add('DEBUG = False')
      .secret(
        `CONFIG = {"client_secret": "${secret}", "client_id": "acme"}`,
        'generic',
        'python-dict',
        secret,
      );
  },
  (v, i) => {
    const pw = v.password();
    return new FileBuilder(`gradle/${i}/gradle.properties`)
      .add('org.gradle.jvmargs=-Xmx2g')
      .secret(`signing.password=${pw}`, 'generic', 'gradle-properties', pw)
      .secret(`ossrhPassword=${v.password()}`, 'generic', 'gradle-ossrh', '');
  },
];
