import { FileBuilder } from './file-builder.js';

const H = 'password-hashes';
const C = 'credential-files';
const USERS = ['alice', 'bob', 'carol', 'dave', 'erin', 'frank', 'grace', 'heidi'];

/** Credential stores holding password hashes, as the tools that write them lay them out. */
export const HASH_FILES = [
  (f, i) => {
    const b = new FileBuilder(`srv/site${i}/.htpasswd`);
    for (const [k, kind] of ['apr1', 'bcrypt', 'htpasswdSha', 'apr1'].entries()) {
      const hash = f.hash(kind);
      b.secret(`${USERS[(i + k) % 8]}:${hash}`, H, `htpasswd-${kind}`, hash);
    }
    return b;
  },
  (f, i) => {
    const b = new FileBuilder(`backup/host${i}/etc/shadow`)
      .add('daemon:*:19700:0:99999:7:::\nbin:*:19700:0:99999:7:::\nsys:*:19700:0:99999:7:::')
      .add('www-data:*:19700:0:99999:7:::\nnobody:*:19700:0:99999:7:::\nsshd:!:19701::::::');
    const root = f.hash('sha512crypt');
    b.secret(`root:${root}:19710:0:99999:7:::`, H, 'shadow-sha512', root);
    const user = f.hash(i % 2 ? 'yescrypt' : 'sha256crypt');
    b.secret(`${USERS[i % 8]}:${user}:19720:0:99999:7:::`, H, 'shadow-user', user);
    b.add('postgres:!:19730::::::\nsystemd-network:!*:19700::::::');
    const old = f.hash('md5crypt');
    return b.secret(`legacy:${old}:17000:0:99999:7:::`, H, 'shadow-md5', old);
  },
  (f, i) => {
    const hashes = [f.hash('bcrypt'), f.hash('bcrypt'), f.hash('argon2id')];
    const rows = hashes.map(
      (h, k) =>
        `(${k + 1},'${USERS[(i + k) % 8]}','${USERS[(i + k) % 8]}@example.org','${h.replace(/\$/g, '$')}','2024-0${k + 1}-12 10:00:00')`,
    );
    return new FileBuilder(`db/dumps/shop-${i}.sql`)
      .add(
        '-- MySQL dump 10.13  Distrib 8.0.36, for Linux (x86_64)\n--\n-- Host: localhost    Database: shop',
      )
      .add('DROP TABLE IF EXISTS `users`;\nCREATE TABLE `users` (\n  `id` int NOT NULL AUTO_INCREMENT,')
      .add(
        '  `name` varchar(64) NOT NULL,\n  `email` varchar(255) NOT NULL,\n  `password` varchar(255) NOT NULL,',
      )
      .add(
        '  `created_at` datetime NOT NULL,\n  PRIMARY KEY (`id`)\n) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;',
      )
      .add('LOCK TABLES `users` WRITE;\n/*!40000 ALTER TABLE `users` DISABLE KEYS */;')
      .secret(`INSERT INTO \`users\` VALUES ${rows.join(',')};`, H, 'mysqldump-rows', hashes[0])
      .add('/*!40000 ALTER TABLE `users` ENABLE KEYS */;\nUNLOCK TABLES;');
  },
  (f, i) => {
    const b = new FileBuilder(`db/dumps/app-${i}.pgdump.sql`)
      .add("--\n-- PostgreSQL database dump\n--\n\nSET statement_timeout = 0;\nSET client_encoding = 'UTF8';")
      .add(
        'COPY public.auth_user (id, password, last_login, is_superuser, username, first_name, last_name, email, is_staff, is_active, date_joined) FROM stdin;',
      );
    const kinds = ['djangoPbkdf2', 'djangoArgon2', 'djangoBcrypt', 'djangoScrypt'];
    kinds.forEach((kind, k) => {
      const h = f.hash(kind);
      const u = USERS[(i + k) % 8];
      b.secret(
        `${k + 1}\t${h}\t2024-05-0${k + 1} 09:12:44.1+00\t${k === 0 ? 't' : 'f'}\t${u}\t\t\t${u}@example.org\t${k === 0 ? 't' : 'f'}\tt\t2023-11-0${k + 1} 08:00:00+00`,
        H,
        `pgdump-${kind}`,
        h,
      );
    });
    return b.add(
      '\\.\n\nCOPY public.django_site (id, domain, name) FROM stdin;\n1\texample.com\texample.com\n\\.',
    );
  },
  (f, i) => {
    const h = f.hash('werkzeugPbkdf2');
    const h2 = f.hash('bcrypt');
    return new FileBuilder(`instance/${i}/app.sqlite.sql`)
      .add('PRAGMA foreign_keys=OFF;\nBEGIN TRANSACTION;')
      .add(
        'CREATE TABLE user (id INTEGER NOT NULL, username VARCHAR(80), password_hash VARCHAR(200), PRIMARY KEY (id));',
      )
      .secret(`INSERT INTO user VALUES(1,'admin','${h}');`, H, 'sqlite-werkzeug', h)
      .secret(`INSERT INTO user VALUES(2,'${USERS[i % 8]}','${h2}');`, H, 'sqlite-bcrypt', h2)
      .add('COMMIT;');
  },
  (f, i) => {
    const h = f.hash('djangoPbkdf2');
    return new FileBuilder(`fixtures/${i}/users.json`)
      .add(`[\n  {\n    "model": "auth.user",\n    "pk": ${i + 1},\n    "fields": {`)
      .secret(`      "password": "${h}",`, H, 'django-fixture', h)
      .add(
        '      "last_login": null,\n      "is_superuser": true,\n      "username": "admin"\n    }\n  }\n]',
      );
  },
];

/** Credential files of common tools, in each tool's own format. */
export const TOOL_FILES = [
  (f, i) => {
    const pw = f.password();
    const enc = Buffer.from(pw).toString('base64');
    return new FileBuilder(`home/ops${i}/.config/filezilla/sitemanager.xml`)
      .add(
        '<?xml version="1.0" encoding="UTF-8" standalone="yes" ?>\n<FileZilla3 version="3.66.4" platform="windows">',
      )
      .add(
        `  <Servers>\n    <Server>\n      <Host>ftp${i}.example.net</Host>\n      <Port>21</Port>\n      <Protocol>0</Protocol>`,
      )
      .add('      <Type>0</Type>\n      <User>webmaster</User>')
      .secret(`      <Pass encoding="base64">${enc}</Pass>`, C, 'filezilla', enc)
      .add(
        '      <Logontype>1</Logontype>\n      <Name>prod ftp</Name>\n    </Server>\n  </Servers>\n</FileZilla3>',
      );
  },
  (f, i) => {
    const host = `sftp${i}.example.net`;
    const enc = f.winscp('deploy', host, f.password());
    return new FileBuilder(`home/ops${i}/AppData/Roaming/WinSCP.ini`)
      .add(`[Configuration\\Interface]\nRandomSeedFile=%APPDATA%\\winscp.rnd\n\n[Sessions\\deploy@${host}]`)
      .add(`HostName=${host}\nUserName=deploy\nFSProtocol=2`)
      .secret(`Password=${enc}`, C, 'winscp', enc)
      .add('PingType=2\nColor=32768');
  },
  (f, i) => {
    const enc = f.rclone(f.password());
    const sk = f.b64(40);
    return new FileBuilder(`home/ops${i}/.config/rclone/rclone.conf`)
      .add(`[backup-sftp]\ntype = sftp\nhost = nas${i}.lan\nuser = backup\nport = 22`)
      .secret(`pass = ${enc}`, C, 'rclone-pass', enc)
      .add('shell_type = unix\nmd5sum_command = md5sum\n\n[s3]\ntype = s3\nprovider = AWS')
      .secret(`access_key_id = ${f.awsKeyId()}`, 'cloud', 'rclone-s3-key-id', 'AKIA')
      .secret(`secret_access_key = ${sk}`, C, 'rclone-s3', sk)
      .add('region = eu-central-1\nacl = private');
  },
  (f, i) => {
    const enc = f.jetbrains(f.password());
    return new FileBuilder(`proj${i}/.idea/webServers.xml`)
      .add(
        '<?xml version="1.0" encoding="UTF-8"?>\n<project version="4">\n  <component name="WebServers">\n    <option name="servers">',
      )
      .add(
        `      <webServer id="${f.hex(8)}-${f.hex(4)}" name="staging" url="https://staging${i}.example.com">`,
      )
      .secret(
        `        <fileTransfer host="staging${i}.example.com" port="21" accessType="FTP" login="deploy" password="${enc}" />`,
        C,
        'jetbrains-webserver',
        enc,
      )
      .add('      </webServer>\n    </option>\n  </component>\n</project>');
  },
  (f, i) => {
    const pw = f.password();
    return new FileBuilder(`proj${i}/.idea/dataSources.xml`)
      .add(
        '<?xml version="1.0" encoding="UTF-8"?>\n<project version="4">\n  <component name="DataSourceManagerImpl" format="xml" multifile-model="true">',
      )
      .add(
        `    <data-source source="LOCAL" name="prod@db${i}" uuid="${f.hex(8)}-${f.hex(4)}-4${f.hex(3)}-a${f.hex(3)}-${f.hex(12)}">\n      <driver-ref>postgresql</driver-ref>`,
      )
      .secret(
        `      <jdbc-url>jdbc:postgresql://db${i}.internal:5432/app?user=app&amp;password=${encodeURIComponent(pw)}</jdbc-url>`,
        C,
        'jetbrains-datasource',
        encodeURIComponent(pw),
      )
      .add(
        '      <working-dir>$ProjectFileDir$</working-dir>\n    </data-source>\n  </component>\n</project>',
      );
  },
  (f, i) => {
    const pw = f.password();
    return new FileBuilder(`site${i}/sftp-config.json`)
      .add(
        '{\n    // The tab key will cycle through the settings when first created\n    "type": "sftp",\n    "save_before_upload": true,\n    "upload_on_save": false,',
      )
      .add(`    "host": "www${i}.example.com",\n    "user": "deploy",`)
      .secret(`    "password": "${pw}",`, C, 'sublime-sftp', pw)
      .add('    "remote_path": "/var/www/html/",\n    "connect_timeout": 30\n}');
  },
  (f, i) => {
    const pw = f.password();
    return new FileBuilder(`site${i}/.vscode/sftp.json`)
      .add(
        `{\n  "name": "prod",\n  "host": "web${i}.example.com",\n  "protocol": "sftp",\n  "port": 22,\n  "username": "www",`,
      )
      .secret(`  "password": "${pw}",`, C, 'vscode-sftp', pw)
      .add('  "remotePath": "/srv/www",\n  "uploadOnSave": true\n}');
  },
  (f, i) => {
    const pw = f.password();
    const tok = `glpat-${f.b62(20)}`;
    return new FileBuilder(`home/ops${i}/.git-credentials`)
      .secret(`https://oauth2:${tok}@gitlab.example.com`, C, 'git-credentials-gitlab', tok)
      .secret(
        `https://builder:${encodeURIComponent(pw)}@git.internal.example.net`,
        C,
        'git-credentials',
        encodeURIComponent(pw),
      );
  },
  (f, i) => {
    const a = f.password();
    const b = f.password();
    return new FileBuilder(`home/ops${i}/.pgpass`)
      .secret(`db${i}.internal:5432:app:app_rw:${a}`, C, 'pgpass', a)
      .secret(`*:*:*:replicator:${b}`, C, 'pgpass-wild', b);
  },
  (f, i) => {
    const pw = f.password();
    return new FileBuilder(`home/ops${i}/.my.cnf`)
      .add('[client]\nuser=root')
      .secret(`password="${pw}"`, C, 'my-cnf', pw)
      .add(`host=mysql${i}.internal\n\n[mysqldump]\nsingle-transaction`);
  },
  (f, i) => {
    const pw = f.password();
    const hk = `${f.hex(8)}-${f.hex(4)}-4${f.hex(3)}-a${f.hex(3)}-${f.hex(12)}`;
    return new FileBuilder(`home/ops${i}/.netrc`)
      .add('machine api.heroku.com\n  login ops@example.com')
      .secret(`  password ${hk}`, C, 'netrc-heroku', hk)
      .secret(`machine ftp${i}.example.net login mirror password ${pw}`, C, 'netrc-inline', pw);
  },
  (f, i) => {
    const sk = f.b64(40);
    return new FileBuilder(`home/ops${i}/.s3cfg`)
      .add('[default]')
      .secret(`access_key = ${f.awsKeyId()}`, 'cloud', 's3cfg-key-id', 'AKIA')
      .add(
        'access_token = \nadd_encoding_exts = \nbucket_location = US\nca_certs_file = \ngpg_passphrase = \nhost_base = s3.amazonaws.com',
      )
      .secret(`secret_key = ${sk}`, C, 's3cfg', sk)
      .add('signature_v2 = False\nuse_https = True');
  },
  (f, i) => {
    const pw = f.password();
    return new FileBuilder(`home/ops${i}/.pypirc`)
      .add(
        '[distutils]\nindex-servers =\n    internal\n\n[internal]\nrepository = https://pypi.internal.example.com/simple/\nusername = deploy',
      )
      .secret(`password = ${pw}`, C, 'pypirc', pw);
  },
  (f, i) => {
    const pw = f.password();
    return new FileBuilder(`home/ops${i}/.m2/settings.xml`)
      .add(
        '<settings xmlns="http://maven.apache.org/SETTINGS/1.0.0">\n  <servers>\n    <server>\n      <id>nexus-releases</id>\n      <username>deployment</username>',
      )
      .secret(`      <password>${pw}</password>`, C, 'maven-settings', pw)
      .add('    </server>\n  </servers>\n</settings>');
  },
  (f, i) => {
    const pw = f.password();
    const sign = f.password();
    return new FileBuilder(`home/ops${i}/.gradle/gradle.properties`)
      .add('org.gradle.jvmargs=-Xmx2g\nnexusUsername=ci-publisher')
      .secret(`nexusPassword=${pw}`, C, 'gradle-nexus', pw)
      .add(`signing.keyId=${f.hex(8).toUpperCase()}`)
      .secret(`signing.password=${sign}`, C, 'gradle-signing', sign)
      .add('signing.secretKeyRingFile=/home/ci/.gnupg/secring.gpg');
  },
  (f, i) => {
    const pw = f.hex(40);
    return new FileBuilder(`app${i}/auth.json`)
      .add('{\n    "http-basic": {\n        "repo.packagist.com": {\n            "username": "token",')
      .secret(`            "password": "${pw}"`, C, 'composer-http-basic', pw)
      .add('        }\n    }\n}');
  },
  (f, i) => {
    const tok = f.b62(40);
    return new FileBuilder(`home/ops${i}/.composer/auth.json`)
      .add('{\n    "bearer": {')
      .secret(`        "packages.example.org": "${tok}"`, C, 'composer-bearer', tok)
      .add('    }\n}');
  },
];
