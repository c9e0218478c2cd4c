import type { Rule } from '../rule.js';
import { patternRule, tokenRule } from '../shared/define-rule.js';
import { B62, fake, LOWER_ALNUM } from '../shared/fake-value.js';
import { isPlaceholderValue, isStandInSetting } from '../shared/value-checks.js';
import { CREDENTIAL_FILE_PATHS, isCredentialFile } from './credential-file-paths.js';

const pw = (seed: string) => `${fake(seed, 9, B62)}-${fake(`${seed}z`, 4, B62)}`;

/** WinSCP's obfuscation: every byte b is written as the hex of ~(b ^ 0xA3); the first byte is the 0xFF flag. */
function winscpHex(text: string): string {
  const enc = (b: number) => (~(b ^ 0xa3) & 0xff).toString(16).toUpperCase().padStart(2, '0');
  return [0xff, 0, text.length, 0, ...Buffer.from(text, 'latin1')].map(enc).join('');
}

/** JetBrains' webServers.xml obfuscation: every UTF-16 unit XOR 0xDFDF as four hex digits. */
function jetbrainsHex(text: string): string {
  return [...text].map((ch) => (ch.charCodeAt(0) ^ 0xdfdf).toString(16).padStart(4, '0')).join('');
}

/** True when a JetBrains-obfuscated value decodes to printable ASCII (random hex does not). */
function jetbrainsDecodes(hex: string): boolean {
  for (let i = 0; i < hex.length; i += 4) {
    const c = Number.parseInt(hex.slice(i, i + 4), 16) ^ 0xdfdf;
    if (c < 0x20 || c > 0x7e) return false;
  }
  return true;
}

/** Name parts that say the setting is about a credential rather than the credential (`password_file`, `token_ttl`). */
const ABOUT_A_CREDENTIAL =
  /(?:file|path|dir|command|cmd|cmnd|helper|url|uri|env|length|ttl|expir\w*|type|method|prompt|policy|id|required|enabled|hash|min|max|name|names|user|username|arn|region|version|alias)$/i;

/** Names of settings that hold a secret in tools' credential files. */
const SECRET_NAME =
  '[A-Za-z0-9_.-]{0,40}?(?:[Pp]ass(?:word|wd|phrase)?|PASS(?:WORD|WD|PHRASE)?|[Ss]ecret(?:_?[Kk]ey)?|SECRET(?:_?KEY)?|[Tt]oken|TOKEN)[A-Za-z0-9_.-]{0,20}';

export const credentialFileRules: readonly Rule[] = [
  patternRule({
    id: 'filezilla-password',
    title: 'FileZilla saved password (sitemanager.xml / recentservers.xml, base64 or plain)',
    keywords: ['<pass'],
    pattern: /<Pass(?:\s+encoding="base64")?\s*>(?<secret>[^<\s]{3,256})<\/Pass>/,
    validate: ({ secret }) => !isPlaceholderValue(secret),
    examples: [
      `<Server><Host>ftp.acme.dev</Host><User>web</User><Pass encoding="base64">${Buffer.from(pw('fz1')).toString('base64')}</Pass></Server>`,
      `<Pass>${pw('fz2')}</Pass>`,
    ],
    falsePositives: ['<Logontype>2</Logontype>\n<Pass encoding="base64"></Pass>', '<Passive>1</Passive>'],
  }),
  patternRule({
    id: 'winscp-password',
    title: 'WinSCP saved session password (WinSCP.ini, obfuscated, reversible)',
    keywords: ['password=a35c'],
    pattern: /(?:^|\n)(?:Proxy|Tunnel)?Password=(?<secret>A35C[0-9A-F]{16,})(?=\r?$|\r?\n)/,
    examples: [
      `[Sessions\\deploy@sftp.acme.dev]\nHostName=sftp.acme.dev\nPassword=${winscpHex(`deploysftp.acme.dev${pw('ws1')}`)}`,
    ],
    falsePositives: ['[Sessions\\deploy@sftp.acme.dev]\nPassword=', 'Password=A35C'],
  }),
  patternRule({
    id: 'rclone-obscured-password',
    title: 'rclone config password (`rclone obscure`: reversible by anyone)',
    keywords: ['pass = ', 'password = ', 'password2 = '],
    pattern: /(?:^|\n)(?:pass|password|password2)[ \t]=[ \t](?<secret>[A-Za-z0-9_-]{22,})(?=\r?$|\r?\n)/,
    // The obscured form is base64url of a 16-byte IV and the ciphertext: at least 17 bytes.
    validate: ({ secret }) => Buffer.from(secret, 'base64url').length >= 17 && !isPlaceholderValue(secret),
    examples: [`[nas]\ntype = sftp\nhost = nas.lan\nuser = backup\npass = ${fake('rc1', 32, `${B62}-_`)}`],
    falsePositives: ['[nas]\ntype = sftp\npass = \nkey_file = ~/.ssh/id_ed25519', 'pass = short'],
  }),
  patternRule({
    id: 'jetbrains-webserver-password',
    title: 'JetBrains IDE deployment password (.idea/webServers.xml, XOR-obfuscated)',
    keywords: ['<filetransfer'],
    pattern: /<fileTransfer\b[^>]{0,500}?\spassword="(?<secret>(?:[0-9a-f]{4}){3,64})"/,
    validate: ({ secret }) => jetbrainsDecodes(secret),
    examples: [
      `<fileTransfer host="staging.acme.dev" port="21" accessType="FTP" login="deploy" password="${jetbrainsHex(pw('jb1'))}" />`,
    ],
    falsePositives: [
      `<fileTransfer host="x" port="22" accessType="SFTP" password="${fake('jb2', 24, '0123456789abcdef')}" />`,
    ],
  }),
  patternRule({
    id: 'credential-file-password',
    fallback: true,
    title:
      'Password or secret in a tool credential file (.pypirc, .my.cnf, Maven/Gradle, SFTP configs, .env...)',
    keywords: ['pass', 'secret', 'token'],
    paths: CREDENTIAL_FILE_PATHS,
    pattern: new RegExp(
      `(?:<(?<tag>${SECRET_NAME})>(?<secret>[^<\\s]{3,200})</\\k<tag>>` +
        `|(?<![A-Za-z0-9_.-])(?<name>${SECRET_NAME})["']?[ \\t]{0,4}[=:][ \\t]{0,4}(?<q>["']?)(?<secret2>[^\\s"'<>]{3,200})\\k<q>(?=[\\s,;}]|$))`,
    ),
    validate: ({ secret, match, path }) => {
      if (!isCredentialFile(path) || isStandInSetting(secret)) return false;
      const name = /^<?([A-Za-z0-9_.-]+)/.exec(match)?.[1] ?? '';
      return !ABOUT_A_CREDENTIAL.test(name);
    },
    examplePath: 'home/amy/.m2/settings.xml',
    examples: [
      '<server>\n  <id>nexus</id>\n  <username>deploy</username>\n  <password>Harbor2291!</password>\n</server>',
      'signing.password=Maple7741#',
      '[client]\nuser=root\npassword="Cobalt5512?"',
    ],
    falsePositives: [
      `<password>\${env.NEXUS_PASSWORD}</password>`,
      'password_file = /run/secrets/nexus',
      'passwordCommand=pass show nexus',
      'password=',
      'token_ttl = 3600',
    ],
  }),
  patternRule({
    id: 'composer-auth-token',
    title: 'Composer auth.json token (github-oauth, gitlab-token, bearer)',
    keywords: ['"bearer"', '"github-oauth"', '"gitlab-token"', '"gitlab-oauth"', '"bitbucket-oauth"'],
    pattern:
      /"(?:github-oauth|gitlab-token|gitlab-oauth|bearer|bitbucket-oauth)"\s{0,20}:\s{0,20}\{\s{0,20}"[^"\s]{1,200}"\s{0,20}:\s{0,20}"(?<secret>[^"\s]{12,200})"/,
    validate: ({ secret }) => !isPlaceholderValue(secret),
    examples: [`{\n  "bearer": {\n    "packages.acme.dev": "${fake('ca1', 40)}"\n  }\n}`],
    falsePositives: ['{"bearer": {"packages.acme.dev": "%COMPOSER_TOKEN%"}}'],
  }),
  patternRule({
    id: 'ansible-password-variable',
    title: 'Ansible connection or become password in an inventory or vars file',
    keywords: ['ansible_'],
    pattern:
      /(?<![A-Za-z0-9_])ansible_(?:ssh_|become_|sudo_|su_|winrm_|httpapi_|net_)?(?:pass|password)[ \t]{0,4}[=:][ \t]{0,4}(?<q>["']?)(?<secret>[^\s"']{3,200})\k<q>/,
    validate: ({ secret }) => !isStandInSetting(secret),
    examples: [
      `web1 ansible_host=10.0.0.11 ansible_user=deploy ansible_password=${pw('an1')}`,
      `ansible_become_pass: "${pw('an2')}"`,
    ],
    falsePositives: [
      'ansible_password: "{{ vault_win_password }}"',
      'ansible_become_pass: !vault |',
      'ansible_password_file: /etc/ansible/pw',
    ],
  }),
  patternRule({
    id: 'redis-config-password',
    title: 'Redis password (requirepass / masterauth)',
    keywords: ['requirepass', 'masterauth'],
    pattern: /(?:^|\n|--)[ \t]*(?:requirepass|masterauth)[ \t]+(?<q>["']?)(?<secret>[^\s"']{4,200})\k<q>/,
    validate: ({ secret }) => !isStandInSetting(secret),
    examples: [`port 6379\nrequirepass ${pw('rd1')}`, `redis-server --requirepass ${pw('rd2')}`],
    falsePositives: ['# requirepass foobared', 'requirepass ""', 'requirepass $REDIS_PASSWORD'],
  }),
  tokenRule({
    id: 'kubernetes-bootstrap-token',
    title: 'Kubernetes bootstrap token (kubeadm join --token, kubeconfig token)',
    keywords: ['token'],
    token: '[a-z0-9]{6}\\.[a-z0-9]{16}',
    // `token` is on most lines of code: tried only at dots, the pattern no longer costs a regex step per character.
    anchor: { literal: '.', offset: 6 },
    boundary: 'A-Za-z0-9_.-',
    minEntropy: 3,
    validate: ({ line }) => /token/i.test(line),
    examples: [
      `kubeadm join 10.0.0.10:6443 --token ${fake('kb1', 6, LOWER_ALNUM)}.${fake('kb2', 16, LOWER_ALNUM)}`,
      `users:\n- name: ci\n  user:\n    token: ${fake('kb3', 6, LOWER_ALNUM)}.${fake('kb4', 16, LOWER_ALNUM)}`,
    ],
    falsePositives: ['token_url: https://auth.example.com/oauth/token', 'tokenizer: bpe.vocabulary0123'],
  }),
];
