import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import { effectiveAllowedHosts, installHostCheck } from './host-check.js';

/** Status of GET / with this Host under the host list `config` gives. */
async function statusFor(config: Parameters<typeof effectiveAllowedHosts>[0], hosts: string[]) {
  const app = Fastify();
  installHostCheck(app, effectiveAllowedHosts(config));
  app.get('/', async () => ({ ok: true }));
  const out: Record<string, boolean> = {};
  for (const host of hosts)
    out[host] = (await app.inject({ url: '/', headers: { host } })).statusCode === 200;
  await app.close();
  return out;
}

describe('host allow-list', () => {
  it('keeps configured IPv6 literals whole (their last group is not a port)', async () => {
    expect(
      await statusFor({ allowedHosts: ['::1', 'fe80::1', 'Hush.Internal'] }, [
        '[::1]:8200',
        '[fe80::1]',
        'hush.internal:8200',
        '[::]:8200',
        '[fe80::]',
      ]),
    ).toEqual({
      '[::1]:8200': true,
      '[fe80::1]': true,
      'hush.internal:8200': true,
      '[::]:8200': false,
      '[fe80::]': false,
    });
  });

  it('a loopback listener also answers for its own address, and still refuses other names', async () => {
    expect(
      await statusFor({ listen: { host: '127.0.0.2' } }, [
        '127.0.0.2:8200',
        'localhost:8200',
        '127.0.0.3:8200',
        'evil.example',
      ]),
    ).toEqual({
      '127.0.0.2:8200': true,
      'localhost:8200': true,
      '127.0.0.3:8200': false,
      'evil.example': false,
    });
    expect(await statusFor({ listen: { host: '::1' } }, ['[::1]:8200', '[::]:8200'])).toEqual({
      '[::1]:8200': true,
      '[::]:8200': false,
    });
  });
});
