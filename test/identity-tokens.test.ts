import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { HushError } from '../src/core/errors/hush-error.js';
import { createIdentity } from '../src/identity/index.js';
import { KeyFileSeal } from '../src/seal/key-file/key-file-seal.js';
import { createRotateRoot } from '../src/store/seal/rotate-root.js';
import { makeIdentityEnv } from './identity-support.js';
import { rejection } from './support/rejection.js';

type Env = Awaited<ReturnType<typeof makeIdentityEnv>>;
let env: Env;
beforeEach(async () => {
  env = await makeIdentityEnv();
});
afterEach(async () => env.cleanup());

async function code(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (err) {
    if (err instanceof HushError) return `${err.code}: ${err.message}`;
    throw err;
  }
  return 'ok';
}

describe('token service', () => {
  it('authenticates the root token, which holds the root policy and never expires', async () => {
    const { tokens } = env.services;
    const root = await tokens.authenticate(env.rootToken);
    expect(root.policies).toEqual(['root']);
    expect(root.expiresAt).toBeNull();
    expect(env.rootToken).toMatch(/^hush_s_/);
  });

  it('rejects malformed, unknown and empty tokens with reasons that never quote the token', async () => {
    const { tokens } = env.services;
    const bad = `${env.rootToken.slice(0, -1)}${env.rootToken.endsWith('A') ? 'B' : 'A'}`;
    const m1 = await code(tokens.authenticate(bad));
    expect(m1).toMatch(/^HUSH_E_UNAUTHENTICATED: .*checksum/);
    expect(m1).not.toContain(bad.slice(7, 30));
    expect(await code(tokens.authenticate(undefined))).toMatch(/no token was presented/);
    const created = await tokens.create({ policies: ['a'] });
    await tokens.revoke({ accessor: created.view.accessor });
    const m2 = await code(tokens.authenticate(created.token));
    expect(m2).toMatch(/^HUSH_E_UNAUTHENTICATED: the token was revoked; /);
    expect(m2).not.toContain(created.token.slice(7));
  });

  it('enforces use limits atomically and revokes on the last use', async () => {
    const { tokens } = env.services;
    const { token, view } = await tokens.create({ policies: ['a'], numUses: 3 });
    expect(view.usesRemaining).toBe(3);
    // Five concurrent uses of a three-use token: exactly three succeed.
    const results = await Promise.allSettled([1, 2, 3, 4, 5].map(() => tokens.authenticate(token)));
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(3);
    expect(await code(tokens.authenticate(token))).toMatch(/HUSH_E_UNAUTHENTICATED/);
    expect(await code(tokens.lookup({ accessor: view.accessor }))).toMatch(/HUSH_E_NOT_FOUND/);
  });

  it('expires at its TTL; renew extends up to the max TTL and never beyond', async () => {
    const { tokens } = env.services;
    const { token, view } = await tokens.create({ policies: ['a'], ttlMs: 60_000, maxTtlMs: 150_000 });
    expect(view.ttlSeconds).toBe(60);
    env.time.advance(50_000);
    const renewed = await tokens.renew({ token }, 60_000);
    expect(Date.parse(renewed.expiresAt ?? '') - env.time.state.now).toBe(60_000);
    env.time.advance(50_000);
    const capped = await tokens.renew({ accessor: view.accessor }, 3_600_000);
    expect(capped.expiresAt).toBe(view.maxExpiresAt);
    env.time.advance(50_001);
    expect(await code(tokens.authenticate(token))).toMatch(/HUSH_E_UNAUTHENTICATED: the token expired at/);
  });

  it('caps child TTL at the parent lifetime and the system max TTL', async () => {
    const { tokens } = env.services;
    const parent = await tokens.create({ policies: ['a', 'b'], ttlMs: 60_000 });
    const parentRec = await tokens.authenticate(parent.token);
    const child = await tokens.create({ policies: ['a'], ttlMs: 3_600_000 }, parentRec);
    expect(child.view.expiresAt).toBe(parent.view.expiresAt);
    const long = await tokens.create({ ttlMs: 400 * 86_400_000 });
    expect(Date.parse(long.view.expiresAt ?? '') - env.time.state.now).toBe(32 * 86_400_000);
  });

  it('refuses a child policy the parent lacks (unless the parent holds root)', async () => {
    const { tokens } = env.services;
    const parent = await tokens.create({ policies: ['a'] });
    const rec = await tokens.authenticate(parent.token);
    expect(await code(tokens.create({ policies: ['a', 'b'] }, rec))).toMatch(
      /^HUSH_E_FORBIDDEN: .*remove "b"/,
    );
    const root = await tokens.authenticate(env.rootToken);
    const any = await tokens.create({ policies: ['anything'] }, root);
    expect(any.view.policies).toEqual(['anything']);
    expect(any.view.parentAccessor).toBe(root.accessor);
  });

  it('revoking a parent revokes the whole subtree, and only it', async () => {
    const { tokens } = env.services;
    const root = await tokens.authenticate(env.rootToken);
    const p = await tokens.create({ policies: ['a'] }, root);
    const c1 = await tokens.create({ policies: ['a'] }, await tokens.authenticate(p.token));
    const g1 = await tokens.create({ policies: ['a'] }, await tokens.authenticate(c1.token));
    const c2 = await tokens.create({ policies: ['a'] }, await tokens.authenticate(p.token));
    const sibling = await tokens.create({ policies: ['a'] }, root);
    const revoked = await tokens.revoke({ accessor: p.view.accessor });
    expect(revoked.sort()).toEqual([p, c1, g1, c2].map((t) => t.view.accessor).sort());
    for (const t of [p, c1, g1, c2])
      expect(await code(tokens.authenticate(t.token))).toMatch(/UNAUTHENTICATED/);
    expect((await tokens.authenticate(sibling.token)).accessor).toBe(sibling.view.accessor);
    expect((await tokens.authenticate(env.rootToken)).accessor).toBe(root.accessor);
    // No dangling index rows for the revoked tree.
    const keys = (await env.backend.list('auth/')).keys;
    for (const t of [p, c1, g1, c2]) expect(keys.some((k) => k.includes(t.view.accessor))).toBe(false);
  });

  it('a revoked token is told apart as revoked (whose, for the audit only) until its tombstone is swept', async () => {
    const { tokens } = env.services;
    const refusal = (token: string) => rejection(tokens.authenticate(token));
    const parent = await tokens.create({
      policies: ['a'],
      identity: 'user:amy',
      ttlMs: 3_600_000,
      maxTtlMs: 7_200_000,
    });
    const child = await tokens.create(
      { policies: ['a'], identity: 'approle:ci' },
      await tokens.authenticate(parent.token),
    );
    const bystander = await tokens.create({ policies: ['a'], identity: 'user:bo', ttlMs: 60_000 });
    // Renewable for 32 days (the default max TTL): remembered that long.
    const longLived = await tokens.create({ policies: ['a'], identity: 'user:cy' });
    await tokens.revoke({ accessor: parent.view.accessor });
    await tokens.revoke({ token: longLived.token });

    for (const [t, identity] of [
      [parent, 'user:amy'],
      [child, 'approle:ci'],
    ] as const) {
      const err = await refusal(t.token);
      expect(err.code).toBe('HUSH_E_UNAUTHENTICATED');
      expect(err.details).toEqual({ reason: 'token-revoked' });
      expect(err.message).toBe('the token was revoked; get a new one from whoever issued it');
      expect(err.auditSubject).toEqual({ identity, tokenAccessor: t.view.accessor });
      // The reply body carries the reason only: whose token it was is for the audit trail.
      const reply = JSON.stringify(err.toJSON());
      expect(reply).not.toContain(identity);
      expect(reply).not.toContain(t.view.accessor);
    }
    // A token that merely expired leaves no tombstone: expired on first use, unknown after its removal.
    env.time.advance(61_000);
    expect((await refusal(bystander.token)).details).toEqual({ reason: 'token-expired' });
    expect((await refusal(bystander.token)).details).toEqual({ reason: 'token-unknown' });

    // Remembered while the token could have lived and at least a day, then swept by the background job.
    env.time.advance(23 * 3_600_000);
    expect(await tokens.sweepRevoked()).toBe(0);
    expect((await refusal(parent.token)).details).toEqual({ reason: 'token-revoked' });
    env.time.advance(3_600_000);
    expect(await tokens.sweepRevoked()).toBe(2);
    expect((await env.backend.list('auth/token-revoked/')).keys).toHaveLength(1);
    for (const t of [parent, child]) {
      const err = await refusal(t.token);
      expect(err.details).toEqual({ reason: 'token-unknown' });
      expect(err.auditSubject).toBeUndefined();
    }
    expect((await refusal(longLived.token)).auditSubject?.identity).toBe('user:cy');
    // Tombstones are encrypted records like tokens: the identity never reached the file in the clear.
    expect(await env.fileBytes()).not.toContain('approle:ci');
  });

  it('a child created while its parent is being revoked never outlives it', async () => {
    const { tokens } = env.services;
    for (let round = 0; round < 6; round++) {
      const parent = await tokens.create({ policies: ['a'] });
      const rec = await tokens.authenticate(parent.token);
      // Existing children make the revocation walk (and its window) longer; new ones race it from every side.
      for (let i = 0; i < 4; i++) await tokens.create({ policies: ['a'] }, rec);
      // Storage calls here finish within microtasks, so stagger the creates by microtask hops to land inside the
      // revocation's walk (between reading the children and deleting the tree).
      const hops = async (n: number) => {
        for (let i = 0; i < n; i++) await null;
      };
      const racing = Array.from({ length: 12 }, (_, k) =>
        hops(k + round).then(() => tokens.create({ policies: ['a'] }, rec)),
      );
      const [revoke, ...children] = await Promise.allSettled([
        tokens.revoke({ accessor: parent.view.accessor }),
        ...racing,
      ]);
      expect(revoke.status).toBe('fulfilled');
      for (const c of children) {
        if (c.status === 'fulfilled')
          expect(await code(tokens.authenticate(c.value.token))).toMatch(/UNAUTHENTICATED/);
        // Refused: the parent was gone, or the creates kept losing check-and-set to each other (409, retryable).
        else expect(String(c.reason)).toMatch(/parent token was revoked|check-and-set failed/);
      }
    }
  });

  it('revoking a token that is busy counting uses succeeds at once', async () => {
    const { tokens } = env.services;
    const hops = async (n: number) => {
      for (let i = 0; i < n; i++) await null;
    };
    const busy = await tokens.create({ policies: ['a'], numUses: 1000 });
    const uses = Array.from({ length: 16 }, (_, k) => hops(k).then(() => tokens.authenticate(busy.token)));
    const [revoke] = await Promise.allSettled([tokens.revoke({ token: busy.token }), ...uses]);
    expect(revoke.status).toBe('fulfilled');
    expect(await code(tokens.authenticate(busy.token))).toMatch(/UNAUTHENTICATED: the token was revoked/);
  });

  it('a revoked parent cannot mint children', async () => {
    const { tokens } = env.services;
    const p = await tokens.create({ policies: ['a'] });
    const rec = await tokens.authenticate(p.token);
    await tokens.revoke({ token: p.token });
    expect(await code(tokens.create({ policies: ['a'] }, rec))).toMatch(
      /HUSH_E_UNAUTHENTICATED: the parent token/,
    );
  });

  it('lookup never returns the token, and storage holds neither tokens nor plaintext records', async () => {
    const { tokens } = env.services;
    const t = await tokens.create({
      policies: ['payments-read'],
      displayName: 'ci-deployer',
      metadata: { team: 'payments' },
    });
    const view = await tokens.lookup({ token: t.token });
    expect(JSON.stringify(view)).not.toContain(t.token);
    expect(JSON.stringify(view)).not.toMatch(/hush_/);
    expect(view).not.toHaveProperty('lookupId');
    const bytes = await env.fileBytes();
    for (const secret of [t.token, env.rootToken]) {
      expect(bytes).not.toContain(secret);
      expect(bytes).not.toContain(secret.slice(7, 40));
    }
    expect(bytes).not.toContain('payments-read');
    expect(bytes).not.toContain('ci-deployer');
    expect(bytes).toContain(`auth/accessor/${t.view.accessor}`);
  });

  it('a record copied under another token key fails its integrity check', async () => {
    const { tokens } = env.services;
    const a = await tokens.create({ policies: ['a'] });
    const b = await tokens.create({ policies: ['root-ish'] });
    const rows = (await env.backend.list('auth/token/')).keys;
    expect(rows.length).toBe(3); // root, a, b
    const [k1, k2] = rows;
    const v1 = await env.backend.get(k1 ?? '');
    await env.backend.put(k2 ?? '', v1?.value ?? Buffer.alloc(0));
    const all = [env.rootToken, a.token, b.token];
    const results = await Promise.allSettled(all.map((t) => tokens.authenticate(t)));
    const failed = results.filter((r) => r.status === 'rejected');
    expect(failed).toHaveLength(1); // exactly the token whose row was overwritten
    expect(failed.map((r) => (r as PromiseRejectedResult).reason.code)).toEqual(['HUSH_E_INTEGRITY']);
  });

  it('tokens survive a root key rotation (the identity keyring is re-sealed with the others)', async () => {
    const { tokens } = env.services;
    const t = await tokens.create({ policies: ['a'] });
    const rotate = createRotateRoot({
      backend: env.backend,
      barrier: env.barrier,
      seal: { current: new KeyFileSeal({ path: join(env.dir, 'root.key') }) },
      clock: env.time.clock,
    });
    await rotate({ seal: new KeyFileSeal({ path: join(env.dir, 'root2.key') }) });
    expect((await tokens.authenticate(t.token)).accessor).toBe(t.view.accessor);
    // A second module instance (another server process) reads the same rows.
    const again = createIdentity({ backend: env.backend, barrier: env.barrier, clock: env.time.clock });
    expect((await again.services.tokens.authenticate(t.token)).accessor).toBe(t.view.accessor);
  });

  it('refuses work while sealed', async () => {
    env.barrier.close();
    expect(await code(env.services.tokens.authenticate(env.rootToken))).toMatch(/^HUSH_E_SEALED/);
  });
});
