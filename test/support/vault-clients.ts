import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { api, type HushServer } from './hush-server.js';
import { toolMissing } from './require-tool.js';

/** Debian's Python (the `python3` on PATH may be a shim without Debian's modules). */
export const DEBIAN_PYTHON = '/usr/bin/python3';

/** Why hvac cannot be run here (with the apt package that installs it), or undefined when it can. */
export const hvacMissing = (): string | undefined =>
  toolMissing(DEBIAN_PYTHON, 'python3-hvac', ['-c', 'import hvac']);

/** The Vault address of a Hush server: its URL plus the `/vault` prefix. */
export const vaultAddr = (server: Pick<HushServer, 'url'>): string => `${server.url}/vault`;

/**
 * Run a Python snippet with a real hvac client: `client` is `hvac.Client(url=VAULT_ADDR, token=VAULT_TOKEN,
 * strict_http=True)`, `b64(text)` base64-encodes; the snippet assigns `out`, printed back as JSON. An exception
 * escaping the snippet fails the call with Python's message.
 */
export function runHvac(
  server: Pick<HushServer, 'url'>,
  token: string | undefined,
  snippet: string,
): Promise<unknown> {
  const script = [
    'import base64, json, os, hvac',
    'from hvac import exceptions',
    "client = hvac.Client(url=os.environ['VAULT_ADDR'], token=os.environ.get('VAULT_TOKEN'), strict_http=True)",
    'def b64(text): return base64.b64encode(text.encode()).decode()',
    'def raised(fn):',
    '    try:',
    '        fn()',
    '        return None',
    '    except Exception as e:',
    '        return [type(e).__name__, str(e).split(", on ")[0]]',
    'out = None',
    snippet,
    'print(json.dumps(out))',
  ].join('\n');
  const env: Record<string, string> = {
    PATH: process.env['PATH'] ?? '/usr/bin',
    VAULT_ADDR: vaultAddr(server),
  };
  if (token) env['VAULT_TOKEN'] = token;
  return new Promise((resolve, reject) => {
    execFile(DEBIAN_PYTHON, ['-c', script], { env, timeout: 60_000 }, (err, stdout, stderr) => {
      if (err)
        return reject(new Error(`hvac snippet failed: ${stderr.trim().split('\n').slice(-3).join(' | ')}`));
      const last = stdout.trim().split('\n').pop() ?? 'null';
      resolve(JSON.parse(last));
    });
  });
}

/** The server's audit records (the default JSONL sink in the data directory), parsed. */
export function auditRecords(dataDir: string): Array<Record<string, unknown>> {
  return readFileSync(join(dataDir, 'audit.jsonl'), 'utf8')
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

/** Write a Hush policy through the native API (test setup). */
export async function putPolicy(
  server: Pick<HushServer, 'url'>,
  root: string,
  name: string,
  rules: unknown[],
) {
  const res = await api(server, root, 'PUT', `/v1/sys/policies/${name}`, { rules });
  if (res.status !== 200) throw new Error(`policy ${name}: ${res.text}`);
}

/** A token with `policies`, created through the native API (test setup). */
export async function tokenWith(
  server: Pick<HushServer, 'url'>,
  root: string,
  policies: string[],
): Promise<string> {
  const res = await api(server, root, 'POST', '/v1/auth/token/create', { policies, ttl: '1h' });
  if (res.status !== 200) throw new Error(`token: ${res.text}`);
  return (res.json as { token: string }).token;
}

/** An AppRole role `name` with `policies`, and a role id and secret id for it (native API, test setup). */
export async function appRoleCredentials(
  server: Pick<HushServer, 'url'>,
  root: string,
  name: string,
  policies: string[],
): Promise<{ roleId: string; secretId: string }> {
  await api(server, root, 'POST', `/v1/auth/approle/role/${name}`, { policies });
  const roleId = (await api(server, root, 'GET', `/v1/auth/approle/role/${name}/role-id`)).json as {
    roleId: string;
  };
  const secret = (await api(server, root, 'POST', `/v1/auth/approle/role/${name}/secret-id`)).json as {
    secretId: string;
  };
  return { roleId: roleId.roleId, secretId: secret.secretId };
}
