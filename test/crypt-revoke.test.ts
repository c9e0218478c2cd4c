import { execFileSync } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { useHushServer } from './support/hush-server.js';
import { describeNeeding, toolMissing } from './support/require-tool.js';
import { type HushRun, runHush } from './support/run-hush.js';
import { makeTempDir, removeTempDir } from './support/temp-dir.js';

// Revocation against a real server: the store-managed value rotates through its policy, the hand value is listed.
const missing = toolMissing('age-keygen', 'age', ['--version']);
const fx = useHushServer('crypt-revoke');

let dir: string;
let recipient: string;
const ageEnv = () => ({ SOPS_AGE_KEY_FILE: join(dir, 'key.txt'), HOME: dir });
const serverEnv = () => ({ HUSH_ADDR: fx.server.url, HUSH_TOKEN: fx.root, HOME: dir });
const hush = (args: string[], env: Record<string, string>, input?: string) =>
  runHush(args, { env, cwd: dir, ...(input !== undefined ? { input } : {}) });
function ok(run: HushRun): string {
  if (run.code !== 0) throw new Error(`exit ${run.code}; stderr: ${run.stderr}`);
  return run.stdout;
}

interface AuditLine {
  operation: string;
  outcome: string;
  path: string | null;
  details: Record<string, unknown>;
}
async function auditRecords(): Promise<AuditLine[]> {
  const text = await readFile(join(fx.dir, 'audit.jsonl'), 'utf8');
  return text
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as AuditLine);
}

describeNeeding(missing, 'hush crypt recipients remove rotates store-managed values', () => {
  beforeAll(async () => {
    dir = await makeTempDir('crypt-revoke');
    execFileSync('age-keygen', ['-o', join(dir, 'key.txt')], { stdio: 'ignore' });
    recipient = /age1\w+/.exec(await readFile(join(dir, 'key.txt'), 'utf8'))?.[0] as string;
  });
  afterAll(async () => removeTempDir(dir));

  it('rotates the store secret into the re-keyed file, lists the hand value, audits the operation', async () => {
    const env = serverEnv();
    ok(await hush(['transit', 'keys', 'create', 'revoke-set', '--type', 'aes256-gcm96'], env));
    ok(await hush(['put', 'shop/prod/db-password'], env, 'first-pw-1'));
    ok(
      await hush(
        [
          'rotate',
          'policy',
          'set',
          '--path',
          'shop/prod/db-password',
          '--interval',
          '30d',
          '--generate',
          'password',
        ],
        env,
      ),
    );
    const before = JSON.parse(ok(await hush(['--json', 'get', 'shop/prod/db-password'], env)));
    await writeFile(
      join(dir, '.hush-crypt.yaml'),
      [
        'creation_rules:',
        '  - path_regex: app\\.yaml$',
        `    age: ${recipient}`,
        '    hush_transit: revoke-set',
        'store_values:',
        '  - file: app.yaml',
        '    path: db.password',
        '    secret: shop/prod/db-password',
        '',
      ].join('\n'),
    );
    await writeFile(join(dir, 'app.yaml'), 'db:\n  password: first-pw-1\n  smtp: hand-made\n');
    ok(await hush(['crypt', 'encrypt', '-i', 'app.yaml'], env));
    expect(ok(await hush(['crypt', 'decrypt', 'app.yaml'], ageEnv()))).toContain('password: first-pw-1');

    const report = JSON.parse(
      ok(await hush(['--json', 'crypt', 'recipients', 'remove', '--age', recipient, 'app.yaml'], env)),
    );
    expect(report.rotated).toEqual([
      { file: 'app.yaml', path: 'db.password', secret: 'shop/prod/db-password', version: expect.any(Number) },
    ]);
    expect(report.rotated[0].version).toBeGreaterThan(before.version);
    expect(report.rotateByHand).toEqual([
      { file: 'app.yaml', path: 'db.smtp', reason: 'not managed by the Hush store' },
    ]);

    const after = JSON.parse(ok(await hush(['--json', 'get', 'shop/prod/db-password'], env)));
    expect(after.version).toBe(report.rotated[0].version);
    expect(after.value).not.toBe('first-pw-1');
    const plain = ok(await hush(['crypt', 'decrypt', 'app.yaml'], env));
    // Read as YAML: a rotated value with YAML-special characters (`{`, `:`) is written quoted, as it must be.
    expect(parseYaml(plain)).toEqual({ db: { password: after.value, smtp: 'hand-made' } });
    const revoked = await hush(['crypt', 'decrypt', 'app.yaml'], ageEnv());
    expect(revoked.code).toBe(5);
    expect(await readFile(join(dir, 'app.yaml'), 'utf8')).not.toContain(recipient);

    const records = (await auditRecords()).filter(
      (r) => r.operation === 'crypt.audit' && r.outcome !== 'requested',
    );
    expect(records.map((r) => [r.outcome, r.path, r.details])).toEqual([
      [
        'allowed',
        'sys/crypt',
        expect.objectContaining({
          cryptOperation: 'recipients.remove',
          files: ['app.yaml'],
          recipients: [recipient],
          rotated: ['shop/prod/db-password'],
          rotateByHand: 1,
        }),
      ],
    ]);
    const trail = await readFile(join(fx.dir, 'audit.jsonl'), 'utf8');
    for (const value of ['first-pw-1', after.value, 'hand-made']) expect(trail).not.toContain(value);
  });

  it('adding a recipient is audited too', async () => {
    ok(await hush(['crypt', 'recipients', 'add', '--age', recipient, 'app.yaml'], serverEnv()));
    const added = (await auditRecords()).filter(
      (r) =>
        r.operation === 'crypt.audit' &&
        r.outcome !== 'requested' &&
        r.details['cryptOperation'] === 'recipients.add',
    );
    expect(added.map((r) => r.details)).toEqual([
      expect.objectContaining({ files: ['app.yaml'], recipients: [recipient], rotated: [], rotateByHand: 0 }),
    ]);
    expect(ok(await hush(['crypt', 'decrypt', 'app.yaml'], ageEnv()))).toContain('smtp: hand-made');
  });

  it('without the audit grant a removal changes nothing: neither the files nor the store', async () => {
    // app.yaml (from the tests above) holds the store's current value; this token may rotate it, not audit.
    await writeFile(
      join(dir, 'no-audit.json'),
      JSON.stringify({
        name: 'no-audit',
        rules: [
          { path: 'shop/prod/db-password', capabilities: ['read', 'update', 'rotate'] },
          { path: 'transit/keys/revoke-set', capabilities: ['encrypt', 'decrypt'] },
        ],
      }),
    );
    ok(await hush(['policy', 'write', 'no-audit', 'no-audit.json'], serverEnv()));
    const token = JSON.parse(
      ok(await hush(['--json', 'token', 'create', '--policy', 'no-audit'], serverEnv())),
    ).token as string;
    const before = JSON.parse(ok(await hush(['--json', 'get', 'shop/prod/db-password'], serverEnv())));
    const file = await readFile(join(dir, 'app.yaml'), 'utf8');
    const env = { HUSH_ADDR: fx.server.url, HUSH_TOKEN: token, HOME: dir };
    const refused = await hush(['crypt', 'recipients', 'remove', '--age', recipient, 'app.yaml'], env);
    expect(refused.code).toBe(6);
    expect(await readFile(join(dir, 'app.yaml'), 'utf8')).toBe(file);
    const after = JSON.parse(ok(await hush(['--json', 'get', 'shop/prod/db-password'], serverEnv())));
    // The store used to be rotated first: the file then held a value the store no longer had.
    expect(after.version).toBe(before.version);
  });
});
