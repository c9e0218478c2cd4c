import { Writable } from 'node:stream';
import Fastify, { type FastifyInstance, LogController } from 'fastify';
import { describe, expect, it } from 'vitest';
import { createServerLogger, installRequestLogging } from './logging.js';

const TOKEN = `hush_s_${'A'.repeat(40)}`;

async function serve(level: string) {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk, _enc, done) {
      lines.push(...String(chunk).split('\n').filter(Boolean));
      done();
    },
  });
  const logger = createServerLogger(level, stream);
  const app = Fastify({
    loggerInstance: logger,
    logController: new LogController({ disableRequestLogging: true }),
  }) as unknown as FastifyInstance; // as in app.ts: pino's Logger type is narrower than Fastify's base logger
  installRequestLogging(app, logger);
  app.get('/v1/things/:name', async () => ({ ok: true }));
  await app.inject({
    method: 'GET',
    url: `/v1/things/a?token=${TOKEN}`,
    headers: { 'x-hush-token': TOKEN, authorization: `Bearer ${TOKEN}` },
  });
  await app.close();
  return lines.map((l) => JSON.parse(l) as Record<string, unknown>);
}

describe('request logging', () => {
  it('writes one completion line per request with path, route, status and time, and no token', async () => {
    const lines = await serve('info');
    const requestLines = lines.filter((l) => l['msg'] === 'request completed');
    expect(requestLines).toHaveLength(1);
    expect(requestLines[0]).toMatchObject({
      req: { method: 'GET', path: '/v1/things/a', route: '/v1/things/:name' },
      res: { statusCode: 200 },
      responseTime: expect.any(Number),
      reqId: expect.any(String),
    });
    expect(JSON.stringify(lines)).not.toContain(TOKEN);
  });

  it('writes no request line when info is off', async () => {
    expect(await serve('warn')).toEqual([]);
  });
});
