import { FileBuilder } from './file-builder.js';

const uuid = (f) => `${f.hex(8)}-${f.hex(4)}-4${f.hex(3)}-a${f.hex(3)}-${f.hex(12)}`;
const hexLines = (f, n) => Array.from({ length: n }, () => f.hex(80)).join('\n');
const sopsValue = (f, n) => `ENC[AES256_GCM,data:${f.b64(n)},iv:${f.b64(43)}=,tag:${f.b64(22)}==,type:str]`;

/**
 * Hard negatives for the credential families: encrypted material, public-by-design values, vendor example keys,
 * references instead of values, locked accounts, look-alikes whose checksum fails. None holds a usable credential.
 */
export const FAMILY_NEGATIVES = [
  (f, i) =>
    new FileBuilder(`secrets/${i}/prod.enc.yaml`).add(
      `db:\n    user: ${sopsValue(f, 4)}\n    password: ${sopsValue(f, 24)}\napi_token: ${sopsValue(f, 40)}\nsops:\n    kms: []\n    age:\n        - recipient: age1${f.b62(58).toLowerCase()}\n          enc: |\n            -----BEGIN AGE ENCRYPTED FILE-----\n            YWdlLWVuY3J5cHRpb24ub3JnL3YxCi0+IFgyNTUxOSB${f.b64(40)}\n            ${f.b64(64)}\n            -----END AGE ENCRYPTED FILE-----\n    lastmodified: "2024-06-11T09:12:44Z"\n    mac: ENC[AES256_GCM,data:${f.b64(88)},iv:${f.b64(43)}=,tag:${f.b64(22)}==,type:str]\n    unencrypted_suffix: _unencrypted\n    version: 3.8.1`,
    ),
  (f, i) =>
    new FileBuilder(`secrets/${i}/.env.enc`).add(
      `DB_PASSWORD=${sopsValue(f, 20)}\nSTRIPE_SECRET_KEY=${sopsValue(f, 44)}\nsops_age__list_0__map_recipient=age1${f.b62(58).toLowerCase()}\nsops_lastmodified=2024-06-11T09:12:44Z\nsops_mac=ENC[AES256_GCM,data:${f.b64(88)},iv:${f.b64(43)}=,tag:${f.b64(22)}==,type:str]\nsops_version=3.8.1`,
    ),
  (f, i) =>
    new FileBuilder(`k8s/${i}/db-sealedsecret.yaml`).add(
      `apiVersion: bitnami.com/v1alpha1\nkind: SealedSecret\nmetadata:\n  name: db-credentials\n  namespace: prod\nspec:\n  encryptedData:\n    password: AgB${f.b64(700)}\n    api_key: AgC${f.b64(700)}\n  template:\n    metadata:\n      name: db-credentials`,
    ),
  (f, i) =>
    new FileBuilder(`ansible/${i}/group_vars/all/vault.yml`).add(
      `$ANSIBLE_VAULT;1.1;AES256\n${hexLines(f, 12)}`,
    ),
  (f, i) =>
    new FileBuilder(`ansible/${i}/host_vars/db1.yml`).add(
      `postgres_user: app\npostgres_password: !vault |\n          $ANSIBLE_VAULT;1.1;AES256\n          ${hexLines(f, 5).replace(/\n/g, '\n          ')}\nansible_password: "{{ vault_db1_password }}"\nansible_become_pass: "{{ lookup('env', 'BECOME_PASS') }}"`,
    ),
  (f, i) =>
    new FileBuilder(`web${i}/src/monitoring.ts`).add(
      `import * as Sentry from '@sentry/browser';\n\nSentry.init({\n  dsn: 'https://${f.hex(32)}@o${100000 + i}.ingest.sentry.io/${4500000 + i}',\n  tracesSampleRate: 0.1,\n});\n\nexport const MAPBOX_TOKEN = 'pk.eyJ1Ijoi${f.b62(20)}IiwiYSI6I${f.b62(22)}In0.${f.b62(22)}';\nexport const STRIPE_PUBLISHABLE_KEY = 'pk_live_${f.b62(99)}';`,
    ),
  (f, i) =>
    new FileBuilder(`notify${i}/.env`).add(
      `TWILIO_ACCOUNT_SID=AC${f.hex(32)}\nTWILIO_MESSAGING_SERVICE_SID=MG${f.hex(32)}\nTWILIO_AUTH_TOKEN=\nNEXT_PUBLIC_STRIPE_KEY=pk_live_${f.b62(24)}\nSENTRY_DSN=https://${f.hex(32)}@o${i + 4}.ingest.us.sentry.io/${i + 77}`,
    ),
  (_f, i) =>
    new FileBuilder(`tests/${i}/azurite.env`).add(
      'AZURE_STORAGE_CONNECTION_STRING=DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;BlobEndpoint=http://127.0.0.1:10000/devstoreaccount1;\nAZURITE_ACCOUNTS=devstoreaccount1:Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==',
    ),
  (_f, i) =>
    new FileBuilder(`vendor/gcloud${i}/lib/googlecloudsdk/core/config.py`).add(
      "# The client ID and secret of the Cloud SDK: an installed application, so not secret.\nCLOUDSDK_CLIENT_ID = '32555940559.apps.googleusercontent.com'\nCLOUDSDK_CLIENT_NOTSOSECRET = 'ZmssLNjJy2998hD4CTg2ejr2'\n\nADC_CLIENT_ID = '764086051850-6qr4p6gpi6hn506pt8ejuq83di341hur.apps.googleusercontent.com'\nADC_CLIENT_SECRET = 'd-FL95Q19q7MQmFpd7hHD0Ty'",
    ),
  (_f, i) =>
    new FileBuilder(`docs/${i}/api-quickstart.md`).add(
      "## Authenticate\n\n```sh\ncurl -H 'Authorization: token ghp_16C7e42F292c6912E7710c838347Ae178B4a' https://api.github.com/user\ncurl -s --user 'api:key-3ax6xnjp29jd6fds4gc373sgvjxteol0' https://api.mailgun.net/v3/samples.mailgun.org/messages\nexport SLACK_BOT_TOKEN=xoxb-not-a-real-token-this-will-not-work\n```\n\nReplace the values above with your own.",
    ),
  (f, i) =>
    new FileBuilder(`db/${i}/migrations/0007_files.sql`).add(
      `INSERT INTO files (id, name, sha256, etag) VALUES\n  (1, 'logo.png', '${f.hex(64)}', '"${f.hex(32)}"'),\n  (2, 'app.js', '${f.hex(64)}', '"${f.hex(32)}"');\nCOPY public.events (id, kind, payload) FROM stdin;\n1\tlogin\t{"ip": "10.0.0.1", "ua": "curl/8.5"}\n2\tlogout\t{"session": "${uuid(f)}"}\n\\.`,
    ),
  (_f, i) =>
    new FileBuilder(`scripts/${i}/rotate-logs.sh`).add(
      '#!/bin/bash\nfor f in "$@"; do\n  echo "$1 $2$3"\n  awk \'{ print $1":"$6 }\' /etc/passwd\ndone\n# shadow format: name:$6$salt$hash:lastchg:...; a locked account has * or ! instead of a hash\nsed -i "s/^$1:[^:]*:/$1:!:/" /etc/shadow',
    ),
  (_f, i) =>
    new FileBuilder(`src/${i}/auth/hash.php`).add(
      "<?php\n// password_hash() returns a 60-character string such as $2y$10$...\n$hash = password_hash($password, PASSWORD_BCRYPT, ['cost' => 12]);\nif (!preg_match('/^\\$2[aby]\\$\\d{2}\\$[.\\/A-Za-z0-9]{53}$/', $hash)) {\n    throw new RuntimeException('unexpected hash format');\n}",
    ),
  (f, i) =>
    new FileBuilder(`ops/${i}/kubeconfig-eks.yaml`).add(
      `apiVersion: v1\nkind: Config\nclusters:\n- name: eks\n  cluster:\n    server: https://${f.hex(32).toUpperCase()}.gr7.eu-west-1.eks.amazonaws.com\nusers:\n- name: eks\n  user:\n    exec:\n      apiVersion: client.authentication.k8s.io/v1beta1\n      command: aws\n      args: ["eks", "get-token", "--cluster-name", "prod"]`,
    ),
  (f, i) =>
    new FileBuilder(`infra/${i}/network.tfstate`).add(
      `{\n  "version": 4,\n  "resources": [\n    {\n      "type": "tls_private_key",\n      "instances": [\n        {\n          "attributes": {\n            "algorithm": "ED25519",\n            "id": "${f.hex(40)}",\n            "public_key_fingerprint_md5": "${f.hex(32).replace(/(..)(?!$)/g, '$1:')}",\n            "public_key_openssh": "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI${f.b64(43)}\\n"\n          },\n          "sensitive_attributes": []\n        }\n      ]\n    },\n    {\n      "type": "aws_vpc",\n      "instances": [{ "attributes": { "arn": "arn:aws:ec2:eu-west-1:123456789012:vpc/vpc-${f.hex(17)}", "cidr_block": "10.0.0.0/16", "id": "vpc-${f.hex(17)}" } }]\n    }\n  ]\n}`,
    ),
  (_f, i) =>
    new FileBuilder(`wordpress${i}/wp-config-sample.php`).add(
      "<?php\ndefine( 'DB_NAME', 'database_name_here' );\ndefine( 'DB_USER', 'username_here' );\ndefine( 'DB_PASSWORD', 'password_here' );\ndefine( 'AUTH_KEY',         'put your unique phrase here' );\ndefine( 'SECURE_AUTH_KEY',  'put your unique phrase here' );\ndefine( 'NONCE_SALT',       'put your unique phrase here' );",
    ),
  (_f, i) =>
    new FileBuilder(`laravel${i}/.env.example`).add(
      'APP_NAME=Laravel\nAPP_ENV=local\nAPP_KEY=\nAPP_DEBUG=true\n\nDB_CONNECTION=mysql\nDB_HOST=mysql-db\nDB_PORT=3306\nDB_PASSWORD=\n\nAWS_SECRET_ACCESS_KEY=\nAWS_DEFAULT_REGION=us-east-1\nMAIL_PASSWORD=null',
    ),
  (f, i) =>
    new FileBuilder(`rails${i}/config/credentials.yml.enc`).add(
      `${f.b64(420)}--${f.b64(16)}--${f.b64(22)}==`,
    ),
  (_f, i) =>
    new FileBuilder(`django${i}/mysite/settings_prod.py`).add(
      "import os\n\nSECRET_KEY = os.environ['DJANGO_SECRET_KEY']\nDATABASES = {'default': {'ENGINE': 'django.db.backends.postgresql', 'PASSWORD': os.environ.get('DB_PASSWORD', '')}}",
    ),
  (_f, i) =>
    new FileBuilder(`site${i}/Web.Release.config`).add(
      '<configuration>\n  <system.web>\n    <machineKey validationKey="AutoGenerate,IsolateApps" decryptionKey="AutoGenerate,IsolateApps" validation="HMACSHA256" />\n  </system.web>\n  <appSettings>\n    <add key="SmtpPassword" value="#{SmtpPassword}#" />\n  </appSettings>\n</configuration>',
    ),
  (_f, i) =>
    new FileBuilder(`stack${i}/compose.prod.yml`).add(
      `services:\n  db:\n    image: postgres:16\n    environment:\n      POSTGRES_PASSWORD_FILE: /run/secrets/db_password\n      POSTGRES_PASSWORD: \${POSTGRES_PASSWORD:?set it}\n  mysql:\n    image: mysql:8\n    environment:\n      MYSQL_ALLOW_EMPTY_PASSWORD: "yes"\n      MYSQL_RANDOM_ROOT_PASSWORD: "yes"`,
    ),
  (_f, i) =>
    new FileBuilder(`svc${i}/db.go`).add(
      'func open() (*sql.DB, error) {\n\tdsn := fmt.Sprintf("%s:%s@tcp(%s)/%s", os.Getenv("DB_USER"), os.Getenv("DB_PASS"), host, name)\n\treturn sql.Open("mysql", dsn)\n}\n\nfunc conn(user, password string) (*sql.Conn, error) { return DriverManager.getConnection(url, user, password) }',
    ),
  (_f, i) =>
    new FileBuilder(`tools${i}/client.py`).add(
      'import os\nimport requests\n\nauth = (os.environ["API_USER"], os.environ["API_PASSWORD"])\nr = requests.get(url, auth=auth)\ncred = NetworkCredential(user, password)\nsmtp.login(settings.EMAIL_USER, settings.EMAIL_PASSWORD)',
    ),
  (_f, i) =>
    new FileBuilder(`home/n${i}/.zsh_history`).add(
      ': 1718000000:0;mysql -u root -p\n: 1718000010:0;mysql --help\n: 1718000020:0;psql -h localhost -U postgres\n: 1718000030:0;ssh -p 2222 git@host\n: 1718000040:0;docker login -u ci --password-stdin registry.example.com\n: 1718000050:0;grep -r password src/',
    ),
  (_f, i) =>
    new FileBuilder(`images/web${i}/Dockerfile`).add(
      'FROM python:3.12-slim\nARG DB_PASSWORD\nENV DB_PASSWORD_FILE /run/secrets/db_password\nENV PYTHONUNBUFFERED 1\nENV SECRET_KEY_BASE_DUMMY 1\nENV APP_HOME /srv/app\nWORKDIR $APP_HOME',
    ),
  (f, i) =>
    new FileBuilder(`auth${i}/jwks.json`).add(
      JSON.stringify(
        { keys: [{ kty: 'EC', crv: 'P-256', kid: `k${i}`, use: 'sig', x: f.b62(43), y: f.b62(43) }] },
        null,
        2,
      ),
    ),
  (f, i) => {
    const broken = f.hushToken('s').replace(/.$/, (c) => (c === 'A' ? 'B' : 'A'));
    const share = f.hushShare(f.hex(8), 2).replace(/-[0-9a-f]{8}$/, `-${f.hex(8)}`);
    const key = f.apiKey('acme').replace(/.$/, (c) => (c === 'A' ? 'B' : 'A'));
    return new FileBuilder(`hushdocs/${i}/notes.md`).add(
      `Token accessor: acc_${f.b62(32)}\nSecret id accessor: sid_${f.b62(32)}\nrole id: ${uuid(f)}\nimport token: imp_${f.hex(24)}\nmistyped token: ${broken}\nmistyped share: ${share}\nmistyped key: ${key}\nuser id: user_${f.b62(49)}\nexample: HUSH_TOKEN=hush_s_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx`,
    );
  },
  (f, i) =>
    new FileBuilder(`charts/app${i}/values.yaml`).add(
      `description: >-\n  The payments service settles card transactions nightly and keeps no card data.\nimage:\n  digest: sha256:${f.hex(64)}\nfilezilla:\n  logontype: 2\nrclone:\n  pass: ""\nwinscp:\n  Password: ""`,
    ),
];
