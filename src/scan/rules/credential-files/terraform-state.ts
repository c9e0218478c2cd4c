import type { Rule } from '../rule.js';
import { patternRule } from '../shared/define-rule.js';
import { B64, fake } from '../shared/fake-value.js';
import { isPlaceholderValue } from '../shared/value-checks.js';

/**
 * Attributes that providers mark sensitive and Terraform writes in clear into its state: database and admin
 * passwords, generated passwords (`random_password.result`), IAM secrets and SES SMTP passwords, TLS and service
 * account keys, storage keys and connection strings, Actions secrets' plaintext, kubeconfigs.
 */
const SENSITIVE_ATTRIBUTES = [
  'password',
  'result',
  'plaintext_value',
  'secret',
  'ses_smtp_password_v4',
  'private_key_pem',
  'private_key_openssh',
  'private_key_pem_pkcs8',
  'private_key',
  'primary_access_key',
  'secondary_access_key',
  'primary_connection_string',
  'secondary_connection_string',
  'primary_blob_connection_string',
  'master_password',
  'admin_password',
  'administrator_login_password',
  'root_password',
  'secret_string',
  'client_secret',
  'kube_config_raw',
  'kube_admin_config_raw',
  'client_key',
  'access_token',
  'auth_token',
  'api_key',
  'token',
];

/** Escaped JSON string bodies; bounded so a huge attribute costs linear time. */
const pattern = new RegExp(
  `"(?:${SENSITIVE_ATTRIBUTES.join('|')})"\\s{0,4}:\\s{0,4}"(?<secret>(?:[^"\\\\\\n]|\\\\.){6,20000})"`,
);

export const terraformStateRules: readonly Rule[] = [
  patternRule({
    id: 'terraform-state-sensitive-attribute',
    title: 'Sensitive attribute in Terraform state (passwords, keys, tokens written in clear)',
    keywords: SENSITIVE_ATTRIBUTES.map((a) => `"${a}"`),
    pattern,
    paths: /\.tfstate(?:\.backup)?$/,
    validate: ({ secret, path }) =>
      /\.tfstate(?:\.backup)?$/.test(path) &&
      !isPlaceholderValue(secret) &&
      !/^(?:none|null|\d+)$/i.test(secret),
    examplePath: 'infra/prod/terraform.tfstate',
    examples: [
      `{"type": "random_password", "instances": [{"attributes": {"id": "none", "result": "${fake('tf1', 20)}"}}]}`,
      `          "ses_smtp_password_v4": "B${fake('tf2', 43, B64)}",`,
    ],
    falsePositives: [
      '{"type": "random_password", "instances": [{"attributes": {"id": "none", "result": ""}}]}',
      '"sensitive_attributes": [[{"type": "get_attr", "value": "password"}]]',
    ],
  }),
];
