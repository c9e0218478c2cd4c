import { isSigV4Failure, parseSigV4, type SigV4Request, verifySigV4 } from '../../core/aws/sigv4.js';
import { isHushError } from '../../core/errors/index.js';
import type { Caller, ServerAuth } from '../../ports/auth-port.js';
import type { AccessKeys } from './access-keys.js';
import { AwsError } from './aws-error.js';

/** The caller of a SigV4 request and the region it signed for (ARNs in replies name it). */
export interface AwsPrincipal {
  readonly caller: Caller;
  readonly region: string;
  readonly accessKeyId: string;
}

/** Why authentication failed, with the access key id when one was presented (for the audit trail). */
export class AwsAuthError extends AwsError {
  constructor(
    type: string,
    message: string,
    readonly accessKeyId?: string,
  ) {
    super(type, message);
  }
}

const INVALID_KEY = 'The security token included in the request is invalid.';

/**
 * Authenticate a SigV4 request for `service` (the signing name: `secretsmanager`, `kms`): the signature is checked
 * with the key's sealed secret, then the key's bound token goes through the server's own authenticator, so a
 * revoked or expired token refuses the key (UnrecognizedClientException) exactly as it would refuse the token.
 */
export function createAwsAuthenticator(deps: {
  readonly keys: Pick<AccessKeys, 'credentials'>;
  readonly auth: Pick<ServerAuth, 'authenticate'>;
  readonly clock: () => Date;
}) {
  return async function authenticate(req: SigV4Request, service: string): Promise<AwsPrincipal> {
    const claim = parseSigV4(req);
    if (isSigV4Failure(claim)) throw new AwsAuthError(claim.type, claim.message);
    const id = claim.accessKeyId;
    if (claim.service !== service)
      throw new AwsAuthError(
        'InvalidSignatureException',
        `Credential should be scoped to correct service: '${service}'.`,
        id,
      );
    const credentials = await deps.keys.credentials(id);
    if (!credentials) throw new AwsAuthError('UnrecognizedClientException', INVALID_KEY, id);
    const failure = verifySigV4(req, claim, credentials.secret, deps.clock());
    if (failure) throw new AwsAuthError(failure.type, failure.message, id);
    let caller: Caller;
    try {
      caller = await deps.auth.authenticate(credentials.token);
    } catch (err) {
      if (isHushError(err, 'HUSH_E_UNAUTHENTICATED'))
        throw new AwsAuthError('UnrecognizedClientException', INVALID_KEY, id);
      throw err;
    }
    return { caller: { ...caller, authMethod: 'aws-sigv4' }, region: claim.region, accessKeyId: id };
  };
}
