import { z } from 'zod';
import { hushError } from '../core/errors/index.js';
import { GENERATOR_KINDS, type GenerateRequest, generateSecret } from '../core/generate/index.js';
import { parseAddress, parsePrefix } from '../core/secrets/address.js';
import { assertJsonDepth } from '../core/secrets/json-depth.js';
import { parseDuration } from '../identity/duration.js';

/** How a rotation makes and installs the new value. */
export const ROTATORS = ['generate', 'postgres-role'] as const;
/** One of {@link ROTATORS}. */
export type Rotator = (typeof ROTATORS)[number];

const MAX_HOOK_TIMEOUT_MS = 10 * 60_000;

const hookSchema = z.union([
  z.strictObject({
    /** argv: run without a shell; the new value arrives on stdin. */
    command: z.array(z.string().min(1).max(4096)).min(1).max(64),
    timeoutMs: z.number().int().positive().max(MAX_HOOK_TIMEOUT_MS).optional(),
  }),
  z.strictObject({
    /** POSTed `{ path, version }` (never the value); https, or http to a loopback address. */
    url: z.string().min(1).max(2048),
    timeoutMs: z.number().int().positive().max(MAX_HOOK_TIMEOUT_MS).optional(),
  }),
]);

/** A hook that must succeed before a staged value is promoted. */
export type RotationHook = z.infer<typeof hookSchema>;

const generatorSchema = z.strictObject({
  kind: z.enum(GENERATOR_KINDS),
  options: z.record(z.string(), z.unknown()).optional(),
});

/** The policy as a caller writes it (CLI flags or the API body). */
export const policyInputSchema = z.strictObject({
  path: z.string().optional(),
  prefix: z.string().optional(),
  /** e.g. `30d`, `12h`. */
  interval: z.string(),
  generator: generatorSchema.optional(),
  hook: hookSchema.optional(),
  rotator: z.enum(ROTATORS).optional(),
  /** postgres-role: the path of a secret holding the admin connection URL. */
  connection: z.string().optional(),
  /** postgres-role: the role whose password rotates. */
  role: z.string().min(1).max(63).optional(),
  /** Rotate on `hush rotate --on-deploy` when due or flagged. */
  onDeploy: z.boolean().optional(),
});

/** What a caller sends to create or replace a policy. */
export type RotationPolicyInput = z.infer<typeof policyInputSchema>;

/** A stored rotation policy (encrypted at rest). */
export interface RotationPolicy {
  /** `path` policies cover one secret; `prefix` policies every secret below the prefix. */
  readonly kind: 'path' | 'prefix';
  readonly target: string;
  readonly intervalMs: number;
  readonly generator: { readonly kind: GenerateRequest['kind']; readonly options?: Record<string, unknown> };
  readonly hook?: RotationHook;
  readonly rotator: Rotator;
  readonly connection?: string;
  readonly role?: string;
  readonly onDeploy: boolean;
  readonly updatedAt: string;
  readonly updatedBy: string;
}

/** The generator request a policy describes (options are validated by the generator itself). */
export function generatorRequestOf(policy: Pick<RotationPolicy, 'generator'>): GenerateRequest {
  const { kind, options } = policy.generator;
  // The generator validates every option it reads (and rejects bad ones with a coded error), so the shape is safe.
  return (kind === 'uuid' ? { kind } : { kind, options: options ?? {} }) as GenerateRequest;
}

/** Validate a URL hook: https anywhere, plain http only to loopback (the hook learns paths and versions). */
export function checkHookUrl(text: string): URL {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw hushError('HOOK_URL_NOT_URL', { text: text.slice(0, 80) });
  }
  const loopback = ['127.0.0.1', '[::1]', 'localhost'].includes(url.hostname);
  if (url.protocol === 'https:' || (url.protocol === 'http:' && loopback)) return url;
  throw hushError('HOOK_URL_MUST_HTTPS_HTTP', { protocol: url.protocol, hostname: url.hostname });
}

/**
 * Validate a policy as written and turn it into the stored form. The generator is run once (its value dropped) so a
 * bad option fails now, not at 3 a.m. in the scheduler.
 */
export function parsePolicyInput(input: unknown, actor: string, now: Date): RotationPolicy {
  // `options` is free-form: bound its nesting so a stored policy can always be serialised back.
  assertJsonDepth(input, 'rotation policy');
  const parsed = policyInputSchema.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw hushError('ROTATION_POLICY_PATH_MESSAGE', {
      path: issue?.path.join('.') || '(root)',
      message: issue?.message ?? 'invalid',
    });
  }
  const p = parsed.data;
  if ((p.path === undefined) === (p.prefix === undefined))
    throw hushError('ROTATION_POLICY_NEEDS_EXACTLY_ONE');
  const kind = p.path !== undefined ? 'path' : 'prefix';
  const target = p.path !== undefined ? p.path : (p.prefix as string).replace(/\/$/, '');
  if (kind === 'path') parseAddress(target);
  else parsePrefix(target);
  const rotator = p.rotator ?? 'generate';
  const generator = p.generator ?? { kind: 'password' as const };
  if (rotator === 'postgres-role') {
    if (p.connection === undefined || p.role === undefined)
      throw hushError('POSTGRES_ROLE_ROTATOR_NEEDS_CONNECTION');
    if (kind !== 'path') throw hushError('POSTGRES_ROLE_ROTATOR_ROTATES_ONE');
    parseAddress(p.connection);
    if (generator.kind === 'keypair' || generator.kind === 'ssh-key')
      throw hushError('DATABASE_PASSWORD_CANNOT', { kind: generator.kind });
  } else if (p.connection !== undefined || p.role !== undefined) {
    throw hushError('CONNECTION_ROLE_APPLY_ONLY_ROTATOR');
  }
  if (p.hook && 'url' in p.hook) checkHookUrl(p.hook.url);
  const policy: RotationPolicy = {
    kind,
    target,
    intervalMs: parseDuration(p.interval, 'interval'),
    generator,
    ...(p.hook ? { hook: p.hook } : {}),
    rotator,
    ...(p.connection !== undefined ? { connection: p.connection } : {}),
    ...(p.role !== undefined ? { role: p.role } : {}),
    onDeploy: p.onDeploy === true,
    updatedAt: now.toISOString(),
    updatedBy: actor,
  };
  generateSecret(generatorRequestOf(policy));
  return policy;
}
