import type { Rule } from '../rule.js';
import { contextRule, tokenRule } from '../shared/define-rule.js';
import { B62, B64URL, fake } from '../shared/fake-value.js';

export const hashicorpRules: readonly Rule[] = [
  tokenRule({
    id: 'vault-service-token',
    title: 'HashiCorp Vault service token (hvs.)',
    severity: 'critical',
    keywords: ['hvs.'],
    token: 'hvs\\.[A-Za-z0-9_-]{24,200}',
    boundary: 'A-Za-z0-9_.-',
    minEntropy: 3.8,
    examples: [`VAULT_TOKEN=hvs.${fake('hvs1', 24)}`, `vault login hvs.CAESI${fake('hvs2', 90, B64URL)}`],
    falsePositives: ['VAULT_TOKEN=hvs.xxxxxxxxxxxxxxxxxxxxxxxx', 'VAULT_TOKEN=hvs.short'],
  }),
  tokenRule({
    id: 'vault-batch-token',
    title: 'HashiCorp Vault batch token (hvb.)',
    keywords: ['hvb.'],
    token: 'hvb\\.[A-Za-z0-9_-]{100,300}',
    boundary: 'A-Za-z0-9_.-',
    minEntropy: 4,
    examples: [`X-Vault-Token: hvb.AAAAAQ${fake('hvb1', 130, B64URL)}`],
    falsePositives: ['X-Vault-Token: hvb.short'],
  }),
  contextRule({
    id: 'vault-legacy-token',
    title: 'HashiCorp Vault legacy token (s.) assigned to a Vault name',
    keywords: ['vault'],
    context: 'vault_?token|x-vault-token',
    secret: '[sb]\\.[A-Za-z0-9]{24}',
    minEntropy: 3.8,
    examples: [`VAULT_TOKEN=s.${fake('vs1', 24)}`],
    falsePositives: ['VAULT_TOKEN=s.root'],
  }),
  tokenRule({
    id: 'terraform-cloud-token',
    title: 'Terraform Cloud / Enterprise API token',
    severity: 'critical',
    keywords: ['atlasv1'],
    token: '[A-Za-z0-9]{14}\\.atlasv1\\.[A-Za-z0-9_=-]{60,70}',
    boundary: 'A-Za-z0-9_.-',
    minEntropy: 4,
    examples: [
      `credentials "app.terraform.io" {\n  token = "${fake('tfc1', 14)}.atlasv1.${fake('tfc2', 67, B62)}"\n}`,
    ],
    falsePositives: ['token = "xxxxxxxxxxxxxx.atlasv1.xxxx"'],
  }),
];
