import type { AccessKeyView, CreatedAccessKey } from '../compat/aws/index.js';
import type { Transport } from './http-transport.js';

/** `aws`: the access keys AWS SDKs and the AWS CLI sign with against `<HUSH_ADDR>/v1/aws`. */
export function awsApi(call: Transport) {
  return {
    /** Issue a key bound to a new token with `policies` (a subset of the caller's); the secret is returned once. */
    createKey: async (input: { policies?: readonly string[]; ttl?: string; description?: string }) =>
      call<CreatedAccessKey>({ method: 'POST', path: '/v1/aws/keys', body: input }),
    listKeys: async () =>
      call<{ keys: AccessKeyView[] }>({ method: 'GET', path: '/v1/aws/keys', fresh: true }),
    /** Revoke the key and its bound token. */
    revokeKey: async (accessKeyId: string) =>
      call<AccessKeyView>({ method: 'DELETE', path: `/v1/aws/keys/${encodeURIComponent(accessKeyId)}` }),
  };
}
