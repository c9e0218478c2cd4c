import { writeFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { Command } from 'commander';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { registerAccess } from '../src/cli/commands/access.js';
import { registerPolicy } from '../src/cli/commands/policy.js';
import { registerToken } from '../src/cli/commands/token.js';
import { HushError } from '../src/core/errors/hush-error.js';
import { makeIdentityEnv } from './identity-support.js';

type Env = Awaited<ReturnType<typeof makeIdentityEnv>>;
let env: Env;
let addr: string;
const saved = { addr: process.env['HUSH_ADDR'], token: process.env['HUSH_TOKEN'] };

beforeEach(async () => {
  env = await makeIdentityEnv();
  await env.app.listen({ host: '127.0.0.1', port: 0 });
  addr = `http://127.0.0.1:${(env.app.server.address() as AddressInfo).port}`;
  process.env['HUSH_ADDR'] = addr;
  process.env['HUSH_TOKEN'] = env.rootToken;
});
afterEach(async () => {
  for (const [k, v] of [
    ['HUSH_ADDR', saved.addr],
    ['HUSH_TOKEN', saved.token],
  ] as const) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
  await env.cleanup();
});

/** Run the remote commands in-process over real HTTP; returns what they printed on stdout. */
async function hush(...args: string[]): Promise<string> {
  const program = new Command('hush').option('--json').enablePositionalOptions().exitOverride();
  registerToken(program);
  registerPolicy(program);
  registerAccess(program);
  let out = '';
  const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    out += String(chunk);
    return true;
  });
  try {
    await program.parseAsync(['node', 'hush', ...args]);
  } finally {
    spy.mockRestore();
  }
  return out;
}

describe('remote CLI: token, policy, access', () => {
  it('token create prints the new token once with a notice; lookup never prints a token', async () => {
    const created = JSON.parse(
      await hush(
        '--json',
        'token',
        'create',
        '--policy',
        'a',
        '--policy',
        'b',
        '--ttl',
        '1h',
        '--uses',
        '4',
        '--display-name',
        'ci',
      ),
    );
    expect(created.token).toMatch(/^hush_s_/);
    expect(created.notice).toMatch(/shown only now/);
    expect(created.auth).toMatchObject({ policies: ['a', 'b'], usesRemaining: 4, displayName: 'ci' });
    const human = await hush('token', 'lookup', '--accessor', created.auth.accessor);
    expect(human).toContain(created.auth.accessor);
    expect(human).not.toContain('hush_');
    process.env['HUSH_TOKEN'] = created.token;
    const self = JSON.parse(await hush('--json', 'token', 'lookup'));
    expect(self.usesRemaining).toBe(3);
    expect(JSON.stringify(self)).not.toContain(created.token);
    expect(await hush('token', 'renew', '--increment', '30m')).toMatch(/^renewed acc_/);
    expect(await hush('token', 'revoke')).toMatch(/revoked 1 token/);
    await expect(hush('token', 'lookup')).rejects.toMatchObject({ code: 'HUSH_E_UNAUTHENTICATED' });
  });

  it('policy write/read/list/explain/delete and access who-can', async () => {
    const file = join(env.dir, 'payments.yaml');
    await writeFile(
      file,
      'rules:\n  - path: payments/**\n    capabilities: [read, list]\n  - path: payments/prod/db/root\n    capabilities: [deny]\n',
    );
    expect(await hush('policy', 'write', 'payments-read', file)).toMatch(
      /wrote policy "payments-read" \(2 rules\)/,
    );
    expect(await hush('policy', 'read', 'payments-read')).toContain('payments/prod/db/root');
    expect((await hush('policy', 'list')).trim().split('\n')).toEqual(['payments-read', 'root']);
    const t = JSON.parse(await hush('--json', 'token', 'create', '--policy', 'payments-read'));
    const explained = await hush(
      'policy',
      'explain',
      '--accessor',
      t.auth.accessor,
      'payments/prod/db/root',
      'read',
    );
    expect(explained.split('\n')[0]).toMatch(/^denied: rule 1 of policy "payments-read"/);
    expect(explained).toContain('rule 0 of policy "payments-read" (path "payments/**") grants "read"');
    const byToken = JSON.parse(
      await hush('--json', 'policy', 'explain', '--token', t.token, 'payments/prod/x', 'read'),
    );
    expect(byToken.decision.allowed).toBe(true);
    const who = await hush('access', 'who-can', 'read', 'payments/prod/db/password');
    expect(who).toContain(t.auth.accessor);
    expect(who).toContain('rule 0 of policy "payments-read" (payments/**)');
    expect(await hush('policy', 'delete', 'payments-read')).toMatch(/deleted/);
    await expect(hush('policy', 'read', 'payments-read')).rejects.toMatchObject({ code: 'HUSH_E_NOT_FOUND' });
  });

  it('coded errors: missing HUSH_ADDR, unreachable server, bad policy file, 403 passed through', async () => {
    delete process.env['HUSH_ADDR'];
    await expect(hush('policy', 'list')).rejects.toThrow(/set HUSH_ADDR/);
    process.env['HUSH_ADDR'] = 'http://127.0.0.1:1';
    const err = await hush('policy', 'list').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(HushError);
    expect((err as HushError).message).toMatch(/cannot reach the Hush server at http:\/\/127\.0\.0\.1:1/);
    process.env['HUSH_ADDR'] = addr;
    const bad = join(env.dir, 'bad.yaml');
    await writeFile(bad, 'rules: [\n');
    await expect(hush('policy', 'write', 'x', bad)).rejects.toMatchObject({ code: 'HUSH_E_INVALID_INPUT' });
    const t = JSON.parse(await hush('--json', 'token', 'create', '--policy', 'none'));
    process.env['HUSH_TOKEN'] = t.token;
    await expect(hush('policy', 'list')).rejects.toMatchObject({ code: 'HUSH_E_FORBIDDEN' });
  });
});
