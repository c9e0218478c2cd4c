import type {
  BatchReport,
  RotationPolicy,
  RotationPolicyInput,
  RotationResult,
  RotationState,
  RotationStatusEntry,
} from './api-types.js';
import type { Transport } from './http-transport.js';
import { addr, prefix } from './path-params.js';

/** A policy's target in the URL: a secret address for `path` policies, a prefix for `prefix` ones. */
const target = (kind: RotationPolicy['kind'], text: string) =>
  `/v1/rotation/policies/${kind}/${kind === 'path' ? addr(text) : prefix(text)}`;

/** `rotation`: rotation policies, rotating now, on-deploy runs and status. Results never carry values. */
export function rotationApi(call: Transport) {
  return {
    /** Create or replace the policy of `input.path` or `input.prefix`. */
    setPolicy: async (input: RotationPolicyInput) =>
      call<RotationPolicy>({ method: 'PUT', path: '/v1/rotation/policies', body: input }),
    getPolicy: async (kind: RotationPolicy['kind'], text: string) =>
      call<RotationPolicy>({ method: 'GET', path: target(kind, text) }),
    /** The policies the token may rotate. */
    listPolicies: async () =>
      call<{ policies: RotationPolicy[] }>({ method: 'GET', path: '/v1/rotation/policies' }),
    deletePolicy: async (kind: RotationPolicy['kind'], text: string) =>
      call<{ deleted: true; kind: RotationPolicy['kind']; target: string }>({
        method: 'DELETE',
        path: target(kind, text),
      }),
    /** Rotate one secret now (stage, hook, promote). */
    rotate: async (address: string) =>
      call<RotationResult>({ method: 'POST', path: `/v1/rotation/rotate/${addr(address)}`, body: {} }),
    /** Rotate every covered secret below `text` now. */
    rotatePrefix: async (text: string) =>
      call<BatchReport>({ method: 'POST', path: `/v1/rotation/rotate-prefix/${prefix(text)}`, body: {} }),
    /** Rotate due or flagged secrets whose policy has `onDeploy` (optionally below `prefix`). */
    onDeploy: async (opts: { prefix?: string } = {}) =>
      call<BatchReport>({ method: 'POST', path: '/v1/rotation/on-deploy', body: opts }),
    /** Mark a secret for rotation at the next on-deploy run. */
    flag: async (address: string) =>
      call<RotationState>({ method: 'POST', path: `/v1/rotation/flag/${addr(address)}`, body: {} }),
    /** Next due time, flag and last result of covered secrets the token may rotate. */
    status: async (opts: { prefix?: string } = {}) =>
      call<{ entries: RotationStatusEntry[] }>({
        method: 'GET',
        path: '/v1/rotation/status',
        query: { prefix: opts.prefix },
      }),
  };
}
