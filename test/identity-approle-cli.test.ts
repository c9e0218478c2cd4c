import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { api, useHushServer } from './support/hush-server.js';
import { type HushRun, runHush } from './support/run-hush.js';

// The JWT role below names a loopback key URL, which a server fetches only when the admin allows it.
const fx = useHushServer('approle-cli', { env: { HUSH_OUTBOUND_ALLOW: '127.0.0.1:9' } });

function hush(...args: string[]): Promise<HushRun> {
  return runHush(args, { env: { HUSH_ADDR: fx.server.url, HUSH_TOKEN: fx.root } });
}
function ok(run: HushRun): string {
  if (run.code !== 0) throw new Error(`exit ${run.code}; stderr: ${run.stderr}`);
  return run.stdout;
}
const login = (roleId: string, secretId: string) =>
  api(fx.server, undefined, 'POST', '/v1/auth/approle/login', { roleId, secretId });

describe('hush approle and hush jwt role against a real server', () => {
  it('a leaked secret id: incident revoke of the AppRole identity stops it logging in again', async () => {
    ok(await hush('approle', 'role', 'write', 'payments', '--policy', 'pay-read', '--secret-id-uses', '0'));
    const roleId = ok(await hush('approle', 'role', 'role-id', 'payments')).trim();
    const issued = JSON.parse(ok(await hush('--json', 'approle', 'secret-id', 'create', 'payments')));
    expect(issued.accessor).toMatch(/^sid_/);
    expect((await login(roleId, issued.secretId)).status).toBe(200);

    const revoked = JSON.parse(
      ok(await hush('--json', 'incident', 'revoke', '--identity', 'approle:payments')),
    );
    expect(revoked.tokensRevoked).toHaveLength(1);
    expect(revoked.secretIdsRevoked).toEqual([issued.accessor]);
    // The hole: the same secret id logged in again after the incident revoke.
    const again = await login(roleId, issued.secretId);
    expect(again.status).toBe(401);
    expect(again.text).toMatch(/secret id was revoked/);
  });

  it('role write/read/list/delete and secret-id create/list/revoke, with no curl', async () => {
    const wrote = ok(
      await hush(
        'approle',
        'role',
        'write',
        'ci',
        '--policy',
        'deploy',
        '--secret-id-ttl',
        '7d',
        '--cidr',
        '127.0.0.1',
      ),
    );
    expect(wrote).toMatch(/secret id ttl\s+7d/);
    expect(ok(await hush('approle', 'role', 'read', 'ci'))).toMatch(/cidrs\s+127\.0\.0\.1/);
    expect(
      ok(await hush('approle', 'role', 'list'))
        .trim()
        .split('\n'),
    ).toContain('ci');

    const roleId = ok(await hush('approle', 'role', 'role-id', 'ci')).trim();
    const human = ok(await hush('approle', 'secret-id', 'create', 'ci'));
    expect(human).toMatch(/shown only now/);
    const secretId = /secret id\s+(\S+)/.exec(human)?.[1] ?? '';
    const accessor = /accessor\s+(sid_\S+)/.exec(human)?.[1] ?? '';
    expect((await login(roleId, secretId)).status).toBe(200);

    const listed = ok(await hush('approle', 'secret-id', 'list', 'ci'));
    expect(listed).toContain(accessor);
    expect(listed).not.toContain(secretId);
    ok(await hush('approle', 'secret-id', 'revoke', 'ci', accessor));
    expect((await login(roleId, secretId)).status).toBe(401);
    expect(ok(await hush('approle', 'secret-id', 'list', 'ci'))).toMatch(/no live secret ids/);

    const second = JSON.parse(ok(await hush('--json', 'approle', 'secret-id', 'create', 'ci')));
    ok(await hush('approle', 'secret-id', 'revoke', 'ci', second.accessor, '--destroy'));
    expect((await login(roleId, second.secretId)).status).toBe(401);

    const third = JSON.parse(ok(await hush('--json', 'approle', 'secret-id', 'create', 'ci')));
    expect(ok(await hush('approle', 'role', 'delete', 'ci'))).toMatch(
      /hush incident revoke --identity approle:ci/,
    );
    expect((await login(roleId, third.secretId)).status).toBe(401);
    const gone = await hush('approle', 'role', 'read', 'ci');
    expect(gone.code).not.toBe(0);
    expect(gone.stderr).toMatch(/no AppRole role named "ci"; create it with hush approle role write ci/);
  });

  it('jwt role write (from a YAML file) / read / list / delete', async () => {
    const file = join(fx.dir, 'gh.yaml');
    await writeFile(
      file,
      [
        'jwksUrl: http://127.0.0.1:9/jwks',
        'boundIssuer: https://token.actions.githubusercontent.com',
        'boundAudiences: [hush]',
        'boundClaims: { repository: "acme/*" }',
        'policies: [deploy]',
        'tokenTtl: 15m',
      ].join('\n'),
    );
    expect(ok(await hush('jwt', 'role', 'write', 'gh', file))).toMatch(/wrote JWT role "gh"/);
    const read = JSON.parse(ok(await hush('--json', 'jwt', 'role', 'read', 'gh')));
    expect(read).toMatchObject({ name: 'gh', keys: 'jwksUrl', tokenTtlSeconds: 900, policies: ['deploy'] });
    expect(
      ok(await hush('jwt', 'role', 'list'))
        .trim()
        .split('\n'),
    ).toEqual(['gh']);
    const bad = await hush('jwt', 'role', 'write', 'bad', join(fx.dir, 'missing.yaml'));
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toMatch(/cannot read JWT role file/);
    ok(await hush('jwt', 'role', 'delete', 'gh'));
    expect(ok(await hush('jwt', 'role', 'list')).trim()).toBe('');
  });
});
