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
