// The floor of an audited secret read on this machine: a server with no framework (node:http only) that does just
// the work every read of a Hush-grade store must do, using Hush's own functions for each step, and nothing else.
// server-bench.js loads it next to the bare Fastify baseline and `hush server`, in the same run, so the ratio the
// issue asks for can be read against what is possible at all here. Not a server to use: one token, one policy,
// values held in memory, no routing, no limits, no metrics, no logs.
//
// Usage (child of server-bench.js): node bench/floor-server.js PORT WORK AUDIT_DIR [SECRETS]
//   WORK=raw      a constant 1 KiB JSON reply, like the bare Fastify route, but on node:http alone.
//   WORK=minimum  per request: the token's HMAC lookup id and a map lookup (how Hush stores tokens), a policy
//                 check (`allows`), one AES-256-GCM open of a 1 KiB value with its AAD (`openAead`), one
//                 hash-chained, redacted audit record appended through Hush's audit log to a JSONL file (`write`
//                 mode: handed to the kernel before the reply) and awaited, then a JSON reply with the value.
import { createHmac, randomBytes, randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import { createAuditLog, createJsonlFileSink } from '../dist/audit/index.js';
import { openAead, sealAead } from '../dist/core/crypto/aead.js';
import { compilePolicy } from '../dist/core/policy/compile-policy.js';
import { allows } from '../dist/core/policy/evaluate.js';

const [port, work, auditDir, secrets = '100'] = process.argv.slice(2);
if (!['raw', 'minimum'].includes(work) || !port || !auditDir)
  throw new Error('usage: node bench/floor-server.js PORT raw|minimum AUDIT_DIR [SECRETS]');

const PREFIX = '/v1/secrets/';
const constant = JSON.stringify({ value: 'x'.repeat(1024) });
const lookupKey = randomBytes(32);
const lookupId = (token) => createHmac('sha256', lookupKey).update(token).digest('hex');
const token = `hush_s_${randomBytes(24).toString('base64url')}`;
const tokens = new Map([
  [lookupId(token), { identity: 'token:bench', accessor: randomBytes(12).toString('hex') }],
]);
const policies = [
  compilePolicy({ name: 'bench-read', rules: [{ path: 'bench/prod/**', capabilities: ['read'] }] }),
];
const dataKey = randomBytes(32);
const values = new Map();
for (let i = 0; i < Number(secrets); i += 1) {
  const path = `bench/prod/s${i}`;
  const aad = { purpose: 'value', path, version: 1 };
  values.set(path, { box: sealAead(dataKey, randomBytes(768), aad), aad });
}
const audit = await createAuditLog({
  sinks: [createJsonlFileSink({ dir: auditDir, sync: 'write' })],
  hmacKey: randomBytes(32),
});

function reply(res, status, body) {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
  res.end(body);
}

async function read(req, res) {
  const caller = tokens.get(lookupId(String(req.headers['x-hush-token'] ?? '')));
  if (!caller) return reply(res, 401, '{"error":"unauthenticated"}');
  const path = req.url.startsWith(PREFIX) ? req.url.slice(PREFIX.length) : '';
  const sealed = values.get(path);
  if (!sealed || !allows(policies, path, 'read', new Date())) return reply(res, 403, '{"error":"denied"}');
  const value = openAead(dataKey, sealed.box, sealed.aad).toString('base64');
  await audit.append({
    requestId: randomUUID(),
    operation: 'secrets.read',
    outcome: 'allowed',
    identity: caller.identity,
    tokenAccessor: caller.accessor,
    authMethod: 'token',
    sourceAddress: req.socket.remoteAddress ?? null,
    path,
    details: { version: 1 },
  });
  reply(res, 200, JSON.stringify({ path, version: 1, value, createdAt: '2026-01-01T00:00:00.000Z' }));
}

const server = createServer((req, res) => {
  if (work === 'raw') return reply(res, 200, constant);
  read(req, res).catch((err) => reply(res, 500, JSON.stringify({ error: String(err.message) })));
});
server.listen(Number(port), '127.0.0.1', () => {
  // The token goes to the parent on stdout (a bench-only server on loopback; nothing here is a real secret).
  process.stdout.write(`floor listening token=${token}\n`);
});
process.on('SIGTERM', () => server.close(() => audit.close().then(() => process.exit(0))));
