import type { Rule } from '../rule.js';
import { contextRule, patternRule } from '../shared/define-rule.js';
import { B64, B64URL, b64url, fake } from '../shared/fake-value.js';

/** Parse one base64url JWT segment as a JSON object; undefined when it is not one. */
function segment(part: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
    return value !== null && typeof value === 'object' && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

/** The jwt.io / RFC sample token that fills documentation everywhere. */
function isDocumentationSample(payload: Record<string, unknown>): boolean {
  return payload['name'] === 'John Doe' || payload['sub'] === '1234567890';
}

const jwt = (header: object, payload: object, seed: string) =>
  `${b64url(JSON.stringify(header))}.${b64url(JSON.stringify(payload))}.${fake(seed, 43, B64URL)}`;

/** JSON Web Tokens (decoded and checked) and JWT signing secrets. */
export const jwtRules: readonly Rule[] = [
  patternRule({
    id: 'jwt',
    title: 'JSON Web Token (signed, decodable header with alg)',
    severity: 'medium',
    keywords: ['eyj'],
    pattern:
      /(?<![A-Za-z0-9_-])(?<secret>eyJ[A-Za-z0-9_-]{8,2000}\.eyJ[A-Za-z0-9_-]{8,8000}\.[A-Za-z0-9_-]{16,2000})(?![A-Za-z0-9_-])/,
    validate: ({ secret }) => {
      const [h, p] = secret.split('.');
      const header = segment(h ?? '');
      const payload = segment(p ?? '');
      return (
        header !== undefined &&
        typeof header['alg'] === 'string' &&
        header['alg'] !== 'none' &&
        payload !== undefined &&
        !isDocumentationSample(payload)
      );
    },
    examples: [
      `SUPABASE_SERVICE_ROLE_KEY=${jwt({ alg: 'HS256', typ: 'JWT' }, { iss: 'supabase', ref: fake('jw1', 20), role: 'service_role', iat: 1700000000, exp: 2015576000 }, 'jw2')}`,
      `curl -H "Authorization: Bearer ${jwt({ alg: 'RS256', kid: fake('jw3', 12) }, { sub: 'svc-deploy', aud: 'api', exp: 2015576000 }, 'jw4')}" https://api.acme.dev`,
    ],
    falsePositives: [
      'jwt.decode("eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzb21lIjoicGF5bG9hZCJ9.4twFt5NiznN84AWoo1d7KO1T_yoc0Z6XOpOVswacPZg", "secret")',
      'token: eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c',
      `token: eyJ${fake('jw5', 30, B64URL)}.eyJ${fake('jw6', 40, B64URL)}.${fake('jw7', 43, B64URL)}`,
      `token: ${b64url('{"typ":"JWT"}')}.${b64url('{"sub":"x"}')}.${fake('jw8', 43, B64URL)}`,
    ],
  }),
  contextRule({
    id: 'jwt-signing-secret',
    title: 'JWT / session signing secret assigned to a signing-secret name',
    severity: 'high',
    keywords: ['jwt', 'session_secret', 'secret_key_base', 'nextauth_secret'],
    context:
      'jwt_?(?:signing_?)?(?:secret|key)|session_?secret|secret_?key_?base|nextauth_?secret|cookie_?secret',
    secret: '[A-Za-z0-9+/=_.!@#%^&*-]{24,200}',
    minEntropy: 3.5,
    examples: [
      `JWT_SECRET=${fake('jws1', 48, B64)}`,
      `secret_key_base: ${fake('jws2', 128, '0123456789abcdef')}`,
    ],
    falsePositives: [
      `JWT_SECRET=\${JWT_SECRET}`,
      'JWT_SECRET=please-change-this-secret-in-production',
      `JWT_ALGORITHM=HS256`,
    ],
  }),
];
