import { describe, expect, it } from 'vitest';
import { api, useHushServer } from './support/hush-server.js';

const fx = useHushServer('crypt-recipients');

const change = (operation: string, recipients: string[], files = ['app.enc.yaml']) => ({
  operation,
  files,
  recipients,
  rotated: [],
  rotateByHand: 0,
});

describe('GET /v1/crypt/recipients against a real server', () => {
  it('folds the recipient changes hush crypt reported into each file recipients, newest change first', async () => {
    const post = (body: unknown) => api(fx.server, fx.root, 'POST', '/v1/crypt/audit', body);
    expect((await post(change('recipients.add', ['age1alice', 'transit:team']))).status).toBe(200);
    expect((await post(change('recipients.add', ['age1bob'], ['app.enc.yaml', 'db.enc.env']))).status).toBe(
      200,
    );
    expect((await post(change('recipients.remove', ['age1alice']))).status).toBe(200);

    const res = await api(fx.server, fx.root, 'GET', '/v1/crypt/recipients');
    expect(res.status).toBe(200);
    const view = res.json as {
      files: { file: string; recipients: string[]; changes: number }[];
      changes: { operation: string; recipients: string[] }[];
    };
    expect(view.files).toEqual([
      expect.objectContaining({ file: 'app.enc.yaml', recipients: ['age1bob', 'transit:team'], changes: 3 }),
      expect.objectContaining({ file: 'db.enc.env', recipients: ['age1bob'], changes: 1 }),
    ]);
    expect(view.changes.map((c) => c.operation)).toEqual([
      'recipients.remove',
      'recipients.add',
      'recipients.add',
    ]);
  });

  it('shows a rotated store secret only to a reader who may read it', async () => {
    const body = {
      ...change('recipients.remove', ['age1carol']),
      rotated: ['hidden/prod/key', 'app/prod/key'],
    };
    expect((await api(fx.server, fx.root, 'POST', '/v1/crypt/audit', body)).status).toBe(200);
    const rules = [
      { path: 'sys/crypt', capabilities: ['read'] },
      { path: 'app/**', capabilities: ['read'] },
    ];
    await api(fx.server, fx.root, 'PUT', '/v1/sys/policies/crypt-reader', { name: 'crypt-reader', rules });
    const made = await api(fx.server, fx.root, 'POST', '/v1/auth/token/create', {
      policies: ['crypt-reader'],
    });
    const res = await api(fx.server, (made.json as { token: string }).token, 'GET', '/v1/crypt/recipients');
    expect(res.status).toBe(200);
    expect(res.text).not.toContain('hidden/prod/key');
    const [newest] = (res.json as { changes: { rotated: string[] }[] }).changes;
    expect(newest?.rotated).toEqual(['app/prod/key']);
  });

  it('needs read on sys/crypt', async () => {
    const made = await api(fx.server, fx.root, 'POST', '/v1/auth/token/create', { policies: ['default'] });
    const token = (made.json as { token: string }).token;
    const res = await api(fx.server, token, 'GET', '/v1/crypt/recipients');
    expect(res.status).toBe(403);
  });
});
