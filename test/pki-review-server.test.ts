import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { api, useHushServer } from './support/hush-server.js';

const fx = useHushServer('pki-review-server');

/** Every file under the data directory, as text. */
function everything(dir: string): string {
  let out = '';
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    out += statSync(p).isDirectory() ? everything(p) : readFileSync(p, 'latin1');
  }
  return out;
}

it('public CA routes answer 404 before init; hostile CSRs and bodies get coded 4xx; keys reach no log or audit', async () => {
  for (const path of ['/v1/pki/ca', '/v1/pki/ca/pem', '/v1/pki/crl', '/v1/pki/crl/pem', '/v1/pki/crl/info'])
    expect((await api(fx.server, undefined, 'GET', path)).status, path).toBe(404);
  expect((await api(fx.server, fx.root, 'POST', '/v1/pki/ca', {})).status).toBe(201);
  const role = { allowedDomains: ['example.test'], allowBareDomains: true };
  expect((await api(fx.server, fx.root, 'PUT', '/v1/pki/roles/web', role)).status).toBe(200);
  const issued = await api(fx.server, fx.root, 'POST', '/v1/pki/issue/web', { commonName: 'example.test' });
  expect(issued.status).toBe(200);
  const key = (issued.json as { privateKey: string }).privateKey;
  const body = key.replace(/-----[^-]+-----|\s/g, '').slice(10, 60);
  const block = (b64: string) =>
    `-----BEGIN CERTIFICATE REQUEST-----\n${b64}\n-----END CERTIFICATE REQUEST-----\n`;
  for (const csr of [
    'garbage',
    block('!!!!'),
    block(''),
    block(Buffer.from([0x30, 0x84, 0xff, 0xff, 0xff, 0xff]).toString('base64')),
    block(Buffer.from([0x30, 0x80, 0x00, 0x00]).toString('base64')),
    block(Buffer.alloc(40_000, 0x30).toString('base64')),
    block(Buffer.from('MIIBAAAA', 'base64').toString('base64')),
  ]) {
    const res = await api(fx.server, fx.root, 'POST', '/v1/pki/sign/web', { csr });
    expect(res.status, `${csr.slice(0, 60)} -> ${res.text}`).toBeGreaterThanOrEqual(400);
    expect(res.status, res.text).toBeLessThan(500);
  }
  for (const serial of ['zz', '00', 'ff'.repeat(21), ':::', '-1'])
    expect((await api(fx.server, fx.root, 'POST', '/v1/pki/revoke', { serial })).status, serial).toBeLessThan(
      500,
    );
  const ca = await api(fx.server, undefined, 'GET', '/v1/pki/ca');
  expect(ca.text).not.toMatch(/PRIVATE/);
  const stored = everything(fx.dir);
  expect(stored).not.toContain(body);
  expect(fx.server.stdout() + fx.server.stderr()).not.toContain(body);
  expect(stored + fx.server.stdout() + fx.server.stderr()).not.toMatch(/BEGIN (EC )?PRIVATE KEY/);
});
