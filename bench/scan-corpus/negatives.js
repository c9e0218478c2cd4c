import { FileBuilder } from './file-builder.js';
import { opensshKey } from './positives.js';

/** Hard negatives: files full of high-entropy or credential-shaped text that is not a live credential. */
export const NEGATIVE_FILES = [
  (v, i) => {
    const deps = Array.from({ length: 12 }, (_, k) => {
      const name = `pkg-${i}-${k}`;
      return `    "node_modules/${name}": {\n      "version": "1.${k}.0",\n      "resolved": "https://registry.npmjs.org/${name}/-/${name}-1.${k}.0.tgz",\n      "integrity": "sha512-${v.b64(v.b62(63))}"\n    },`;
    });
    return new FileBuilder(`app${i}/package-lock.json`).add(
      `{\n  "name": "app${i}",\n  "lockfileVersion": 3,\n  "packages": {\n${deps.join('\n')}\n  }\n}`,
    );
  },
  (v, i) =>
    new FileBuilder(`app${i}/yarn.lock`).add(
      Array.from(
        { length: 8 },
        (_, k) =>
          `"lib-${k}@^2.0.0":\n  version "2.${k}.1"\n  resolved "https://registry.yarnpkg.com/lib-${k}/-/lib-${k}-2.${k}.1.tgz#${v.hex(40)}"\n  integrity sha512-${v.b64(v.b62(63))}\n`,
      ).join('\n'),
    ),
  (v, i) =>
    new FileBuilder(`svc${i}/go.sum`).add(
      Array.from(
        { length: 10 },
        (_, k) =>
          `github.com/acme/mod${k} v0.${k}.0 h1:${v.b64(v.b62(31))}\ngithub.com/acme/mod${k} v0.${k}.0/go.mod h1:${v.b64(v.b62(31))}`,
      ).join('\n'),
    ),
  (_v, i) =>
    new FileBuilder(`examples/${i}/.env.example`).add(
      [
        'AWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE',
        'AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
        'STRIPE_SECRET_KEY=sk_live_xxxxxxxxxxxxxxxxxxxxxxxx',
        'GITHUB_TOKEN=ghp_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx',
        'OPENAI_API_KEY=sk-proj-...',
        'DATABASE_URL=postgres://user:password@localhost:5432/app',
        'DB_PASSWORD=changeme',
        'API_KEY=your-api-key-here',
        `JWT_SECRET=\${JWT_SECRET}`,
        'SLACK_WEBHOOK_URL=https://hooks.slack.com/services/T00000000/B00000000/XXXXXXXXXXXXXXXXXXXXXXXX',
        'SENDGRID_API_KEY=<your-sendgrid-key>',
        'HUSH_TOKEN=',
      ].join('\n'),
    ),
  (v, i) =>
    new FileBuilder(`charts/app${i}/templates/deployment.yaml`).add(
      `env:\n  - name: DB_PASSWORD\n    valueFrom:\n      secretKeyRef:\n        name: {{ .Release.Name }}-db\n        key: password\n  - name: API_TOKEN\n    value: {{ .Values.apiToken | quote }}\n  - name: CLIENT_SECRET\n    value: "{{ required "clientSecret" .Values.clientSecret }}"\nimage: "acme/app@sha256:${v.hex(64)}"`,
    ),
  (_v, i) =>
    new FileBuilder(`infra/${i}/rds.tf`).add(
      `resource "aws_db_instance" "main" {\n  identifier = "main-${i}"\n  username   = "app"\n  password   = var.db_password\n  kms_key_id = aws_kms_key.db.arn\n}\n\nvariable "db_password" {\n  type      = string\n  sensitive = true\n}\n\noutput "secret_arn" {\n  value = aws_secretsmanager_secret.db.arn\n}`,
    ),
  (v, i) =>
    new FileBuilder(`src/${i}/config.js`).add(
      `export const config = {\n  apiKey: process.env.API_KEY,\n  token: process.env.GITHUB_TOKEN ?? '',\n  password: getSecret('db-password'),\n  secret: config.secret,\n  sessionId: '${v.uuid()}',\n  buildId: '${v.hex(40)}',\n  checksum: '${v.hex(64)}',\n  maxTokens: 4096,\n};`,
    ),
  (v, i) =>
    new FileBuilder(`cmd/${i}/main.go`).add(
      `package main\n\nimport "os"\n\nfunc main() {\n\ttoken := os.Getenv("API_TOKEN")\n\tpassword := readPassword()\n\tsecret := cfg.Secret\n\t_ = token\n\t_ = password\n\t_ = secret\n\tconst requestID = "${v.uuid()}"\n}`,
    ),
  (_v, i) =>
    new FileBuilder(`test/fixtures/${i}/users.test.ts`).add(
      `const fixtures = {\n  password: 'test-password',\n  token: 'fake-token-for-tests',\n  apiKey: 'dummy-api-key',\n  secret: 'not-a-real-secret',\n};\nit('logs in', () => expect(login('alice', fixtures.password)).toBe(true));`,
    ),
  (v, i) => {
    const minified = Array.from(
      { length: 30 },
      () => `var ${v.b62(2).replace(/^\d/, 'a')}="${v.b62(12)}"`,
    ).join(';');
    return new FileBuilder(`public/${i}/app.min.js`).add(
      `!function(){${minified};function t(e){return e.split("").reverse().join("")}}();\n//# sourceMappingURL=data:application/json;base64,${v.b64(v.b62(300))}\n<img src="data:image/png;base64,iVBORw0KGgo${v.b64(v.b62(400))}">`,
    );
  },
  (v, i) =>
    new FileBuilder(`web/${i}/index.html`).add(
      `<!doctype html>\n<meta name="csrf-token" content="${v.b62(40)}">\n<script src="https://cdn.acme.dev/lib.js" integrity="sha384-${v.b64(v.b62(36))}" crossorigin="anonymous"></script>\n<link rel="stylesheet" href="/app.${v.hex(20)}.css">`,
    ),
  (v, i) =>
    new FileBuilder(`keys/${i}/public`).add(`${v.publicPem()}\n${v.certificate()}\n${v.sshPublic()}\n`),
  (v, i) => new FileBuilder(`keys/${i}/encrypted.pem`).add(`${v.encryptedPem()}\n${v.legacyEncryptedPem()}`),
  (v, i) =>
    new FileBuilder(`home/u${i}/.ssh/id_ed25519_protected`).add(
      opensshKey(v, i % 2 ? 'aes256-ctr' : 'aes256-gcm@openssh.com'),
    ),
  (_v, i) =>
    new FileBuilder(`docs/${i}/authentication.md`).add(
      [
        '# Authentication',
        '',
        'Create a token and export it:',
        '',
        '```sh',
        'export GITHUB_TOKEN=<your token>',
        'export HUSH_TOKEN=hush_s_...',
        'curl -H "Authorization: Bearer $API_TOKEN" https://api.acme.dev/v1/me',
        '```',
        '',
        'A JWT looks like `eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c`.',
        '',
        'Connection strings take the form `postgres://<user>:<password>@<host>/<db>`.',
        'Set `password: ********` in the UI; never paste your real key.',
      ].join('\n'),
    ),
  (v, i) =>
    new FileBuilder(`logs/build-${i}.log`).add(
      Array.from(
        { length: 15 },
        (_, k) =>
          `2026-11-23T09:${String(k).padStart(2, '0')}:00Z step=${k} commit=${v.hex(40)} digest=sha256:${v.hex(64)} span=${v.hex(16)} id=${v.uuid()}`,
      ).join('\n'),
    ),
  (v, i) => {
    // A user table export: since issue 16 its password hashes are a finding (an offline cracking target).
    const f = new FileBuilder(`data/${i}/hashes.csv`).add('user,password_hash,salt');
    for (let k = 0; k < 8; k++) {
      const hash = `$2b$12$${v.b62(53)}`;
      f.secret(`user${k},${hash},${v.hex(32)}`, 'password-hashes', 'bcrypt-csv', hash);
    }
    return f;
  },
  (v, i) =>
    new FileBuilder(`scripts/${i}/deploy.py`).add(
      `import os\n\nDB_PASSWORD = os.environ["DB_PASSWORD"]\nAPI_TOKEN = os.getenv("API_TOKEN")\nSECRET_KEY = settings.SECRET_KEY\npassword = input("Password: ")\nREQUEST_ID = "${v.uuid()}"\nCOMMIT = "${v.hex(40)}"`,
    ),
  (v, i) => {
    const fakeGh = `ghp_${v.b62(36)}`;
    return new FileBuilder(`test/${i}/github-client.test.js`).add(
      `// A token-shaped fixture whose checksum is wrong on purpose: GitHub would reject it.\nconst GITHUB_TOKEN = '${fakeGh}';\nconst fixtureToken = "hush_s_${v.b62(49)}";\ntest('rejects', () => expect(client(GITHUB_TOKEN).ok).toBe(false));`,
    );
  },
  (_v, i) =>
    new FileBuilder(`ansible/${i}/group_vars/all.yml`).add(
      `db_user: app\ndb_password: "{{ vault_db_password }}"\napi_token: "{{ lookup('env', 'API_TOKEN') }}"\nssh_known_hosts:\n  - "github.com ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl"`,
    ),
  (v, i) =>
    new FileBuilder(`rust/${i}/Cargo.lock`).add(
      Array.from(
        { length: 6 },
        (_, k) =>
          `[[package]]\nname = "crate${k}"\nversion = "0.${k}.3"\nsource = "registry+https://github.com/rust-lang/crates.io-index"\nchecksum = "${v.hex(64)}"\n`,
      ).join('\n'),
    ),
  (v, i) =>
    new FileBuilder(`py/${i}/poetry.lock`).add(
      `[[package]]\nname = "requests"\nversion = "2.32.3"\nfiles = [\n    {file = "requests-2.32.3-py3-none-any.whl", hash = "sha256:${v.hex(64)}"},\n]\n[metadata]\ncontent-hash = "${v.hex(64)}"`,
    ),
  (v, i) =>
    new FileBuilder(`.github/workflows/ci-${i}.yml`).add(
      `jobs:\n  deploy:\n    runs-on: ubuntu-latest\n    env:\n      NPM_TOKEN: \${{ secrets.NPM_TOKEN }}\n      AWS_SECRET_ACCESS_KEY: \${{ secrets.AWS_SECRET_ACCESS_KEY }}\n    steps:\n      - uses: actions/checkout@${v.hex(40)}\n      - run: echo "//registry.npmjs.org/:_authToken=\${NPM_TOKEN}" > ~/.npmrc`,
    ),
  (v, i) =>
    new FileBuilder(`k8s/secrets/example-${i}.yaml`).add(
      `apiVersion: v1\nkind: Secret\nmetadata:\n  name: example\ndata:\n  password: ${v.b64('changeme')}\n  token: ${v.b64('REPLACE_ME_TOKEN')}\n  username: ${v.b64('admin')}`,
    ),
  (v, i) =>
    new FileBuilder(`saml/${i}/metadata.xml`).add(
      `<md:EntityDescriptor entityID="https://sso.acme.dev">\n  <ds:X509Certificate>MIIC${v.b64(v.b62(600))}</ds:X509Certificate>\n  <ds:DigestValue>${v.b64(v.b62(32))}</ds:DigestValue>\n  <ds:SignatureValue>${v.b64(v.b62(190))}</ds:SignatureValue>\n</md:EntityDescriptor>`,
    ),
];
