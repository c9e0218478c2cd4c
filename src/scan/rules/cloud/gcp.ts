import type { Rule } from '../rule.js';
import { patternRule, tokenRule } from '../shared/define-rule.js';
import { B64, B64URL, fake } from '../shared/fake-value.js';

const pemBody = (seed: string) =>
  Array.from({ length: 12 }, (_, i) => fake(`${seed}-${i}`, 64, B64)).join('\\n');

export const gcpRules: readonly Rule[] = [
  patternRule({
    id: 'gcp-service-account-key',
    title: 'Google Cloud service-account key file (JSON with private_key)',
    severity: 'critical',
    keywords: ['private_key'],
    pattern:
      /"private_key"\s*:\s*"(?<secret>-----BEGIN (?:RSA )?PRIVATE KEY-----(?:\\n)?[A-Za-z0-9+/=\\n]{200,8000}-----END (?:RSA )?PRIVATE KEY-----(?:\\n)?)"/,
    examples: [
      `{\n  "type": "service_account",\n  "project_id": "acme-prod",\n  "private_key_id": "${fake('gcp-kid', 40, '0123456789abcdef')}",\n  "private_key": "-----BEGIN PRIVATE KEY-----\\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC${pemBody('gcp-sa')}\\n-----END PRIVATE KEY-----\\n",\n  "client_email": "deploy@acme-prod.iam.gserviceaccount.com"\n}`,
    ],
    falsePositives: [
      '{"type": "service_account", "private_key": "-----BEGIN PRIVATE KEY-----\\n...\\n-----END PRIVATE KEY-----\\n"}',
      '{"private_key": "<your private key>"}',
    ],
  }),
  tokenRule({
    id: 'gcp-api-key',
    title: 'Google Cloud / Firebase / Gemini API key',
    keywords: ['aiza'],
    token: 'AIza[0-9A-Za-z_-]{35}',
    boundary: 'A-Za-z0-9_-',
    minEntropy: 3.5,
    examples: [
      `const firebaseConfig = { apiKey: "AIza${fake('gcp-1', 35, B64URL)}", authDomain: "acme.firebaseapp.com" };`,
      `GOOGLE_API_KEY=AIza${fake('gcp-2', 35, B64URL)}`,
    ],
    falsePositives: [
      `key=AIza${fake('gcp-3', 30, B64URL)}`,
      'apiKey: "AIzaXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX"',
    ],
  }),
  tokenRule({
    id: 'gcp-oauth-client-secret',
    title: 'Google OAuth client secret',
    keywords: ['gocspx-'],
    token: 'GOCSPX-[A-Za-z0-9_-]{28}',
    boundary: 'A-Za-z0-9_-',
    examples: [
      `{"web":{"client_id":"1234.apps.googleusercontent.com","client_secret":"GOCSPX-${fake('gocspx', 28, B64URL)}"}}`,
    ],
    falsePositives: ['"client_secret":"GOCSPX-short"'],
  }),
];
