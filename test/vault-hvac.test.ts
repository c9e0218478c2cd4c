import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { expect, it } from 'vitest';
import { api, useHushServer } from './support/hush-server.js';
import { describeNeeding } from './support/require-tool.js';
import {
  appRoleCredentials,
  auditRecords,
  hvacMissing,
  putPolicy,
  runHvac,
  tokenWith,
} from './support/vault-clients.js';

// Whatever the snippet put in `out` (JSON from Python: shapes are asserted, not typed).
// biome-ignore lint/suspicious/noExplicitAny: parsed JSON from the Python side, checked by the assertions
type HvacOut = Record<string, any>;

// The Vault-compatible API driven by the real hvac client (Debian's python3-hvac) against a real `hush server`:
// every call below is hvac's own (client.secrets.kv.v2.*, client.auth.*, client.secrets.transit.*, client.sys.*).
describeNeeding(hvacMissing(), 'Vault-compatible API with hvac', () => {
  const s = useHushServer('vault-hvac');
  const hvac = (snippet: string, token: string | undefined = s.root) => runHvac(s.server, token, snippet);

  it('KV v2: versions, cas, read by version, metadata, list, delete/undelete/destroy, delete metadata', async () => {
    const out = (await hvac(`
kv = client.secrets.kv.v2
w1 = kv.create_or_update_secret(path='payments/prod/db', secret={'user': 'app', 'password': 'one'}, cas=0)
w2 = kv.create_or_update_secret(path='payments/prod/db', secret={'user': 'app', 'password': 'two'}, cas=1)
cas = raised(lambda: kv.create_or_update_secret(path='payments/prod/db', secret={'x': 'y'}, cas=1))
created_twice = raised(lambda: kv.create_or_update_secret(path='payments/prod/db', secret={'x': 'y'}, cas=0))
kv.create_or_update_secret(path='payments/prod/api/key', secret={'k': 'v'})
latest = kv.read_secret_version(path='payments/prod/db')
first = kv.read_secret_version(path='payments/prod/db', version=1)
listed = kv.list_secrets(path='payments/prod')['data']['keys']
kv.delete_secret_versions(path='payments/prod/db', versions=[1])
deleted = raised(lambda: kv.read_secret_version(path='payments/prod/db', version=1))
meta_deleted = kv.read_secret_metadata(path='payments/prod/db')['data']['versions']['1']
kv.undelete_secret_versions(path='payments/prod/db', versions=[1])
undeleted = kv.read_secret_version(path='payments/prod/db', version=1)['data']['data']
kv.destroy_secret_versions(path='payments/prod/db', versions=[1])
destroyed = raised(lambda: kv.read_secret_version(path='payments/prod/db', version=1))
kv.delete_latest_version_of_secret(path='payments/prod/db')
latest_gone = raised(lambda: kv.read_secret_version(path='payments/prod/db'))
meta = kv.read_secret_metadata(path='payments/prod/db')['data']
kv.delete_metadata_and_all_versions(path='payments/prod/api/key')
all_destroyed = kv.read_secret_metadata(path='payments/prod/api/key')['data']['versions']
out = dict(w1=w1['data'], w2=w2['data'], cas=cas, created_twice=created_twice, latest=latest['data'],
           first=first['data']['data'], listed=listed, deleted=deleted, meta_deleted=meta_deleted,
           undeleted=undeleted, destroyed=destroyed, latest_gone=latest_gone, meta=meta, all_destroyed=all_destroyed,
           lease=latest['lease_duration'])
`)) as HvacOut;
    expect(out.w1).toMatchObject({ version: 1, destroyed: false, deletion_time: '' });
    expect(out.w2.version).toBe(2);
    expect(out.cas).toEqual([
      'InvalidRequest',
      '{"errors":["check-and-set parameter did not match the current version"]}',
    ]);
    expect(out.created_twice?.[0]).toBe('InvalidRequest');
    expect(out.latest.data).toEqual({ user: 'app', password: 'two' });
    expect(out.latest.metadata).toMatchObject({ version: 2, destroyed: false, custom_metadata: null });
    expect(out.lease).toBe(0);
    expect(out.first).toEqual({ user: 'app', password: 'one' });
    expect(out.listed).toEqual(['api/', 'db']);
    expect(out.deleted).toEqual(['InvalidPath', '{"errors":[]}']);
    expect(out.meta_deleted.deletion_time).not.toBe('');
    expect(out.meta_deleted.destroyed).toBe(false);
    expect(out.undeleted).toEqual({ user: 'app', password: 'one' });
    expect(out.destroyed?.[0]).toBe('InvalidPath');
    expect(out.latest_gone?.[0]).toBe('InvalidPath');
    expect(out.meta).toMatchObject({
      current_version: 2,
      oldest_version: 1,
      max_versions: 0,
      cas_required: false,
    });
    expect(out.meta.versions['1'].destroyed).toBe(true);
    expect(out.meta.versions['2'].deletion_time).not.toBe('');
    expect(
      Object.values(out.all_destroyed as Record<string, { destroyed: boolean }>).map((v) => v.destroyed),
    ).toEqual([true]);

    // The KV path is the Hush address: the native API reads what hvac wrote.
    const native = await api(s.server, s.root, 'GET', '/v1/secrets/payments/prod/db?version=1');
    expect(native.status).toBe(410); // destroyed above, through the Vault API
  });

  it('Hush policies apply to KV calls, and each call is audited under the native operation', async () => {
    await putPolicy(s.server, s.root, 'shop-read', [
      { path: 'shop/prod/**', capabilities: ['read', 'list'] },
    ]);
    await api(s.server, s.root, 'PUT', '/v1/secrets/shop/prod/token', { value: 'plain-text-value' });
    await api(s.server, s.root, 'PUT', '/v1/secrets/other/prod/token', { value: { a: 'b' } });
    const reader = await tokenWith(s.server, s.root, ['shop-read']);
    const out = (await hvac(
      `
kv = client.secrets.kv.v2
read = kv.read_secret_version(path='shop/prod/token')['data']['data']
write = raised(lambda: kv.create_or_update_secret(path='shop/prod/token', secret={'v': 'x'}))
other = raised(lambda: kv.read_secret_version(path='other/prod/token'))
delete = raised(lambda: kv.delete_latest_version_of_secret(path='shop/prod/token'))
out = dict(read=read, write=write, other=other, delete=delete, authed=client.is_authenticated())
`,
      reader,
    )) as HvacOut;
    // A Hush secret holding a plain string reads as {"value": ...}: KV v2 data is always an object.
    expect(out.read).toEqual({ value: 'plain-text-value' });
    expect(out.write).toEqual(['Forbidden', '{"errors":["permission denied"]}']);
    expect(out.other).toEqual(['Forbidden', '{"errors":["permission denied"]}']);
    expect(out.delete?.[0]).toBe('Forbidden');
    expect(out.authed).toBe(true);

    const records = auditRecords(s.dir).filter((r) => r['outcome'] !== 'requested');
    const denied = records.filter(
      (r) =>
        r['operation'] === 'secrets.write' && r['path'] === 'shop/prod/token' && r['outcome'] === 'denied',
    );
    expect(denied).toHaveLength(1);
    expect(denied[0]?.['errorCode']).toBe('HUSH_E_FORBIDDEN');
    const read = records.find(
      (r) =>
        r['operation'] === 'secrets.read' && r['path'] === 'shop/prod/token' && r['outcome'] === 'allowed',
    );
    expect(read?.['details']).toMatchObject({ api: 'vault' });
    // Writes get their `requested` record first, as on the native routes.
    const requested = auditRecords(s.dir).filter(
      (r) =>
        r['outcome'] === 'requested' &&
        (r['details'] as { url?: string; method?: string }).url === '/vault/v1/secret/data/shop/prod/token' &&
        (r['details'] as { method?: string }).method === 'POST',
    );
    expect(requested).toHaveLength(1);
    // No value reaches the trail.
    expect(JSON.stringify(auditRecords(s.dir))).not.toContain('plain-text-value');
  });

  it('tokens: lookup-self, create, renew-self, revoke-self', async () => {
    const out = (await hvac(`
me = client.auth.token.lookup_self()['data']
child = client.auth.token.create(policies=['root'], ttl='30m', display_name='ci')['auth']
kid = hvac.Client(url=os.environ['VAULT_ADDR'], token=child['client_token'], strict_http=True)
kid_me = kid.auth.token.lookup_self()['data']
renewed = kid.auth.token.renew_self(increment='1h')['auth']
kid.auth.token.revoke_self()
after = raised(lambda: kid.auth.token.lookup_self())
out = dict(me=me, child=dict(child, client_token=child['client_token'][:7]), kid_me=kid_me, renewed=renewed,
           after=after, kid_authed=kid.is_authenticated())
`)) as HvacOut;
    expect(out.me).toMatchObject({ display_name: 'root', policies: ['root'], id: '', type: 'service' });
    expect(out.child).toMatchObject({ client_token: 'hush_s_', policies: ['root'], renewable: true });
    expect(out.child.lease_duration).toBeGreaterThan(1700);
    expect(out.kid_me).toMatchObject({ display_name: 'ci', orphan: false, entity_id: 'token:ci' });
    expect(out.renewed.lease_duration).toBeGreaterThan(3500);
    expect(out.after).toEqual(['Forbidden', '{"errors":["permission denied"]}']);
    expect(out.kid_authed).toBe(false);
  });

  it('AppRole and JWT login give tokens that work on the Vault API', async () => {
    await putPolicy(s.server, s.root, 'ci-read', [{ path: 'ci/prod/**', capabilities: ['read'] }]);
    await api(s.server, s.root, 'PUT', '/v1/secrets/ci/prod/deploy', { value: { key: 'k' } });
    const { roleId, secretId } = await appRoleCredentials(s.server, s.root, 'deployer', ['ci-read']);

    const keys = await generateKeyPair('RS256');
    const jwk = { ...(await exportJWK(keys.publicKey)), kid: 'k1', alg: 'RS256' };
    const role = await api(s.server, s.root, 'POST', '/v1/auth/jwt/role/gha', {
      jwks: { keys: [jwk] },
      boundIssuer: 'https://issuer.example',
      boundAudiences: ['hush'],
      policies: ['ci-read'],
    });
    expect(role.status).toBe(200);
    const jwt = await new SignJWT({})
      .setProtectedHeader({ alg: 'RS256', kid: 'k1' })
      .setIssuer('https://issuer.example')
      .setAudience('hush')
      .setSubject('repo:acme/app')
      .setIssuedAt()
      .setExpirationTime('5m')
      .sign(keys.privateKey);

    const out = (await hvac(
      `
app = client.auth.approle.login(role_id='${roleId}', secret_id='${secretId}')['auth']
read_app = client.secrets.kv.v2.read_secret_version(path='ci/prod/deploy')['data']['data']
bad = raised(lambda: hvac.Client(url=os.environ['VAULT_ADDR']).auth.approle.login(role_id='${roleId}', secret_id='wrong'))
jwt_client = hvac.Client(url=os.environ['VAULT_ADDR'], strict_http=True)
j = jwt_client.auth.jwt.jwt_login(role='gha', jwt='${jwt}')['auth']
read_jwt = jwt_client.secrets.kv.v2.read_secret_version(path='ci/prod/deploy')['data']['data']
out = dict(app_policies=app['policies'], read_app=read_app, bad=bad, jwt_policies=j['policies'], read_jwt=read_jwt)
`,
      undefined,
    )) as HvacOut;
    expect(out.app_policies).toEqual(['ci-read']);
    expect(out.read_app).toEqual({ key: 'k' });
    expect(out.bad?.[0]).toMatch(/Forbidden|InvalidRequest/);
    expect(out.jwt_policies).toEqual(['ci-read']);
    expect(out.read_jwt).toEqual({ key: 'k' });
    const logins = auditRecords(s.dir).filter(
      (r) => r['outcome'] !== 'requested' && String(r['operation']).match(/^auth\.(approle|jwt)\.login$/),
    );
    expect(logins.map((r) => [r['operation'], r['outcome']])).toEqual([
      ['auth.approle.login', 'allowed'],
      ['auth.approle.login', 'denied'],
      ['auth.jwt.login', 'allowed'],
    ]);
  });

  it('transit: vault:v<N>: strings over the Hush engine, exactly hush:v<N>: with the prefix swapped', async () => {
    const out = (await hvac(`
t = client.secrets.transit
t.create_key(name='orders', derived=True)
enc = t.encrypt_data(name='orders', plaintext=b64('card 4111'), context=b64('tenant-1'))['data']
dec = t.decrypt_data(name='orders', ciphertext=enc['ciphertext'], context=b64('tenant-1'))['data']
wrong_ctx = raised(lambda: t.decrypt_data(name='orders', ciphertext=enc['ciphertext'], context=b64('tenant-2')))
batch = t.encrypt_data(name='orders', plaintext='', batch_input=[{'plaintext': b64('a'), 'context': b64('t')}, {'plaintext': 'not base64!', 'context': b64('t')}])['data']
t.create_key(name='signer', key_type='ed25519')
sig = t.sign_data(name='signer', hash_input=b64('release 1.2'))['data']
ok = t.verify_signed_data(name='signer', hash_input=b64('release 1.2'), signature=sig['signature'])['data']
forged = t.verify_signed_data(name='signer', hash_input=b64('release 6.6'), signature=sig['signature'])['data']
mac = t.generate_hmac(name='orders', hash_input=b64('payload'), algorithm='sha2-512')['data']
mac_ok = t.verify_signed_data(name='orders', hash_input=b64('payload'), hmac=mac['hmac'], hash_algorithm='sha2-512')['data']
hush_form = raised(lambda: t.decrypt_data(name='orders', ciphertext=enc['ciphertext'].replace('vault:', 'hush:', 1)))
out = dict(enc=enc, dec=dec, wrong_ctx=wrong_ctx, batch=batch, sig=sig, ok=ok, forged=forged, mac=mac, mac_ok=mac_ok,
           hush_form=hush_form)
`)) as HvacOut;
    expect(out.enc.ciphertext).toMatch(/^vault:v1:[A-Za-z0-9+/]+=*$/);
    expect(out.enc.key_version).toBe(1);
    expect(Buffer.from(out.dec.plaintext, 'base64').toString()).toBe('card 4111');
    expect(out.wrong_ctx?.[0]).toBe('InvalidRequest');
    expect(out.batch.batch_results[0].ciphertext).toMatch(/^vault:v1:/);
    expect(out.batch.batch_results[1].error).toMatch(
      /^HUSH_E_INVALID_INPUT: plaintext is not standard base64/,
    );
    expect(out.sig.signature).toMatch(/^vault:v1:/);
    expect(out.ok.valid).toBe(true);
    expect(out.forged.valid).toBe(false);
    expect(out.mac.hmac).toMatch(/^vault:v1:/);
    expect(out.mac_ok.valid).toBe(true);
    expect(out.hush_form).toEqual([
      'InvalidRequest',
      '{"errors":["HUSH_E_TRANSIT_INVALID: ciphertext is not of the form vault:v<version>:<base64> (' +
        `${out.enc.ciphertext.length - 1} characters)"]}`,
    ]);

    // The same bytes on the native API: swap the prefix and Hush's own route decrypts it, and back again.
    const hushForm = out.enc.ciphertext.replace(/^vault:/, 'hush:');
    const native = await api(s.server, s.root, 'POST', '/v1/transit/decrypt/orders', {
      ciphertext: hushForm,
      context: Buffer.from('tenant-1').toString('base64'),
    });
    expect(Buffer.from((native.json as { plaintext: string }).plaintext, 'base64').toString()).toBe(
      'card 4111',
    );

    // Rotate natively, then rewrap through hvac: the new string names v2 and still decrypts.
    expect((await api(s.server, s.root, 'POST', '/v1/transit/keys/orders/rotate')).status).toBe(200);
    const nativeEnc = await api(s.server, s.root, 'POST', '/v1/transit/encrypt/orders', {
      plaintext: Buffer.from('native').toString('base64'),
      context: Buffer.from('tenant-9').toString('base64'),
    });
    const nativeCt = (nativeEnc.json as { ciphertext: string }).ciphertext;
    const back = (await hvac(`
t = client.secrets.transit
rw = t.rewrap_data(name='orders', ciphertext='${out.enc.ciphertext}', context=b64('tenant-1'))['data']
dn = t.decrypt_data(name='orders', ciphertext='${nativeCt.replace(/^hush:/, 'vault:')}', context=b64('tenant-9'))['data']
out = dict(rw=rw, dn=dn)
`)) as HvacOut;
    expect(back.rw).toMatchObject({ key_version: 2 });
    expect(back.rw.ciphertext).toMatch(/^vault:v2:/);
    expect(Buffer.from(back.dn.plaintext, 'base64').toString()).toBe('native');
  });

  it('sys/health and sys/seal-status in Vault shapes; unknown paths answer as Vault does', async () => {
    const out = (await hvac(`
health = client.sys.read_health_status(method='GET')
seal = client.sys.read_seal_status()
unknown = raised(lambda: client.secrets.kv.v1.read_secret(path='anything', mount_point='nomount'))
out = dict(health=health, seal=seal, unknown=unknown)
`)) as HvacOut;
    expect(out.health).toMatchObject({ initialized: true, sealed: false, standby: false });
    expect(out.seal).toMatchObject({ initialized: true, sealed: false, type: 'key-file' });
    // Audited under the native operation; health is not audited (as /v1/sys/health is not).
    const records = auditRecords(s.dir);
    expect(records.some((r) => r['operation'] === 'sys.seal-status')).toBe(true);
    expect(JSON.stringify(records)).not.toContain('/vault/v1/sys/health');
    expect(out.unknown).toEqual([
      'InvalidPath',
      '{"errors":["no handler for route \\"nomount/anything\\". route entry not found."]}',
    ]);
  });

  // Last: it seals the file's server.
  it('sealed: health says so (503), and every secret call answers 503 "Vault is sealed"', async () => {
    expect((await api(s.server, s.root, 'POST', '/v1/sys/seal')).status).toBe(200);
    const out = (await hvac(`
# hvac hands back the raw response when health is not 200
health = client.sys.read_health_status(method='GET')
health = dict(status=health.status_code, body=health.json())
seal = client.sys.read_seal_status()
read = raised(lambda: client.secrets.kv.v2.read_secret_version(path='payments/prod/db'))
login = raised(lambda: client.auth.approle.login(role_id='x', secret_id='y'))
out = dict(health=health, seal=seal, read=read, login=login)
`)) as HvacOut;
    expect(out.health).toMatchObject({ status: 503, body: { initialized: true, sealed: true } });
    expect(out.seal).toMatchObject({ sealed: true });
    expect(out.read).toEqual(['VaultDown', '{"errors":["Vault is sealed"]}']);
    expect(out.login).toEqual(['VaultDown', '{"errors":["Vault is sealed"]}']);
  });
});
