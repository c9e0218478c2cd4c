import { describe, expect, it } from 'vitest';
import { compileRules } from '../src/scan/engine/prefilter.js';
import { scanText } from '../src/scan/engine/scan-text.js';
import { ALL_RULES, githubTokenFor } from '../src/scan/rules/index.js';

/** Issue 16: what the scanner must stop raising, and the path-selected rules it gained. Real engine, real rules. */
const ids = (text: string, path = 'f.txt') => scanText(text, { path }).map((f) => f.ruleId);
const GH = githubTokenFor('R8fQz2LpX7vKc3NwT9mYb5HsD1gJa4');
const B64 = 'Zk9wQ3JhTjd4UWw1TmJyVDJkV3Y4TG1YcEU0c0h5R2tBb0p1UmZUcUljWnpNZVc2bkJnWXRMczNSdkhhUGtReA';

describe('encrypted documents', () => {
  it('a SOPS file raises nothing: its values are ciphertexts', () => {
    const sops = [
      'db:',
      '    password: ENC[AES256_GCM,data:q8dPx2LrT0vZ,iv:Vb3nK8sQ1wXe5yR7tU9iO2pA4sD6fG8hJ0kL3zX5cV=,tag:Yw2eR4tY6uI8oP0aS2dF4g==,type:str]',
      `client_secret: ${B64.slice(0, 40)}`,
      'sops:',
      '    mac: ENC[AES256_GCM,data:Zm9vYmFy,iv:YmFy,tag:YmF6,type:str]',
      '    version: 3.8.1',
    ].join('\n');
    expect(ids(sops, 'secrets/prod.enc.yaml')).toEqual([]);
    expect(
      ids(
        'DB_PASSWORD=ENC[AES256_GCM,data:q8dPx2LrT0vZ,type:str]\nsops_mac=ENC[AES256_GCM,data:Zm9v,type:str]',
        '.env',
      ),
    ).toEqual([]);
  });

  it('a SealedSecret and an ansible-vault file raise nothing, but a plaintext token beside them still does', () => {
    const sealed = `apiVersion: bitnami.com/v1alpha1\nkind: SealedSecret\nspec:\n  encryptedData:\n    password: AgB${B64}\n    api_key: AgC${B64}`;
    expect(ids(sealed, 'k8s/db.yaml')).toEqual([]);
    expect(ids(`${sealed}\n# debug: ${GH}`, 'k8s/db.yaml')).toEqual(['github-pat-classic']);
    const vault = `$ANSIBLE_VAULT;1.1;AES256\n${'6638643965326331'.repeat(5)}\n${'3562386231336564'.repeat(5)}`;
    expect(ids(vault, 'group_vars/all/vault.yml')).toEqual([]);
    expect(
      ids('db_password: !vault |\n  $ANSIBLE_VAULT;1.1;AES256\n  66386439653263316636', 'host_vars/db.yml'),
    ).toEqual([]);
  });
});

describe('public by design and vendor examples', () => {
  it('raises nothing for Mapbox pk., Stripe pk_, Twilio Account SIDs and key-only Sentry DSNs', () => {
    const text = [
      "const MAPBOX_TOKEN = 'pk.eyJ1IjoiYWNtZS1tYXBzIiwiYSI6ImNsdDN4N2s5ZzBhYjQya3BiN2VxZ3F6dDIifQ.Xk3pQ9rLm2Tz8vWc4NbY1A';",
      "const STRIPE_PUBLISHABLE_KEY = 'pk_live_51Hx8kQ2LrT0vZb3nK8sQ1wXe5yR7tU9iO2pA4sD6fG8hJ0kL3zX5cV';",
      'TWILIO_ACCOUNT_SID=AC3f9c2b7e1d4a6f8b0c5e2d9a7f1b3c6e',
      "Sentry.init({ dsn: 'https://4f9c2b7e1d4a6f8b0c5e2d9a7f1b3c6e@o450123.ingest.sentry.io/4505123' });",
    ].join('\n');
    expect(ids(text, 'web/src/app.ts')).toEqual([]);
  });

  it('still reports a legacy Sentry DSN that carries its secret key', () => {
    const dsn =
      'https://4f9c2b7e1d4a6f8b0c5e2d9a7f1b3c6e:9a7f1b3c6e4f9c2b7e1d4a6f8b0c5e2d@o450123.ingest.sentry.io/45';
    expect(ids(`SENTRY_DSN=${dsn}`, 'app.env')).toContain('sentry-dsn');
  });

  it('raises nothing for the Azurite emulator key and the gcloud SDK public client secrets', () => {
    const azurite =
      'AZURE_STORAGE_CONNECTION_STRING=DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;BlobEndpoint=http://127.0.0.1:10000/devstoreaccount1;';
    expect(ids(azurite, 'test/azurite.env')).toEqual([]);
    const gcloud =
      "CLOUDSDK_CLIENT_NOTSOSECRET = 'ZmssLNjJy2998hD4CTg2ejr2'\nADC_CLIENT_SECRET = 'd-FL95Q19q7MQmFpd7hHD0Ty'";
    expect(ids(gcloud, 'googlecloudsdk/core/config.py')).toEqual([]);
  });
});

describe('the two rule bugs', () => {
  it('an empty .env value does not take the next line as its value', () => {
    const env =
      'AWS_ACCESS_KEY_ID=\nAWS_SECRET_ACCESS_KEY=\nAWS_DEFAULT_REGION=us-east-1\nTWILIO_AUTH_TOKEN=\nPUSHER_APP_SECRET=\nSESSION_SECRET=\nNEXT_PUBLIC_SITE=https://shop.example.com/catalogue/summer';
    expect(ids(env, 'laravel/.env')).toEqual([]);
  });

  it('DB_HOST=mysql-... after DB_CONNECTION=mysql is not a mysql -p command', () => {
    expect(ids('DB_CONNECTION=mysql\nDB_HOST=mysql-primary.internal\nDB_PORT=3306', '.env')).toEqual([]);
    expect(ids('mysql -h db -u admin -pQ8vR2xLm9Tp4w shop', '.bash_history')).toEqual([
      'generic-cli-password',
    ]);
  });
});

describe('path-selected rules', () => {
  const key = '87c391eebb645cf147711844c3b78b36';

  it('a key-only file is found by its name, though its content has no keyword', () => {
    expect(ids(key, 'config/master.key')).toEqual(['key-only-file']);
    expect(ids(`${key}\n`, 'config/credentials/production.key')).toEqual(['key-only-file']);
    expect(ids(key, 'notes.txt')).toEqual([]);
    expect(ids(`# build\nid = ${key}\n`, 'deploy.key')).toEqual([]);
  });

  it('the prefilter selects a path rule by the path, and drops a keyword rule whose paths do not match', () => {
    const set = compileRules(ALL_RULES);
    const rulesFor = (text: string, path: string) => set.locate(text, path).map((h) => set.rules[h.rule]!.id);
    expect(rulesFor(key, 'config/master.key')).toContain('key-only-file');
    expect(rulesFor(key, 'src/app.ts')).not.toContain('key-only-file');
    expect(rulesFor('password = x', '.pypirc')).toContain('credential-file-password');
    expect(rulesFor('password = x', 'src/app.py')).not.toContain('credential-file-password');
  });

  it('a Terraform state value is reported once, by the state rule', () => {
    const state = '{"attributes": {"master_password": "Zq8vR2xLm9Tp", "endpoint": "db.internal"}}';
    expect(ids(state, 'prod.tfstate')).toEqual(['terraform-state-sensitive-attribute']);
  });

  it('a low-entropy password is a finding in a credential file, not in source code', () => {
    expect(ids('[pypi]\nusername = deploy\npassword = Harbor2291!', 'home/amy/.pypirc')).toContain(
      'credential-file-password',
    );
    expect(ids('password = Harbor2291!', 'src/app.py')).not.toContain('credential-file-password');
  });
});

describe('server passwords in environment blocks', () => {
  it('an unquoted name in source code is a reference; in a compose file it is the password', () => {
    expect(ids('expect(env).toEqual({ PGPASSWORD: VALUE, APP_TOKEN: null });', 'test/run.test.ts')).toEqual(
      [],
    );
    expect(ids('environment:\n  GF_SECURITY_ADMIN_PASSWORD: ENZWB.NwESfKNi72', 'docker-compose.yml')).toEqual(
      ['server-password-environment'],
    );
  });
});

describe('password hashes', () => {
  it('locked shadow entries are not findings; hashed ones are', () => {
    const shadow = [
      'daemon:*:19700:0:99999:7:::',
      'sshd:!:19701::::::',
      'old:!$6$Jn271hoQ9e.qDfYT$h8HFmwjSeEWgBtkeGgvFggKz6vMgSpilJR39VN9f/ipvRgljfqDC.CoOzAY8dVzp843fwiOVhPqrf.Js5nEtL/:19710:0:99999:7:::',
      'root:$6$DqALooW3fEQi59PC$h8HFmwjSeEWgBtkeGgvFggKz6vMgSpilJR39VN9f/ipvRgljfqDC.CoOzAY8dVzp843fwiOVhPqrf.Js5nEtL/:19710:0:99999:7:::',
    ].join('\n');
    const found = scanText(shadow, { path: 'etc/shadow' });
    expect(found.map((f) => [f.line, f.ruleId])).toEqual([[4, 'sha-crypt-password-hash']]);
  });
});
