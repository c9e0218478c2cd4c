import type { Rule } from '../rule.js';
import { contextRule, tokenRule } from '../shared/define-rule.js';
import { B64, BASE32, fake, fakeUuid } from '../shared/fake-value.js';

const keyId = (seed: string, prefix = 'AKIA') => `${prefix}${fake(seed, 16, BASE32)}`;
const secret = (seed: string) => fake(seed, 40, B64);

export const awsRules: readonly Rule[] = [
  tokenRule({
    id: 'aws-access-key-id',
    title: 'AWS access key id (long-term AKIA or temporary ASIA)',
    severity: 'critical',
    keywords: ['akia', 'asia', 'abia', 'acca'],
    token: '(?:AKIA|ASIA|ABIA|ACCA)[A-Z2-7]{16}',
    minEntropy: 3,
    examples: [
      `[default]\naws_access_key_id = ${keyId('aws-1')}\naws_secret_access_key = ${secret('aws-s1')}\n`,
      `export AWS_ACCESS_KEY_ID="${keyId('aws-2', 'ASIA')}"`,
      `{"AccessKeyId": "${keyId('aws-3')}"}`,
    ],
    falsePositives: [
      'aws_access_key_id = AKIAIOSFODNN7EXAMPLE',
      `id = AKIA${fake('aws-short', 12, 'ABCDEFGHIJKLMNOP')}`,
      `AKIA${fake('aws-glued', 16, 'ABCDEFGHIJKLMNOP')}XYZ`,
      'AKIAAAAAAAAAAAAAAAAA',
    ],
  }),
  contextRule({
    id: 'aws-secret-access-key',
    title: 'AWS secret access key assigned to an AWS secret name',
    severity: 'critical',
    keywords: ['aws', 'secret_access_key', 'secretaccesskey'],
    context: 'aws_?secret|aws_?sk|secret_?access_?key|secretaccesskey',
    secret: '[A-Za-z0-9/+]{40}',
    minEntropy: 4,
    examples: [
      `aws_secret_access_key = ${secret('aws-s2')}`,
      `AWS_SECRET_ACCESS_KEY: "${secret('aws-s3')}"`,
      `{"SecretAccessKey": "${secret('aws-s4')}"}`,
    ],
    falsePositives: [
      'aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
      `aws_secret_access_key = \${AWS_SECRET_ACCESS_KEY}`,
      `some_other_key = ${secret('aws-s5')}`,
    ],
  }),
  contextRule({
    id: 'aws-session-token',
    title: 'AWS session token assigned to a session-token name',
    severity: 'high',
    keywords: ['session_token', 'sessiontoken', 'security-token'],
    context: 'aws_?session_?token|sessiontoken|x-amz-security-token',
    secret: '[A-Za-z0-9/+=]{100,1200}',
    minEntropy: 4.5,
    examples: [`aws_session_token = IQoJb3JpZ2luX2VjE${fake('aws-st', 300, B64)}`],
    falsePositives: ['aws_session_token = short', `aws_session_token = ${'A'.repeat(150)}`],
  }),
  tokenRule({
    id: 'aws-mws-auth-token',
    title: 'Amazon Marketplace Web Service auth token',
    keywords: ['amzn.mws'],
    token: `amzn\\.mws\\.[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}`,
    examples: [`MWS_AUTH_TOKEN=amzn.mws.${fakeUuid('mws')}`],
    falsePositives: ['MWS_AUTH_TOKEN=amzn.mws.1234'],
  }),
];
