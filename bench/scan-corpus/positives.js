import { FileBuilder } from './file-builder.js';

function sshString(value) {
  const bytes = Buffer.from(value, 'latin1');
  const len = Buffer.alloc(4);
  len.writeUInt32BE(bytes.length);
  return Buffer.concat([len, bytes]);
}

/** An openssh-key-v1 block with the given cipher (random bytes stand in for the key). */
export function opensshKey(v, cipher) {
  const kdf = cipher === 'none' ? 'none' : 'bcrypt';
  const one = Buffer.alloc(4);
  one.writeUInt32BE(1);
  const random = Buffer.from(v.b62(160), 'latin1');
  const payload = Buffer.concat([
    Buffer.from('openssh-key-v1\0', 'latin1'),
    sshString(cipher),
    sshString(kdf),
    sshString(kdf === 'none' ? '' : v.b62(20)),
    one,
    sshString(`ssh-ed25519${v.b62(32)}`),
    random,
  ]).toString('base64');
  return `-----BEGIN OPENSSH PRIVATE KEY-----\n${payload.match(/.{1,70}/g).join('\n')}\n-----END OPENSSH PRIVATE KEY-----`;
}

/** Realistic files with planted credentials; each returns a FileBuilder whose labels mark the planted lines. */
export const POSITIVE_FILES = [
  (v, i) => {
    const id = v.awsKeyId();
    const f = new FileBuilder(`home/user${i}/.aws/credentials`).add('[default]');
    f.secret(`aws_access_key_id = ${id}`, 'cloud', 'aws-key-id', id);
    const sk = v.awsSecret();
    return f.secret(`aws_secret_access_key = ${sk}`, 'cloud', 'aws-secret', sk).add('region = eu-west-1');
  },
  (v, i) => {
    const id = v.awsKeyId();
    const sk = v.awsSecret();
    return new FileBuilder(`infra/${i}/provider.tf`)
      .add('terraform {\n  required_version = ">= 1.5"\n}\n\nprovider "aws" {\n  region     = "us-east-1"')
      .secret(`  access_key = "${id}"`, 'cloud', 'aws-key-id', id)
      .secret(`  secret_key = "${sk}"`, 'generic', 'aws-secret-tf', sk)
      .add(`}\n\nresource "aws_s3_bucket" "logs" {\n  bucket = "acme-logs-\${var.env}"\n}`);
  },
  (v, i) => {
    const key = v.gcpApiKey();
    return new FileBuilder(`web/app${i}/src/firebase.ts`)
      .add("import { initializeApp } from 'firebase/app';\n\nconst firebaseConfig = {")
      .secret(`  apiKey: "${key}",`, 'cloud', 'gcp-api-key', key)
      .add(
        '  authDomain: "acme-prod.firebaseapp.com",\n  projectId: "acme-prod",\n};\n\nexport const app = initializeApp(firebaseConfig);',
      );
  },
  (v, i) => {
    const pem = v.pkcs8Pem('\\n');
    return new FileBuilder(`deploy/sa-${i}.json`)
      .add(
        `{\n  "type": "service_account",\n  "project_id": "acme-${i}",\n  "private_key_id": "${v.hex(40)}",`,
      )
      .secret(`  "private_key": "${pem}",`, 'private-keys', 'gcp-sa-json', pem.slice(40, 80))
      .add(
        `  "client_email": "deployer@acme-${i}.iam.gserviceaccount.com",\n  "client_id": "1${v.hex(20).replace(/[a-f]/g, '7')}"\n}`,
      );
  },
  (v, i) => {
    const key = v.azureAccountKey();
    return new FileBuilder(`src/Api${i}/appsettings.Production.json`)
      .add('{\n  "Logging": { "LogLevel": { "Default": "Warning" } },\n  "ConnectionStrings": {')
      .secret(
        `    "Blob": "DefaultEndpointsProtocol=https;AccountName=acme${i};AccountKey=${key};EndpointSuffix=core.windows.net",`,
        'cloud',
        'azure-storage',
        key,
      )
      .add(
        '    "Sql": "Server=tcp:acme.database.windows.net;Authentication=Active Directory Default;"\n  }\n}',
      );
  },
  (v, i) => {
    const gh = v.github(['p', 'o', 's'][i % 3]);
    const fg = v.githubFineGrained();
    return new FileBuilder(`scripts/release-${i}.sh`)
      .add('#!/usr/bin/env bash\nset -euo pipefail\n')
      .secret(`export GITHUB_TOKEN=${gh}`, 'source', 'github-classic', gh)
      .add('gh release create "v$VERSION" dist/*.tgz --notes-file CHANGELOG.md')
      .secret(`GH_ENTERPRISE_TOKEN="${fg}"`, 'source', 'github-fine-grained', fg);
  },
  (v, i) => {
    const gl = v.gitlab();
    return new FileBuilder(`ci/gitlab-${i}/.gitlab-ci.yml`)
      .add('stages: [build, deploy]\n\ndeploy:\n  stage: deploy\n  variables:')
      .secret(`    GITLAB_API_TOKEN: "${gl}"`, 'source', 'gitlab-pat', gl)
      .add('  script:\n    - ./deploy.sh "$CI_COMMIT_SHA"');
  },
  (v, i) => {
    const token = v.npm();
    return new FileBuilder(`packages/lib${i}/.npmrc`)
      .add('registry=https://registry.npmjs.org/\nsave-exact=true')
      .secret(`//registry.npmjs.org/:_authToken=${token}`, 'registries', 'npm', token);
  },
  (v, i) => {
    const bot = v.slackBot();
    const hook = v.slackWebhook();
    return new FileBuilder(`services/notifier${i}/notify.py`)
      .add('import os\nfrom slack_sdk import WebClient\n')
      .secret(`client = WebClient(token="${bot}")`, 'chat', 'slack-bot', bot)
      .secret(`ALERTS_WEBHOOK = "${hook}"`, 'chat', 'slack-webhook', hook.slice(-24))
      .add('\n\ndef notify(text: str) -> None:\n    client.chat_postMessage(channel="#ops", text=text)');
  },
  (v, i) => {
    const tg = v.telegram();
    const dw = v.discordWebhook();
    return new FileBuilder(`cmd/bot${i}/main.go`)
      .add('package main\n\nimport (\n\t"log"\n\t"os"\n)\n')
      .secret(`const botToken = "${tg}"`, 'chat', 'telegram', tg)
      .secret(`var discordHook = "${dw}"`, 'chat', 'discord-webhook', dw.slice(-68))
      .add('\nfunc main() {\n\tif os.Getenv("DEBUG") != "" {\n\t\tlog.Println("debug on")\n\t}\n}');
  },
  (v, i) => {
    const sk = v.stripe(i % 2 ? 'sk_live_' : 'rk_live_');
    const wh = `whsec_${v.b62(32)}`;
    return new FileBuilder(`api/payments-${i}/stripe.js`)
      .add("'use strict';\n")
      .secret(`const stripe = require('stripe')('${sk}');`, 'payments', 'stripe-key', sk)
      .secret(`const endpointSecret = '${wh}';`, 'payments', 'stripe-webhook', wh)
      .add('module.exports = { stripe, endpointSecret };');
  },
  (v, i) => {
    const sg = v.sendgrid();
    const tw = v.twilioToken();
    return new FileBuilder(`config/${i}/.env.production`)
      .add(`NODE_ENV=production\nPORT=8080\nLOG_LEVEL=info\nTWILIO_ACCOUNT_ID_LABEL=ops`)
      .secret(`SENDGRID_API_KEY=${sg}`, 'messaging', 'sendgrid', sg)
      .secret(`TWILIO_AUTH_TOKEN=${tw}`, 'messaging', 'twilio-auth', tw)
      .add('FEATURE_FLAGS=checkout_v2,fast_refunds');
  },
  (v, i) => {
    const oa = v.openai();
    const an = v.anthropic();
    const hf = v.huggingface();
    return new FileBuilder(`ml/agent${i}/settings.py`)
      .add('from pathlib import Path\n\nBASE_DIR = Path(__file__).resolve().parent\nMODEL = "gpt-4o-mini"')
      .secret(`OPENAI_API_KEY = "${oa}"`, 'ai', 'openai', oa)
      .secret(`ANTHROPIC_API_KEY = "${an}"`, 'ai', 'anthropic', an)
      .secret(`HF_TOKEN = "${hf}"`, 'ai', 'huggingface', hf)
      .add('MAX_TOKENS = 4096\nTEMPERATURE = 0.2');
  },
  (v, i) => {
    const token = v.pypi();
    return new FileBuilder(`home/dev${i}/.pypirc`)
      .add('[distutils]\nindex-servers =\n    pypi\n\n[pypi]\nusername = __token__')
      .secret(`password = ${token}`, 'registries', 'pypi', token);
  },
  (v, i) => {
    const auth = v.b64(`ci-robot:${v.password()}`);
    return new FileBuilder(`home/ci${i}/.docker/config.json`)
      .add('{\n  "auths": {\n    "registry.acme.dev": {')
      .secret(`      "auth": "${auth}"`, 'registries', 'docker-auth', auth)
      .add('    }\n  },\n  "credsStore": ""\n}');
  },
  (v, i) => {
    const hush = v.hush();
    const vault = v.vault();
    return new FileBuilder(`ops/${i}/bootstrap.sh`)
      .add('#!/bin/sh\n# bootstrap the worker')
      .secret(`HUSH_TOKEN=${hush}`, 'infrastructure', 'hush', hush)
      .secret(`export VAULT_TOKEN="${vault}"`, 'infrastructure', 'vault', vault)
      .add('hush run --env prod -- ./worker');
  },
  (v, i) => {
    const tfc = v.terraform();
    return new FileBuilder(`home/u${i}/.terraformrc`)
      .add('credentials "app.terraform.io" {')
      .secret(`  token = "${tfc}"`, 'infrastructure', 'terraform-cloud', tfc)
      .add('}');
  },
  (v, i) => {
    const dd = v.datadog();
    const nr = v.newrelic();
    const pw = v.password();
    return new FileBuilder(`k8s/app-${i}/deployment.yaml`)
      .add(
        `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: app-${i}\nspec:\n  template:\n    spec:\n      containers:\n        - name: app\n          image: registry.acme.dev/app@sha256:${v.hex(64)}\n          env:\n            - name: DD_API_KEY`,
      )
      .secret(`              value: "${dd}"`, 'infrastructure', 'datadog-k8s-value', dd)
      .add(
        '            - name: DB_PASSWORD\n              valueFrom:\n                secretKeyRef:\n                  name: db\n                  key: password',
      )
      .add('            - name: NEW_RELIC_API_KEY')
      .secret(`              value: ${nr}`, 'infrastructure', 'newrelic', nr)
      .add(
        `            - name: REDIS_PASSWORD_FILE\n              value: /run/secrets/redis\n# admin password rotated: ${pw.length} chars`,
      );
  },
  (v, i) => {
    const pw = v.password();
    const apiKey = v.b62(32);
    return new FileBuilder(`k8s/secrets/app-${i}-secret.yaml`)
      .add(`apiVersion: v1\nkind: Secret\nmetadata:\n  name: app-${i}\ntype: Opaque\ndata:`)
      .secret(`  password: ${v.b64(pw)}`, 'generic', 'k8s-secret-data', v.b64(pw))
      .secret(`  api-key: ${v.b64(apiKey)}`, 'generic', 'k8s-secret-data', v.b64(apiKey))
      .add('stringData:\n  username: app');
  },
  (v, i) => {
    const shop = v.shopify();
    const gf = v.grafana();
    const dp = v.doppler();
    const ln = v.linear();
    const pm = v.postman();
    const ps = v.pscale();
    const doToken = v.digitalocean();
    return new FileBuilder(`tools/${i}/.env`)
      .add('# local tooling')
      .secret(`SHOPIFY_ADMIN_TOKEN=${shop}`, 'infrastructure', 'shopify', shop)
      .secret(`GRAFANA_SA_TOKEN=${gf}`, 'infrastructure', 'grafana', gf)
      .secret(`DOPPLER_TOKEN=${dp}`, 'infrastructure', 'doppler', dp)
      .secret(`LINEAR_API_KEY=${ln}`, 'infrastructure', 'linear', ln)
      .secret(`POSTMAN_API_KEY=${pm}`, 'infrastructure', 'postman', pm)
      .secret(`DATABASE_PASSWORD=${ps}`, 'infrastructure', 'planetscale', ps)
      .secret(`DIGITALOCEAN_ACCESS_TOKEN=${doToken}`, 'infrastructure', 'digitalocean', doToken)
      .add('EDITOR=vim');
  },
  (v, i) => {
    const pem = v.rsaPem();
    return new FileBuilder(`certs/${i}/server.key`).secret(
      pem,
      'private-keys',
      'rsa-pem',
      pem.split('\n')[2],
    );
  },
  (v, i) => {
    const key = opensshKey(v, 'none');
    return new FileBuilder(`home/u${i}/.ssh/id_ed25519`).secret(
      key,
      'private-keys',
      'openssh',
      key.split('\n')[1],
    );
  },
  (v, i) => {
    const token = v.jwt();
    return new FileBuilder(`logs/api-${i}.log`)
      .add(
        `2026-11-23T10:00:0${i % 10}Z INFO request_id=${v.uuid()} path=/v1/orders status=200 duration_ms=41`,
      )
      .secret(
        `2026-11-23T10:00:1${i % 10}Z DEBUG outbound headers={"Authorization": "Bearer ${token}"}`,
        'jwt',
        'jwt-in-log',
        token,
      )
      .add(`2026-11-23T10:00:2${i % 10}Z INFO commit=${v.hex(40)} trace_id=${v.hex(32)} build ok`);
  },
  (v, i) => {
    const pg = v.password();
    const mongo = v.password();
    return new FileBuilder(`compose/${i}/docker-compose.yml`)
      .add('services:\n  api:\n    image: acme/api:1.4.2\n    environment:')
      .secret(`      DATABASE_URL: postgresql://api:${pg}@db:5432/api`, 'connection', 'postgres', pg)
      .secret(
        `      MONGO_URL: "mongodb+srv://reporting:${mongo}@cluster0.x1y2z.mongodb.net/reports"`,
        'connection',
        'mongodb',
        mongo,
      )
      .add(
        '      REDIS_URL: redis://redis:6379/0\n  db:\n    image: postgres:16\n    environment:\n      POSTGRES_PASSWORD_FILE: /run/secrets/pg',
      );
  },
  (v, i) => {
    const pw = v.password();
    return new FileBuilder(`src/main/resources/application-${i}.properties`)
      .add('server.port=8080\nspring.jpa.hibernate.ddl-auto=validate')
      .secret(
        `spring.datasource.url=jdbc:postgresql://db.acme.internal:5432/ledger?user=ledger&password=${pw}`,
        'connection',
        'jdbc',
        pw,
      )
      .add('management.endpoints.web.exposure.include=health,info');
  },
  (v, i) => {
    const key = v.b62(40);
    const pw = v.password();
    return new FileBuilder(`src/main/java/com/acme/Client${i}.java`)
      .add(`package com.acme;\n\npublic final class Client${i} {`)
      .secret(`    private static final String API_KEY = "${key}";`, 'generic', 'java-api-key', key)
      .secret(`    private static final String DB_PASSWORD = "${pw}";`, 'generic', 'java-password', pw)
      .add('    private static final int TIMEOUT_MS = 3000;\n}');
  },
  (v, i) => {
    const pw = v.password();
    const secret = v.b62(40);
    return new FileBuilder(`config/app-${i}.yaml`)
      .add('server:\n  port: 8443\ndatabase:\n  host: db.internal\n  user: app')
      .secret(`  password: "${pw}"`, 'generic', 'yaml-password', pw)
      .add('oauth:\n  client_id: acme-portal')
      .secret(`  client_secret: ${secret}`, 'generic', 'yaml-client-secret', secret);
  },
  (v, i) => {
    const pw = v.password();
    return new FileBuilder(`maven/settings-${i}.xml`)
      .add('<settings>\n  <servers>\n    <server>\n      <id>nexus</id>\n      <username>deployer</username>')
      .secret(`      <password>${pw}</password>`, 'generic', 'xml-password', pw)
      .add('    </server>\n  </servers>\n</settings>');
  },
  (v, i) => {
    const token = v.dockerPat();
    const nuget = v.nuget();
    return new FileBuilder(`build/${i}/Dockerfile`)
      .add('FROM mcr.microsoft.com/dotnet/sdk:8.0 AS build\nWORKDIR /src\nCOPY . .')
      .secret(
        `RUN dotnet nuget push out/*.nupkg --api-key ${nuget} --source https://api.nuget.org/v3/index.json`,
        'registries',
        'nuget',
        nuget,
      )
      .secret(`RUN echo ${token} | docker login -u acme --password-stdin`, 'registries', 'dockerhub', token)
      .add(
        'FROM mcr.microsoft.com/dotnet/aspnet:8.0\nCOPY --from=build /src/out /app\nENTRYPOINT ["dotnet", "/app/Api.dll"]',
      );
  },
  (v, i) => {
    const sentry = v.sentry();
    const pw = v.password();
    return new FileBuilder(`docs/runbook-${i}.md`)
      .add('# Runbook\n\nTo rotate the Sentry token, create a new one in the UI, then update CI:\n\n```sh')
      .secret(`sentry-cli --auth-token ${sentry} releases list`, 'infrastructure', 'sentry', sentry)
      .add('```\n\nThe staging admin login (do not share):\n')
      .secret(`    curl -u admin:${pw} https://staging.acme.dev/admin/health`, 'generic', 'curl-password', pw)
      .add('\nSee also the [token guide](https://docs.acme.dev/tokens).');
  },
];
