import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import { installErrorHandling } from './errors.js';
import { installJsonBody } from './json-body.js';

describe('strict JSON bodies', () => {
  it('refuses any charset parameter but UTF-8, also a second one after charset=utf-8', async () => {
    const app = Fastify();
    installErrorHandling(app, { bodyBytes: 1 << 20 });
    installJsonBody(app);
    app.post('/', { schema: { body: { type: 'object' } } }, async (request) => request.body);
    const status = async (contentType: string) =>
      (
        await app.inject({
          method: 'POST',
          url: '/',
          headers: { 'content-type': contentType },
          payload: '{"a":1}',
        })
      ).statusCode;
    expect(await status('application/json')).toBe(200);
    expect(await status('application/json; charset="UTF-8"')).toBe(200);
    expect(await status('application/json; charset=utf-16')).toBe(415);
    expect(await status('application/json; charset=utf-8; charset=utf-16')).toBe(415);
    expect(await status('application/json; charset=utf-8;charset=latin1')).toBe(415);
    await app.close();
  });
});
