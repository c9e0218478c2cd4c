export type { AccessKeys, AccessKeyView, CreateAccessKeyInput, CreatedAccessKey } from './access-keys.js';
export { ACCESS_KEY_ID } from './access-keys.js';
export { AwsAuthError, type AwsPrincipal } from './aws-authenticate.js';
export type { AwsAuditNote, AwsCall, AwsOperationTable } from './aws-call.js';
export { AwsError, toAwsError } from './aws-error.js';
export { type AwsCompat, type AwsService, createAwsCompat } from './create-aws-compat.js';
