import { HushError } from '../../core/errors/hush-error.js';

/** What a message may name: the table, region and endpoint (never credentials) and the retry budget. */
export interface DynamoErrorContext {
  readonly target: string;
  readonly maxAttempts: number;
  readonly requestTimeoutMs: number;
}

const THROTTLED = new Set([
  'ProvisionedThroughputExceededException',
  'ThrottlingException',
  'RequestLimitExceeded',
  'LimitExceededException',
]);
const DENIED = new Set([
  'AccessDeniedException',
  'UnrecognizedClientException',
  'InvalidSignatureException',
  'ExpiredTokenException',
  'MissingAuthenticationTokenException',
]);
const NETWORK = /^(E[A-Z]+|TimeoutError|RequestTimeout|AbortError)$/;

/** The error name (SDK exception name) or Node socket code of a failure. */
function nameOf(err: unknown): string {
  if (typeof err !== 'object' || err === null) return 'Error';
  const code = (err as { code?: unknown }).code;
  if (typeof code === 'string' && /^E[A-Z]+$/.test(code)) return code;
  const name = (err as { name?: unknown }).name;
  return typeof name === 'string' ? name : 'Error';
}

/** True when a conditional write failed its ConditionExpression (a check-and-set race or a lock). */
export function isConditionFailed(err: unknown): boolean {
  return nameOf(err) === 'ConditionalCheckFailedException';
}

/**
 * Turn an AWS SDK or socket failure into a one-line coded HushError naming the table and the fix. The SDK's own
 * message is not echoed: access-denied messages carry account ARNs, and none of it is our contract.
 * Errors that are already coded, and programmer mistakes (TypeError, RangeError), pass through unchanged.
 */
export function toDynamoError(err: unknown, ctx: DynamoErrorContext, action: string): Error {
  if (err instanceof HushError || err instanceof TypeError || err instanceof RangeError) return err;
  const name = nameOf(err);
  const storage = (text: string) => new HushError('HUSH_E_STORAGE', text, { code: name });
  if (name === 'ResourceNotFoundException') {
    return storage(
      `cannot ${action}: DynamoDB ${ctx.target} does not exist; create it (docs/storage.md, "DynamoDB") or set createTable: true for development`,
    );
  }
  if (THROTTLED.has(name)) {
    return storage(
      `cannot ${action}: DynamoDB throttled ${ctx.target} (${name}) after ${ctx.maxAttempts} attempts; use on-demand billing or raise the table's capacity, then retry`,
    );
  }
  if (name === 'CredentialsProviderError') {
    return storage(
      `cannot ${action}: found no AWS credentials for ${ctx.target}; provide them through the SDK's default chain (AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, AWS_PROFILE and shared files, web identity, container or instance role)`,
    );
  }
  if (DENIED.has(name)) {
    return storage(
      `cannot ${action}: AWS refused the credentials for ${ctx.target} (${name}); check the SDK credential chain (AWS_PROFILE, environment, role) and the IAM permissions in docs/storage.md`,
    );
  }
  if (NETWORK.test(name)) {
    return storage(
      `cannot ${action}: DynamoDB ${ctx.target} is unreachable (${name}) after ${ctx.maxAttempts} attempts of at most ${ctx.requestTimeoutMs} ms; check the region, endpoint and network`,
    );
  }
  if (name === 'ValidationException') {
    return storage(
      `cannot ${action}: DynamoDB rejected the request on ${ctx.target} (ValidationException); check that the table's key schema is pk (String, HASH) + sk (Binary, RANGE)`,
    );
  }
  return storage(
    `cannot ${action}: DynamoDB ${ctx.target} failed (${name}); retry, and check the AWS service health`,
  );
}
