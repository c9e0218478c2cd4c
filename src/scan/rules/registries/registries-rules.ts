import { checksumMatches, checksumSuffix } from '../../checksum/checksum-token.js';
import type { Rule } from '../rule.js';
import { contextRule, patternRule, tokenRule } from '../shared/define-rule.js';
import { B64, B64URL, b64, fake, fakeChecksummed, HEX, LOWER_ALNUM } from '../shared/fake-value.js';

const npmToken = (seed: string) => fakeChecksummed('npm_', seed);
const pypi = (seed: string) => `pypi-AgEIcHlwaS5vcmc${fake(seed, 120, B64URL)}`;

/** Package registry publishing tokens. */
export const registryRules: readonly Rule[] = [
  tokenRule({
    id: 'npm-access-token',
    title: 'npm access token',
    severity: 'critical',
    keywords: ['npm_'],
    token: 'npm_[A-Za-z0-9]{36}',
    // npm tokens carry the same CRC-32/base62 checksum as GitHub's; with it, a placeholder word inside the random
    // part (`Tbd`, `fake`) is chance, not a stand-in.
    allowPlaceholders: true,
    validate: ({ secret }) => checksumMatches(secret.slice(4, 34), secret.slice(34)),
    examples: [
      `NPM_TOKEN=npm_R8fQfakez2LpX7vKTbd3NwT9mYb5Hs${checksumSuffix('R8fQfakez2LpX7vKTbd3NwT9mYb5Hs')}`,
      `NPM_TOKEN=${npmToken('npm1')}`,
      `//registry.npmjs.org/:_authToken=${npmToken('npm2')}`,
    ],
    falsePositives: [
      `NPM_TOKEN=npm_${fake('npm3', 36)}`,
      'NPM_TOKEN=npm_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx',
    ],
  }),
  patternRule({
    id: 'npmrc-auth-token',
    title: 'Registry auth token in .npmrc / .yarnrc',
    severity: 'critical',
    keywords: ['_authtoken', 'npmauthtoken'],
    pattern:
      /(?:_authToken|npmAuthToken)["']?\s{0,4}[=:]\s{0,4}["']?(?<secret>[A-Za-z0-9_.+/=-]{20,200})(?![A-Za-z0-9_.+/=-])/,
    minEntropy: 3.5,
    examples: [
      `//npm.pkg.github.com/:_authToken=${fake('npmrc1', 40, LOWER_ALNUM)}`,
      `npmRegistries:\n  "https://npm.acme.dev":\n    npmAuthToken: "${fake('npmrc2', 36, B64)}"`,
    ],
    falsePositives: [
      `//registry.npmjs.org/:_authToken=\${NPM_TOKEN}`,
      '//registry.npmjs.org/:_authToken=00000000-0000-0000-0000-000000000000',
    ],
  }),
  patternRule({
    id: 'npmrc-basic-auth',
    title: 'Base64 user:password in .npmrc _auth / _password',
    keywords: ['_auth', '_password'],
    pattern:
      /(?<![A-Za-z])(?:_auth|_password)\s{0,4}=\s{0,4}["']?(?<secret>[A-Za-z0-9+/]{12,200}={0,2})(?![A-Za-z0-9+/=])/,
    minEntropy: 3,
    validate: ({ secret, match }) => {
      const decoded = Buffer.from(secret, 'base64').toString('utf8');
      return match.includes('_password') ? decoded.length >= 6 : /^[^:\s]{1,100}:[^\s]{4,}$/.test(decoded);
    },
    examples: [
      `_auth = ${b64(`deploy:${fake('npa1', 16)}`)}`,
      `//nexus.acme.dev/repository/npm/:_password=${b64(fake('npa2', 18))}`,
    ],
    falsePositives: [`_auth = \${NPM_AUTH}`, `_auth = ${b64('nocolonhere')}`],
  }),
  tokenRule({
    id: 'pypi-upload-token',
    title: 'PyPI API token',
    severity: 'critical',
    keywords: ['pypi-age'],
    token: 'pypi-AgE[IN]cHlwaS5vcmc[A-Za-z0-9_-]{50,300}',
    boundary: 'A-Za-z0-9_-',
    examples: [
      `[pypi]\n  username = __token__\n  password = ${pypi('pypi1')}`,
      `TWINE_PASSWORD=${pypi('pypi2')}`,
    ],
    falsePositives: ['password = pypi-AgEIcHlwaS5vcmc...', 'password = pypi-abc'],
  }),
  tokenRule({
    id: 'nuget-api-key',
    title: 'NuGet.org API key',
    keywords: ['oy2'],
    token: 'oy2[a-z0-9]{43}',
    minEntropy: 3.8,
    examples: [
      `dotnet nuget push pkg.nupkg --api-key oy2${fake('nu1', 43, LOWER_ALNUM)} --source https://api.nuget.org/v3/index.json`,
    ],
    falsePositives: ['--api-key oy2xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx'],
  }),
  tokenRule({
    id: 'rubygems-api-key',
    title: 'RubyGems API key',
    keywords: ['rubygems_'],
    token: 'rubygems_[a-f0-9]{48}',
    minEntropy: 3.3,
    examples: [`---\n:rubygems_api_key: rubygems_${fake('rg1', 48, HEX)}`],
    falsePositives: ['GEM_HOST_API_KEY=rubygems_short'],
  }),
  tokenRule({
    id: 'docker-hub-pat',
    title: 'Docker Hub personal access token',
    severity: 'critical',
    keywords: ['dckr_pat_', 'dckr_oat_'],
    token: 'dckr_(?:pat|oat)_[A-Za-z0-9_-]{27,32}',
    boundary: 'A-Za-z0-9_-',
    minEntropy: 3.8,
    examples: [`echo dckr_pat_${fake('dk1', 27, B64URL)} | docker login -u acme --password-stdin`],
    falsePositives: ['DOCKERHUB_TOKEN=dckr_pat_xxx'],
  }),
  patternRule({
    id: 'docker-config-auth',
    title: 'Registry credentials in docker config.json ("auth": base64 user:password)',
    severity: 'critical',
    keywords: ['"auth"'],
    pattern: /"auth"\s{0,4}:\s{0,4}"(?<secret>[A-Za-z0-9+/]{8,400}={0,2})"/,
    validate: ({ secret }) => {
      const decoded = Buffer.from(secret, 'base64').toString('utf8');
      const colon = decoded.indexOf(':');
      return colon > 0 && decoded.length - colon - 1 >= 6 && !/\p{Cc}/u.test(decoded);
    },
    examples: [`{"auths": {"registry.acme.dev": {"auth": "${b64(`ci-bot:${fake('dca1', 24)}`)}"}}}`],
    falsePositives: ['{"auths": {"registry.acme.dev": {"auth": ""}}}', `{"auth": "${b64('user:')}"}`],
  }),
  tokenRule({
    id: 'crates-io-token',
    title: 'crates.io API token',
    keywords: ['cio'],
    token: 'cio[A-Za-z0-9]{32}',
    minEntropy: 3.8,
    validate: ({ line }) => /cargo|crates|token|registry/i.test(line),
    examples: [`CARGO_REGISTRY_TOKEN=cio${fake('cio1', 32)}`],
    falsePositives: [`ratio${fake('cio2', 32)}`],
  }),
  contextRule({
    id: 'gradle-plugin-portal-key',
    title: 'Gradle Plugin Portal publish key / secret',
    keywords: ['gradle.publish'],
    context: 'gradle\\.publish\\.(?:key|secret)',
    secret: '[A-Za-z0-9]{32}',
    minEntropy: 3.8,
    examples: [`gradle.publish.secret=${fake('gr1', 32)}`],
    falsePositives: [`gradle.publish.secret=\${GRADLE_SECRET}`],
  }),
  contextRule({
    id: 'hex-pm-api-key',
    title: 'Hex.pm API key',
    keywords: ['hex_api_key', 'hexpm'],
    context: 'hex_?api_?key|hexpm',
    secret: '[a-f0-9]{32}',
    minEntropy: 3.3,
    examples: [`HEX_API_KEY=${fake('hex1', 32, HEX)}`],
    falsePositives: [`HEX_API_KEY=\${{ secrets.HEX_API_KEY }}`],
  }),
  tokenRule({
    id: 'clojars-deploy-token',
    title: 'Clojars deploy token',
    keywords: ['clojars_'],
    token: 'CLOJARS_[a-f0-9]{60}',
    minEntropy: 3.3,
    examples: [`CLOJARS_PASSWORD=CLOJARS_${fake('clj1', 60, HEX)}`],
    falsePositives: ['CLOJARS_PASSWORD=CLOJARS_abc'],
  }),
];
