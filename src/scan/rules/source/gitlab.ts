import type { Rule } from '../rule.js';
import { tokenRule } from '../shared/define-rule.js';
import { B64URL, fake } from '../shared/fake-value.js';

const KINDS = [
  ['glpat-', 'gitlab-personal-access-token', 'GitLab personal / project / group access token'],
  ['gldt-', 'gitlab-deploy-token', 'GitLab deploy token'],
  ['glrt-', 'gitlab-runner-token', 'GitLab runner authentication token'],
  ['glptt-', 'gitlab-pipeline-trigger-token', 'GitLab pipeline trigger token'],
  ['glft-', 'gitlab-feed-token', 'GitLab feed token'],
  ['gloas-', 'gitlab-oauth-app-secret', 'GitLab OAuth application secret'],
  ['glsoat-', 'gitlab-scim-token', 'GitLab SCIM OAuth token'],
  ['glcbt-', 'gitlab-ci-build-token', 'GitLab CI job token'],
  ['glagent-', 'gitlab-agent-token', 'GitLab agent for Kubernetes token'],
] as const;

const gitlabTokens: Rule[] = KINDS.map(([prefix, id, title]) => {
  const value = (seed: string) => `${prefix}${fake(seed, 20, B64URL.replace('-', ''))}`;
  return tokenRule({
    id,
    title,
    severity: id === 'gitlab-feed-token' ? 'medium' : 'critical',
    keywords: [prefix],
    // Current tokens carry 20 random chars; newer ones add a routing part (`.01.xxxx`), matched as optional.
    token: `${prefix.replace('-', '\\-')}[A-Za-z0-9_-]{20,64}(?:\\.[0-9a-z]{2}\\.[0-9a-z]{9})?`,
    boundary: 'A-Za-z0-9_-',
    minEntropy: 3.3,
    examples: [
      `GITLAB_TOKEN=${value(`${id}-1`)}`,
      `curl --header "PRIVATE-TOKEN: ${value(`${id}-2`)}" https://gitlab.example.com/api/v4/projects`,
    ],
    falsePositives: [
      `GITLAB_TOKEN=${prefix}xxxxxxxxxxxxxxxxxxxx`,
      `token = "${prefix}${fake(`${id}-3`, 12)}"`,
    ],
  });
});

export const gitlabRules: readonly Rule[] = [
  ...gitlabTokens,
  tokenRule({
    id: 'gitlab-runner-registration-token',
    title: 'GitLab runner registration token (legacy GR1348941)',
    keywords: ['gr1348941'],
    token: 'GR1348941[A-Za-z0-9_-]{20}',
    boundary: 'A-Za-z0-9_-',
    minEntropy: 3.5,
    examples: [`gitlab-runner register --registration-token GR1348941${fake('glreg', 20, B64URL)}`],
    falsePositives: ['--registration-token GR1348941xxxxxxxxxxxxxxxxxxxx'],
  }),
];
