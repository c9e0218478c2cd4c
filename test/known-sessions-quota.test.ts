import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { api, useHushServer } from './support/hush-server.js';

const fx = useHushServer('known-quota');

const session = async (token: string) => {
  const res = await api(fx.server, token, 'POST', '/v1/sys/known-secrets/session', {});
  expect(res.status).toBe(200);
  return (res.json as { session: string }).session;
};
const match = (token: string, id: string) =>
  api(fx.server, token, 'POST', '/v1/sys/known-secrets/match', { session: id, digests: ['0'.repeat(64)] });

describe('known-secrets sessions: a quota per identity', () => {
  it("a read-only token opening many sessions never evicts root's (or another identity's) session", async () => {
    await api(fx.server, fx.root, 'PUT', '/v1/sys/policies/reader', {
      name: 'reader',
      rules: [{ path: 'app/**', capabilities: ['read'] }],
    });
    const made = await api(fx.server, fx.root, 'POST', '/v1/auth/token/create', {
      policies: ['reader'],
      displayName: 'reader',
    });
    const reader = (made.json as { token: string }).token;
    const rootSession = await session(fx.root);
    const readerSessions: string[] = [];
    for (let i = 0; i < 20; i++) readerSessions.push(await session(reader));
    // The report: the 17th session of a read-only token evicted root's (404).
    expect((await match(fx.root, rootSession)).status).toBe(200);
    // The reader's own newest sessions live; its oldest made room for them.
    expect((await match(reader, readerSessions.at(-1) ?? '')).status).toBe(200);
    expect((await match(reader, readerSessions[0] ?? '')).status).toBe(404);
    // A session stays its starter's: another identity cannot use it.
    expect((await match(reader, rootSession)).status).toBe(404);
  }, 60_000);
});

describe('known-secrets sessions: bound to the token that started them', () => {
  it("a child token with narrower policies cannot match inside its parent's session (same identity)", async () => {
    const value = 'known-session-bound-value-7f3a';
    expect((await api(fx.server, fx.root, 'PUT', '/v1/secrets/bound/prod/db', { value })).status).toBe(200);
    await api(fx.server, fx.root, 'PUT', '/v1/sys/policies/bound-all', {
      name: 'bound-all',
      rules: [{ path: 'bound/**', capabilities: ['read'] }],
    });
    await api(fx.server, fx.root, 'PUT', '/v1/sys/policies/bound-none', {
      name: 'bound-none',
      rules: [{ path: 'elsewhere/**', capabilities: ['read'] }],
    });
    const parentMade = await api(fx.server, fx.root, 'POST', '/v1/auth/token/create', {
      policies: ['bound-all', 'bound-none'],
      displayName: 'bound-parent',
    });
    const parent = (parentMade.json as { token: string }).token;
    const childMade = await api(fx.server, parent, 'POST', '/v1/auth/token/create', {
      policies: ['bound-none'],
    });
    expect(childMade.status, childMade.text).toBe(200);
    const child = (childMade.json as { token: string }).token;
    const ids = async (token: string) =>
      (await api(fx.server, token, 'GET', '/v1/auth/token/lookup-self')).json as { identity: string };
    // The child acts for its parent's identity: only the token tells them apart.
    expect((await ids(child)).identity).toBe((await ids(parent)).identity);

    const started = await api(fx.server, parent, 'POST', '/v1/sys/known-secrets/session', {});
    const { session: id, salt } = started.json as { session: string; salt: string };
    const digest = createHash('sha256')
      .update(Buffer.from(salt, 'base64'))
      .update(value, 'utf8')
      .digest('hex');
    const byParent = await api(fx.server, parent, 'POST', '/v1/sys/known-secrets/match', {
      session: id,
      digests: [digest],
    });
    expect((byParent.json as { matches: unknown[] }).matches).toHaveLength(1);
    // The index was built over what the parent may read; the child may read none of it.
    const byChild = await api(fx.server, child, 'POST', '/v1/sys/known-secrets/match', {
      session: id,
      digests: [digest],
    });
    expect(byChild.status, byChild.text).toBe(404);
    expect(byChild.text).not.toContain('bound/prod/db');
  }, 60_000);
});
