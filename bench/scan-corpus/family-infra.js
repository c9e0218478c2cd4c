import { FileBuilder } from './file-builder.js';

const C = 'credential-files';

function pemKey(f) {
  const body = `MIIEvQIBADANBgkqhkiG9w0BAQEFAASC${f.b64(1560)}`.match(/.{1,64}/g).join('\n');
  return `-----BEGIN PRIVATE KEY-----\n${body}\n-----END PRIVATE KEY-----\n`;
}

/** Infrastructure credential files: kubeconfig, Terraform state, Ansible inventories and other dotfiles. */
export const INFRA_FILES = [
  (f, i) => {
    const keyData = Buffer.from(pemKey(f)).toString('base64');
    const cert = Buffer.from(
      `-----BEGIN CERTIFICATE-----\nMIIC${f.b64(600)}\n-----END CERTIFICATE-----\n`,
    ).toString('base64');
    return new FileBuilder(`home/ops${i}/.kube/config`)
      .add(
        `apiVersion: v1\nclusters:\n- cluster:\n    certificate-authority-data: ${cert}\n    server: https://k8s${i}.example.net:6443\n  name: prod`,
      )
      .add(
        'contexts:\n- context:\n    cluster: prod\n    user: admin\n  name: prod\ncurrent-context: prod\nkind: Config\nusers:\n- name: admin\n  user:',
      )
      .add(`    client-certificate-data: ${cert}`)
      .secret(`    client-key-data: ${keyData}`, C, 'kubeconfig-key', keyData.slice(0, 40));
  },
  (f, i) => {
    const tok = `${f.b62(6).toLowerCase()}.${f.b62(16).toLowerCase()}`;
    const pw = f.password();
    return new FileBuilder(`ops/${i}/kubeconfig-ci.yaml`)
      .add(
        `apiVersion: v1\nkind: Config\nclusters:\n- name: ci\n  cluster:\n    server: https://10.0.${i}.10:6443\n    insecure-skip-tls-verify: true\nusers:\n- name: ci-bot\n  user:`,
      )
      .secret(`    token: ${tok}`, C, 'kubeconfig-token', tok)
      .add('- name: legacy\n  user:\n    username: admin')
      .secret(`    password: ${pw}`, C, 'kubeconfig-password', pw);
  },
  (f, i) => {
    const dbpw = f.password();
    const iamSecret = f.b64(40);
    const smtp = `B${f.b64(43)}`;
    const rnd = f.password();
    const sa = f.b64(86);
    const ghs = f.password();
    const b = new FileBuilder(`infra/${i}/terraform.tfstate`)
      .add(
        `{\n  "version": 4,\n  "terraform_version": "1.7.5",\n  "serial": ${i + 12},\n  "lineage": "${f.hex(8)}-${f.hex(4)}-${f.hex(4)}-${f.hex(4)}-${f.hex(12)}",\n  "outputs": {},\n  "resources": [`,
      )
      .add(
        '    {\n      "mode": "managed",\n      "type": "aws_db_instance",\n      "name": "main",\n      "instances": [\n        {\n          "attributes": {',
      )
      .add(
        `            "address": "main${i}.cabc123.eu-west-1.rds.amazonaws.com",\n            "arn": "arn:aws:rds:eu-west-1:123456789012:db:main${i}",`,
      )
      .secret(`            "password": "${dbpw}",`, C, 'tfstate-db-password', dbpw)
      .add(
        '            "username": "app"\n          },\n          "sensitive_attributes": [[{"type": "get_attr", "value": "password"}]]\n        }\n      ]\n    },',
      )
      .add(
        '    {\n      "mode": "managed",\n      "type": "aws_iam_access_key",\n      "name": "ci",\n      "instances": [\n        {\n          "attributes": {',
      )
      .secret(`            "id": "${f.awsKeyId()}",`, 'cloud', 'tfstate-key-id', 'AKIA')
      .secret(`            "secret": "${iamSecret}",`, C, 'tfstate-iam-secret', iamSecret)
      .secret(`            "ses_smtp_password_v4": "${smtp}",`, C, 'tfstate-ses', smtp)
      .add(
        '            "status": "Active",\n            "user": "ci"\n          }\n        }\n      ]\n    },',
      )
      .add(
        '    {\n      "mode": "managed",\n      "type": "random_password",\n      "name": "admin",\n      "instances": [\n        {\n          "attributes": {',
      )
      .add('            "id": "none",\n            "length": 24,')
      .secret(`            "result": "${rnd}",`, C, 'tfstate-random-password', rnd)
      .add('            "special": true\n          }\n        }\n      ]\n    },')
      .add(
        '    {\n      "mode": "managed",\n      "type": "azurerm_storage_account",\n      "name": "logs",\n      "instances": [\n        {\n          "attributes": {',
      )
      .secret(`            "primary_access_key": "${sa}==",`, C, 'tfstate-azure-key', sa)
      .add(
        `            "primary_blob_endpoint": "https://logs${i}.blob.core.windows.net/"\n          }\n        }\n      ]\n    },`,
      )
      .add(
        '    {\n      "mode": "managed",\n      "type": "github_actions_secret",\n      "name": "deploy",\n      "instances": [\n        {\n          "attributes": {',
      )
      .add('            "encrypted_value": "",')
      .secret(`            "plaintext_value": "${ghs}",`, C, 'tfstate-plaintext-value', ghs)
      .add('            "secret_name": "DEPLOY_KEY"\n          }\n        }\n      ]\n    }\n  ]\n}');
    return b;
  },
  (f, i) => {
    const a = f.password();
    const b = f.password();
    return new FileBuilder(`ansible/${i}/inventories/prod/hosts.ini`)
      .add('[web]')
      .secret(
        `web1.example.net ansible_host=10.0.${i}.11 ansible_user=deploy ansible_password=${a}`,
        C,
        'ansible-ini',
        a,
      )
      .add(`web2.example.net ansible_host=10.0.${i}.12 ansible_user=deploy\n\n[db:vars]\nansible_user=admin`)
      .secret(`ansible_become_pass=${b}`, C, 'ansible-become', b);
  },
  (f, i) => {
    const a = f.password();
    return new FileBuilder(`ansible/${i}/group_vars/windows.yml`)
      .add(
        'ansible_user: Administrator\nansible_connection: winrm\nansible_winrm_transport: ntlm\nansible_port: 5986',
      )
      .secret(`ansible_password: ${a}`, C, 'ansible-yaml', a)
      .add('ansible_winrm_server_cert_validation: ignore');
  },
  (f, i) => {
    const tok = f.github('o');
    return new FileBuilder(`home/ops${i}/.config/gh/hosts.yml`)
      .add('github.com:\n    git_protocol: ssh\n    users:\n        octo:')
      .secret(`            oauth_token: ${tok}`, C, 'gh-hosts', tok)
      .add('    user: octo');
  },
  (f, i) => {
    const pw = f.password();
    return new FileBuilder(`home/ops${i}/.smbcredentials`)
      .add('username=backup')
      .secret(`password=${pw}`, C, 'smbcredentials', pw)
      .add('domain=CORP');
  },
  (f, i) => {
    const pw = f.b62(32);
    const m = f.b62(32);
    return new FileBuilder(`etc/redis${i}/redis.conf`)
      .add('bind 127.0.0.1 -::1\nprotected-mode yes\nport 6379\ntcp-backlog 511\ntimeout 0')
      .secret(`requirepass ${pw}`, C, 'redis-requirepass', pw)
      .secret(`masterauth ${m}`, C, 'redis-masterauth', m)
      .add('maxmemory-policy allkeys-lru\nappendonly yes');
  },
  (f, i) => {
    const auth = Buffer.from(`ci-bot:${f.password()}`).toString('base64');
    return new FileBuilder(`home/ops${i}/.docker/config.json`)
      .add('{\n\t"auths": {\n\t\t"registry.example.com": {')
      .secret(`\t\t\t"auth": "${auth}"`, C, 'docker-config', auth)
      .add('\t\t}\n\t},\n\t"credsStore": ""\n}');
  },
  (f, i) => {
    const pw = f.password();
    return new FileBuilder(`home/ops${i}/.config/lftp/bookmarks`)
      .add(`mirror ftp://anonymous@ftp.debian.org/debian/`)
      .secret(
        `prod sftp://deploy:${encodeURIComponent(pw)}@files${i}.example.net/srv`,
        C,
        'lftp-bookmark',
        encodeURIComponent(pw),
      );
  },
];
