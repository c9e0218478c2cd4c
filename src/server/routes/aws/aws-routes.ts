import type { FastifyPluginAsync } from 'fastify';
import type { AwsCompat } from '../../../compat/aws/index.js';
import { registerAwsEndpoint } from './aws-endpoint.js';
import { registerAwsKeyRoutes } from './aws-keys-routes.js';

/** What {@link awsRoutes} is built from. */
export interface AwsRouteDeps {
  readonly aws: AwsCompat;
}

/**
 * The AWS-compatible API: the SigV4 JSON endpoint for the AWS SDKs and CLI (`/v1/aws`, its own error handler and
 * body parser, in a scope of its own) and the native routes that issue its access keys (`/v1/aws/keys`).
 */
export function awsRoutes(deps: AwsRouteDeps): FastifyPluginAsync {
  return async (app) => {
    registerAwsKeyRoutes(app, deps);
    await app.register(async (scope) => registerAwsEndpoint(scope, deps));
  };
}
