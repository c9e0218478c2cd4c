import { execFileSync } from 'node:child_process';
import { createCipheriv, createHash, randomBytes } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { decryptSops } from 'sops-age';
import { decryptScalar } from 'sops-decoder/build/decode.js';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { createDataKeys, encryptFiles, loadAgeIdentities, openFile } from '../src/crypt/index.js';
import { describeNeeding, toolMissing } from './support/require-tool.js';
import { makeTempDir, removeTempDir } from './support/temp-dir.js';

// Interop in both directions with parts Hush did not write: the sops-age and sops-decoder npm packages and the
// real age CLI (Debian `age`), and a file built here by hand from the SOPS format documentation.
const missing = toolMissing('age', 'age', ['--version']);

let dir: string;
let identity: string;
let recipient: string;
const ctx = async () => ({
  dataKeys: createDataKeys(
    await loadAgeIdentities({ SOPS_AGE_KEY_FILE: join(dir, 'key.txt'), HOME: dir }),
    undefined,
  ),
  now: () => new Date(),
  cwd: dir,
});

/**
 * A fresh SOPS data key wrapped for `recipient` by the real age CLI, and an encrypter of values under it written by
 * hand from the SOPS format documentation (32-byte IV, AAD = the value's path joined by ':' plus ':').
 */
async function handBuiltDataKey() {
  const key = randomBytes(32);
  const enc = (text: string, type: string, aad: string) => {
    const iv = randomBytes(32);
    const c = createCipheriv('aes-256-gcm', key, iv);
    c.setAAD(Buffer.from(aad));
    const data = Buffer.concat([c.update(text), c.final()]);
    return `ENC[AES256_GCM,data:${data.toString('base64')},iv:${iv.toString('base64')},tag:${c.getAuthTag().toString('base64')},type:${type}]`;
  };
  await writeFile(join(dir, 'datakey'), key);
  const armored = execFileSync('age', ['-r', recipient, '-a', join(dir, 'datakey')]).toString();
  return { enc, armored };
}

const FILES = {
  'app.yaml':
    'db:\n  password: s3cret # the password\n  port: 5432\n  ratio: 0.5\n  tls: true\nhosts:\n  - a.example\n  - b.example\n',
  'app.json': '{"api": {"token": "t0ken", "retries": 3}, "list": ["x", "y"]}',
  'app.env': '# comment\nAPI_KEY=abc123\nDB_URL=postgres://u:p@h/db\n',
};

describeNeeding(missing, 'hush crypt interop (sops-age, sops-decoder, age CLI, SOPS documentation)', () => {
  beforeAll(async () => {
    dir = await makeTempDir('crypt-interop');
    execFileSync('age-keygen', ['-o', join(dir, 'key.txt')], { stdio: 'ignore' });
    const keyText = await readFile(join(dir, 'key.txt'), 'utf8');
    identity = /AGE-SECRET-KEY-1\w+/.exec(keyText)?.[0] as string;
    recipient = /age1\w+/.exec(keyText)?.[0] as string;
    for (const [name, text] of Object.entries(FILES)) await writeFile(join(dir, name), text);
    const out = await encryptFiles(
      Object.keys(FILES).map((f) => join(dir, f)),
      { recipients: { age: [recipient], transit: [] } },
      await ctx(),
    );
    for (const o of out) await writeFile(`${o.file}.enc`, o.text);
  });
  afterAll(async () => removeTempDir(dir));

  it('sops-age opens Hush-written YAML, JSON and .env files with the age identity', async () => {
    const yaml = await decryptSops(await readFile(join(dir, 'app.yaml.enc'), 'utf8'), {
      secretKey: identity,
      fileType: 'yaml',
    });
    expect(yaml).toEqual({
      db: { password: 's3cret', port: 5432, ratio: 0.5, tls: true },
      hosts: ['a.example', 'b.example'],
    });
    const json = await decryptSops(await readFile(join(dir, 'app.json.enc'), 'utf8'), {
      secretKey: identity,
      fileType: 'json',
    });
    expect(json).toEqual({ api: { token: 't0ken', retries: 3 }, list: ['x', 'y'] });
    const env = await decryptSops(await readFile(join(dir, 'app.env.enc'), 'utf8'), {
      secretKey: identity,
      fileType: 'env',
    });
    expect(env).toEqual({ API_KEY: 'abc123', DB_URL: 'postgres://u:p@h/db' });
  });

  it('the age CLI unwraps the data key; sops-decoder decrypts each value and the MAC, which matches the SOPS rule', async () => {
    const doc = parseYaml(await readFile(join(dir, 'app.yaml.enc'), 'utf8'));
    await writeFile(join(dir, 'stanza.age'), doc.sops.age[0].enc);
    const key = execFileSync('age', ['-d', '-i', join(dir, 'key.txt'), join(dir, 'stanza.age')]);
    expect(key.length).toBe(32);
    const values = [
      decryptScalar(doc.db.password, key, 'db:password:'),
      decryptScalar(doc.db.port, key, 'db:port:'),
      decryptScalar(doc.db.ratio, key, 'db:ratio:'),
      decryptScalar(doc.db.tls, key, 'db:tls:'),
      ...doc.hosts.map((h: string) => decryptScalar(h, key, 'hosts:')),
    ];
    expect(values).toEqual(['s3cret', 5432, 0.5, true, 'a.example', 'b.example']);
    // SOPS: SHA-512 over every value in document order (booleans as True/False), upper-case hex, encrypted with
    // lastmodified as the additional data.
    const h = createHash('sha512');
    for (const v of values) h.update(typeof v === 'boolean' ? (v ? 'True' : 'False') : String(v));
    expect(decryptScalar(doc.sops.mac, key, doc.sops.lastmodified)).toBe(h.digest('hex').toUpperCase());
  });

  it('the files of one command are one set: the same wrapped data key in each', async () => {
    const read = (f: string) => readFile(join(dir, `${f}.enc`), 'utf8');
    const fromYaml = parseYaml(await read('app.yaml')).sops.age[0].enc;
    const fromJson = JSON.parse(await read('app.json')).sops.age[0].enc;
    const fromEnv = (/^sops_age__list_0__map_enc=(.*)$/m.exec(await read('app.env'))?.[1] ?? '').replaceAll(
      '\\n',
      '\n',
    );
    expect(fromJson).toBe(fromYaml);
    expect(fromEnv).toBe(fromYaml);
  });

  it('Hush opens a file built from the SOPS documentation, its data key wrapped by the age CLI', async () => {
    // The README's example document, encrypted by hand per the format: 32-byte IV, AAD = path joined by ':' plus ':'.
    const { enc, armored } = await handBuiltDataKey();
    const lastmodified = '2024-05-01T10:00:00Z';
    const mac = createHash('sha512')
      .update('t00m4nyg3h2')
      .update('1234')
      .update('True')
      .update('bar')
      .digest('hex')
      .toUpperCase();
    const file = [
      `myapp1: ${enc('t00m4nyg3h2', 'str', 'myapp1:')}`,
      'app2:',
      `    db_port: ${enc('1234', 'int', 'app2:db_port:')}`,
      `    enabled: ${enc('true', 'bool', 'app2:enabled:')}`,
      'an_array:',
      `    - ${enc('bar', 'str', 'an_array:')}`,
      'sops:',
      '    kms: []',
      '    age:',
      `        - recipient: ${recipient}`,
      '          enc: |',
      ...armored
        .trimEnd()
        .split('\n')
        .map((l) => `            ${l}`),
      `    lastmodified: "${lastmodified}"`,
      `    mac: ${enc(mac, 'str', lastmodified)}`,
      '    pgp: []',
      '    unencrypted_suffix: _unencrypted',
      '    version: 3.8.1',
      '',
    ].join('\n');
    await writeFile(join(dir, 'doc.yaml'), file);
    const opened = await openFile(join(dir, 'doc.yaml'), undefined, await ctx());
    expect(parseYaml(opened.doc.text)).toEqual({
      myapp1: 't00m4nyg3h2',
      app2: { db_port: 1234, enabled: true },
      an_array: ['bar'],
    });
  });

  it('Hush opens a hand-built SOPS .env file (metadata as sops_ lines, newlines as \\n)', async () => {
    const { enc, armored } = await handBuiltDataKey();
    const lastmodified = '2024-05-01T10:00:00Z';
    const mac = createHash('sha512').update('hunter2').update('prod').digest('hex').toUpperCase();
    const file = [
      '# comment',
      `DB_PASSWORD=${enc('hunter2', 'str', 'DB_PASSWORD:')}`,
      `STAGE=${enc('prod', 'str', 'STAGE:')}`,
      `sops_age__list_0__map_enc=${armored.replaceAll('\n', '\\n')}`,
      `sops_age__list_0__map_recipient=${recipient}`,
      `sops_lastmodified=${lastmodified}`,
      `sops_mac=${enc(mac, 'str', lastmodified)}`,
      'sops_unencrypted_suffix=_unencrypted',
      'sops_version=3.8.1',
      '',
    ].join('\n');
    await writeFile(join(dir, 'hand.env'), file);
    const opened = await openFile(join(dir, 'hand.env'), undefined, await ctx());
    expect(opened.doc.text).toBe('# comment\nDB_PASSWORD=hunter2\nSTAGE=prod\n');
  });

  it('Hush opens a hand-built SOPS JSON file whose integer-like keys are not in JSON.parse order', async () => {
    // SOPS walks keys as written; JSON.parse would move "10" and "2" first and the MAC would not match.
    const { enc, armored } = await handBuiltDataKey();
    const lastmodified = '2024-05-01T10:00:00Z';
    const mac = createHash('sha512')
      .update('x')
      .update('ten')
      .update('two')
      .update('1')
      .digest('hex')
      .toUpperCase();
    const file = {
      name: enc('x', 'str', 'name:'),
      '10': enc('ten', 'str', '10:'),
      '2': { b: enc('two', 'str', '2:b:'), '1': enc('1', 'int', '2:1:') },
    };
    // Written by hand in this order (a JS object literal would put "2" and "10" first).
    const text = [
      '{',
      `    "name": "${file.name}",`,
      `    "10": "${file['10']}",`,
      `    "2": {"b": "${file['2'].b}", "1": "${file['2']['1']}"},`,
      `    "sops": {"age": [{"recipient": "${recipient}", "enc": ${JSON.stringify(armored)}}],`,
      `        "lastmodified": "${lastmodified}", "mac": "${enc(mac, 'str', lastmodified)}",`,
      '        "unencrypted_suffix": "_unencrypted", "version": "3.8.1"}',
      '}',
      '',
    ].join('\n');
    await writeFile(join(dir, 'ordered.json'), text);
    const opened = await openFile(join(dir, 'ordered.json'), undefined, await ctx());
    expect(opened.doc.text).toBe(
      '{\n    "name": "x",\n    "10": "ten",\n    "2": {\n        "b": "two",\n        "1": 1\n    }\n}\n',
    );
    // And Hush writes it back in the same order, so SOPS's MAC over it still holds.
    await writeFile(join(dir, 'ordered.plain.json'), opened.doc.text);
    const [out] = await encryptFiles(
      [join(dir, 'ordered.plain.json')],
      { recipients: { age: [recipient], transit: [] } },
      await ctx(),
    );
    const written = out?.text ?? '';
    expect(written.indexOf('"name"')).toBeLessThan(written.indexOf('"10"'));
    expect(written.indexOf('"10"')).toBeLessThan(written.indexOf('"2"'));
    await writeFile(join(dir, 'ordered.again.json'), written);
    expect((await openFile(join(dir, 'ordered.again.json'), undefined, await ctx())).doc.text).toBe(
      opened.doc.text,
    );
  });
});
