import type { api, HushServer } from './hush-server.js';

/** A named authorization probe: `refused` is true when Hush said no (or showed nothing it should not). */
export interface ProbeResult {
  readonly name: string;
  readonly refused: boolean;
  readonly detail: string;
}

/** What the probes work on: the server, root, a least-privilege token and the names it must not reach. */
export interface ProbeContext {
  readonly server: HushServer;
  readonly root: string;
  /** Reads/lists `atk/prod/app/**`, creates and updates `atk/prod/app/w/**`, nothing else. */
  readonly least: string;
  /** A secret outside the least token's grant, and its value. */
  readonly hiddenPath: string;
  readonly hiddenValue: string;
  /** Every request id the probes send goes through this (the suite checks each was audited once). */
  readonly send: (
    token: string | undefined,
    method: string,
    path: string,
    body?: unknown,
  ) => ReturnType<typeof api>;
}

type Reply = Awaited<ReturnType<typeof api>>;
const denied = (r: Reply) => r.status === 401 || r.status === 403;
const refusedOrBad = (r: Reply) => r.status >= 400 && r.status < 500;

async function mint(
  ctx: ProbeContext,
  token: string,
  body: Record<string, unknown>,
): Promise<{ token: string; accessor: string }> {
  const res = await ctx.send(token, 'POST', '/v1/auth/token/create', body);
  const json = res.json as { token?: string; auth?: { accessor?: string } };
  if (res.status !== 200 || !json.token)
    throw new Error(`token create failed: ${res.status} ${res.text.slice(0, 200)}`);
  return { token: json.token, accessor: json.auth?.accessor ?? '' };
}

/** Poll `check` until true or the deadline passes (liveness, never a fixed sleep). */
async function until(check: () => Promise<boolean>, deadlineMs = 20_000): Promise<boolean> {
  const end = Date.now() + deadlineMs;
  while (Date.now() < end) {
    if (await check()) return true;
    await new Promise((r) => setTimeout(r, 100));
  }
  return false;
}

/**
 * The authorization probes: outside-grant read/list/write/delete, escalation through token create and policies,
 * cursors, case and encoding variants, expired/revoked/used-up tokens. The seal probe runs last (`sealProbe`).
 */
export async function runProbes(ctx: ProbeContext): Promise<ProbeResult[]> {
  const out: ProbeResult[] = [];
  const probe = async (name: string, run: () => Promise<[boolean, string]>) => {
    try {
      const [refused, detail] = await run();
      out.push({ name, refused, detail });
    } catch (err) {
      out.push({ name, refused: false, detail: `probe error: ${(err as Error).message}` });
    }
  };
  const { least, hiddenPath: hp } = ctx;
  const one = (
    name: string,
    method: string,
    path: string,
    body?: unknown,
    ok: (r: Reply) => boolean = denied,
  ) =>
    probe(name, async () => {
      const r = await ctx.send(least, method, path, body);
      return [ok(r) && !r.text.includes(ctx.hiddenValue), `${r.status} ${r.text.slice(0, 120)}`];
    });

  // Outside the grant: read, metadata, write, create, delete, lifecycle, bulk.
  await one('outside-grant read', 'GET', `/v1/secrets/${hp}`);
  await one('outside-grant read old version', 'GET', `/v1/secrets/${hp}?version=1`);
  await one('outside-grant metadata', 'GET', `/v1/metadata/${hp}`);
  await one('outside-grant overwrite', 'PUT', `/v1/secrets/${hp}`, { value: 'atkval-overwrite' });
  await one('outside-grant overwrite via cas 0', 'PUT', `/v1/secrets/${hp}`, {
    value: 'atkval-overwrite',
    cas: 0,
  });
  await one('outside-grant create', 'PUT', '/v1/secrets/atk/prod/other/new', { value: 'atkval-new' });
  await one('outside-grant metadata patch', 'PATCH', `/v1/metadata/${hp}`, { description: 'x' });
  await one('outside-grant delete', 'DELETE', `/v1/secrets/${hp}`);
  await one('outside-grant destroy', 'POST', `/v1/secrets-destroy/${hp}`, { versions: [1] });
  await one('outside-grant rollback', 'POST', `/v1/secrets-rollback/${hp}`, { version: 1 });
  await one('outside-grant undelete', 'POST', `/v1/secrets-undelete/${hp}`, {});
  await one('move hidden into grant', 'POST', '/v1/move', { from: hp, to: 'atk/prod/app/w/stolen' });
  await one('move grant over hidden', 'POST', '/v1/move', {
    from: 'atk/prod/app/visible',
    to: hp,
    overwrite: true,
  });
  await one('export outside grant', 'GET', '/v1/export/atk/prod?format=json&recursive=true');
  await one('import outside grant', 'POST', '/v1/import/atk/prod/other', {
    format: 'dotenv',
    text: 'K=atkval-imp\n',
  });
  await one('rotate outside grant', 'POST', `/v1/rotation/rotate/${hp}`, {});
  await one('who-can outside grant', 'POST', '/v1/sys/access/who-can', { path: hp, capability: 'read' });
  await probe('outside-grant list shows no hidden name', async () => {
    const r = await ctx.send(least, 'GET', '/v1/list/atk?recursive=true');
    return [!r.text.includes('hidden') && !r.text.includes('other'), r.text.slice(0, 160)];
  });

  // Escalation through token create and policies.
  await one(
    'token create with root policy',
    'POST',
    '/v1/auth/token/create',
    { policies: ['root'] },
    refusedOrBad,
  );
  await one(
    'token create with a policy not held',
    'POST',
    '/v1/auth/token/create',
    { policies: ['atk-wide'] },
    refusedOrBad,
  );
  await one(
    'token create orphan/longer ttl',
    'POST',
    '/v1/auth/token/create',
    { ttl: '87600h', policies: ['atk-least'], noParent: true },
    refusedOrBad,
  );
  await one('rewrite own policy', 'PUT', '/v1/sys/policies/atk-least', {
    rules: [{ path: '**', capabilities: ['sudo', 'read'] }],
  });
  await one('create a policy', 'PUT', '/v1/sys/policies/atk-mine', {
    rules: [{ path: '**', capabilities: ['read'] }],
  });
  await one('delete a policy', 'DELETE', '/v1/sys/policies/atk-wide');
  await one('approle role with root policy', 'POST', '/v1/auth/approle/role/atk', { policies: ['root'] });
  // Root's real accessor (a made-up one would be refused for not existing, proving nothing).
  const rootSelf = await ctx.send(ctx.root, 'GET', '/v1/auth/token/lookup-self');
  const rootAccessor = (rootSelf.json as { accessor?: string }).accessor;
  if (!rootAccessor) throw new Error(`root lookup-self: ${rootSelf.status} ${rootSelf.text.slice(0, 120)}`);
  await one('lookup root token by accessor', 'POST', '/v1/auth/token/lookup', { accessor: rootAccessor });
  await one('revoke root token by accessor', 'POST', '/v1/auth/token/revoke-accessor', {
    accessor: rootAccessor,
  });
  await one('seal the store', 'POST', '/v1/sys/seal');
  await one('lockdown', 'POST', '/v1/sys/incident/lockdown');
  await one('audit hash oracle', 'POST', '/v1/sys/audit/hash', { value: ctx.hiddenValue });

  // Cursors: forged, another caller's, another prefix.
  await probe('forged cursor (base64url of a hidden key)', async () => {
    const cursor = Buffer.from('prod/hidden/secret').toString('base64url');
    const r = await ctx.send(least, 'GET', `/v1/list/atk?recursive=true&limit=1&cursor=${cursor}`);
    return [r.status === 400 && !r.text.includes('hidden'), `${r.status} ${r.text.slice(0, 120)}`];
  });
  await probe("root's cursor replayed by the least token", async () => {
    const page = await ctx.send(ctx.root, 'GET', '/v1/list/atk?recursive=true&limit=1');
    const cursor = (page.json as { cursor?: string }).cursor ?? '';
    const r = await ctx.send(
      least,
      'GET',
      `/v1/list/atk?recursive=true&limit=1&cursor=${encodeURIComponent(cursor)}`,
    );
    return [r.status === 400 && !r.text.includes('hidden'), `${r.status} ${r.text.slice(0, 120)}`];
  });
  await probe('cursor replayed by another token holding the same policy', async () => {
    const a = await mint(ctx, ctx.root, { policies: ['atk-wide'] });
    const b = await mint(ctx, ctx.root, { policies: ['atk-wide'] });
    const page = await ctx.send(a.token, 'GET', '/v1/list/atk?recursive=true&limit=1');
    const cursor = (page.json as { cursor?: string }).cursor;
    if (!cursor) throw new Error(`no cursor to replay: ${page.status} ${page.text.slice(0, 120)}`);
    const r = await ctx.send(
      b.token,
      'GET',
      `/v1/list/atk?recursive=true&limit=1&cursor=${encodeURIComponent(cursor)}`,
    );
    return [r.status === 400, `${r.status} ${r.text.slice(0, 120)}`];
  });
  await probe('limit=1 cursor walk reveals nothing', async () => {
    let cursor: string | undefined;
    const seen: string[] = [];
    for (let i = 0; i < 20; i++) {
      const r = await ctx.send(
        least,
        'GET',
        `/v1/list/atk?recursive=true&limit=1${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
      );
      const page = r.json as { entries: { path: string }[]; cursor?: string };
      seen.push(
        ...page.entries.map((e) => e.path),
        Buffer.from(page.cursor ?? '', 'base64url').toString('latin1'),
      );
      cursor = page.cursor;
      if (!cursor) break;
    }
    return [
      !seen.join(' ').includes('hidden') && !seen.join(' ').includes('other'),
      seen.join(' ').slice(0, 160),
    ];
  });

  // Case and encoding variants of the hidden address.
  for (const [name, path] of [
    ['upper-case address', hp.toUpperCase()],
    ['encoded dot-dot from the grant', 'atk/prod/app/%2e%2e/hidden/secret'],
    ['encoded slash from the grant', 'atk/prod/app%2f..%2f..%2fhidden%2fsecret'],
    ['double-encoded dot-dot', 'atk/prod/app/%252e%252e/hidden/secret'],
    ['trailing slash', `${hp}/`],
    ['double slash', hp.replace('/', '//')],
  ] as const) {
    await one(`variant: ${name}`, 'GET', `/v1/secrets/${path}`, undefined, refusedOrBad);
  }

  // Expired, revoked and used-up tokens.
  await probe('expired token', async () => {
    const t = await mint(ctx, ctx.root, { policies: ['atk-least'], ttl: '1s' });
    const expired = await until(
      async () => (await ctx.send(t.token, 'GET', '/v1/auth/token/lookup-self')).status === 401,
    );
    const r = await ctx.send(t.token, 'GET', '/v1/secrets/atk/prod/app/visible');
    return [expired && r.status === 401, `${r.status}`];
  });
  await probe('revoked token', async () => {
    const t = await mint(ctx, ctx.root, { policies: ['atk-least'] });
    await ctx.send(ctx.root, 'POST', '/v1/auth/token/revoke-accessor', { accessor: t.accessor });
    const r = await ctx.send(t.token, 'GET', '/v1/secrets/atk/prod/app/visible');
    return [r.status === 401, `${r.status}`];
  });
  await probe('used-up token (numUses 1)', async () => {
    const t = await mint(ctx, ctx.root, { policies: ['atk-least'], numUses: 1 });
    const first = await ctx.send(t.token, 'GET', '/v1/secrets/atk/prod/app/visible');
    const second = await ctx.send(t.token, 'GET', '/v1/secrets/atk/prod/app/visible');
    return [first.status === 200 && second.status === 401, `${first.status} then ${second.status}`];
  });
  await probe("child of a use-limited token gets at most the parent's remaining uses", async () => {
    // The child's uses come out of the parent's: parent and child together never read more than the parent's 2.
    const parent = await mint(ctx, ctx.root, { policies: ['atk-least'], numUses: 2 });
    const child = await mint(ctx, parent.token, {});
    let ok = 0;
    for (const token of [child.token, child.token, child.token, parent.token, parent.token]) {
      if ((await ctx.send(token, 'GET', '/v1/secrets/atk/prod/app/visible')).status === 200) ok += 1;
    }
    return [ok <= 2, `${ok}/5 reads by the child and its parent succeeded`];
  });
  await probe('revoked parent takes its child', async () => {
    const parent = await mint(ctx, ctx.root, { policies: ['atk-least'] });
    const child = await mint(ctx, parent.token, {});
    await ctx.send(ctx.root, 'POST', '/v1/auth/token/revoke-accessor', { accessor: parent.accessor });
    const r = await ctx.send(child.token, 'GET', '/v1/secrets/atk/prod/app/visible');
    return [r.status === 401, `${r.status}`];
  });
  return out;
}

/** Seal with root, then try an anonymous unseal: it must be refused (issue 12 item 1). Runs last: it may leave the store sealed. */
export async function sealProbe(ctx: ProbeContext): Promise<ProbeResult> {
  const sealed = await ctx.send(ctx.root, 'POST', '/v1/sys/seal');
  const anon = await ctx.send(undefined, 'POST', '/v1/sys/unseal', {});
  const status = await ctx.send(undefined, 'GET', '/v1/sys/seal-status');
  const stillSealed = (status.json as { sealed?: boolean }).sealed === true;
  return {
    name: 'anonymous unseal after an operator seal',
    refused: sealed.status < 300 && stillSealed,
    detail: `seal ${sealed.status}, anonymous unseal ${anon.status} ${anon.text.slice(0, 80)}, sealed after: ${stillSealed}`,
  };
}
