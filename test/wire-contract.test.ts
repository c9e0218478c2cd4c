import { afterAll, beforeAll, describe, expect, expectTypeOf, it } from 'vitest';
import type { z } from 'zod';
import { errorReply, jsonSchemaOf, type ReplyOf, routeSchema } from '../src/api/contract.js';
import { createTokenBody, tokenApi } from '../src/api/tokens.js';
import {
  type CreatedToken,
  type CreateTokenOptions,
  createHushClient,
  type RevokedTokens,
  type TokenView,
} from '../src/client/index.js';
import type { TokenView as ServiceTokenView } from '../src/identity/token-records.js';
import { makeApiFixture } from './api-fixture.js';

// The wire contract (src/api/) is the one declaration of each operation: the SDK's types are its types, the route
// serves its JSON schema, and /v1/openapi.json publishes that same schema.

let fx: Awaited<ReturnType<typeof makeApiFixture>>;
let url: string;
beforeAll(async () => {
  fx = await makeApiFixture();
  url = (await fx.listen()).url;
});
afterAll(async () => {
  await fx?.cleanup();
});

describe('the SDK types are the contract’s', () => {
  it('create-token: options are the contract body, the reply is the contract reply', () => {
    expectTypeOf<CreateTokenOptions>().toEqualTypeOf<z.input<typeof createTokenBody>>();
    expectTypeOf<CreatedToken>().toEqualTypeOf<ReplyOf<typeof tokenApi.create>>();
    expectTypeOf<RevokedTokens>().toEqualTypeOf<ReplyOf<typeof tokenApi.revokeAccessor>>();
    expectTypeOf<TokenView>().toEqualTypeOf<ReplyOf<typeof tokenApi.lookupSelf>>();
    // The service's view and the wire's agree (a field added to one and not the other fails to compile).
    expectTypeOf<Required<ServiceTokenView>>().toEqualTypeOf<Required<Readonly<TokenView>>>();
  });

  it('round trip: what the SDK sends parses by the contract, and what it gets back parses by the contract', async () => {
    const hush = createHushClient({
      address: url,
      token: fx.tokens['user:admin'] ?? '',
      retries: { attempts: 1 },
    });
    const options = {
      policies: ['user-admin-policy'],
      ttl: '1h',
      numUses: 5,
      displayName: 'round trip',
      metadata: { team: 'a' },
    } satisfies CreateTokenOptions;
    expect(createTokenBody.parse(options)).toEqual(options);
    const created = await hush.tokens.create(options);
    // Strict parse: the reply carries exactly the contract's fields (a field the serialiser dropped would fail too).
    expect(tokenApi.create.reply.parse(created)).toEqual(created);
    expect(created.auth).toMatchObject({
      displayName: 'round trip',
      usesRemaining: 5,
      metadata: { team: 'a' },
    });
    const child = createHushClient({ address: url, token: created.token, retries: { attempts: 1 } });
    const view = await child.tokens.lookupSelf();
    expect(tokenApi.lookupSelf.reply.parse(view)).toEqual(view);
    const revoked = await child.tokens.revokeSelf();
    expect(tokenApi.revokeSelf.reply.parse(revoked)).toEqual(revoked);
    expect(revoked.revoked).toContain(created.auth.accessor);
  });

  it('a field the contract does not name is not sent (the reply schema is closed)', () => {
    const schema = routeSchema(tokenApi.lookupSelf).response as Record<
      string,
      { additionalProperties?: unknown }
    >;
    expect(schema['200']?.additionalProperties).toBe(false);
  });
});

describe('the OpenAPI document is derived from the contract', () => {
  it('create-token’s request and reply schemas are the contract’s JSON schemas', async () => {
    const doc = (await (await fetch(`${url}/v1/openapi.json`)).json()) as {
      paths: Record<string, Record<string, Record<string, unknown>>>;
      components: { schemas: Record<string, unknown> };
    };
    const op = doc.paths['/v1/auth/token/create']?.['post'] as {
      summary: string;
      requestBody: { content: { 'application/json': { schema: unknown } } };
      responses: Record<string, { content: { 'application/json': { schema: unknown } } }>;
      'x-hush-auth': unknown;
    };
    expect(op.summary).toBe(tokenApi.create.summary);
    expect(op.requestBody.content['application/json'].schema).toEqual(
      jsonSchemaOf(tokenApi.create.body, 'input'),
    );
    expect(op.responses['200']?.content['application/json'].schema).toEqual(
      jsonSchemaOf(tokenApi.create.reply, 'output'),
    );
    expect(op['x-hush-auth']).toEqual({ mode: 'token' });
    expect(doc.components.schemas['Error']).toEqual(jsonSchemaOf(errorReply, 'output'));
  });

  it('an error reply has the shared error shape', async () => {
    const res = await fetch(`${url}/v1/auth/token/create`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-hush-token': fx.tokens['user:admin'] ?? '' },
      body: JSON.stringify({ numUses: 0 }),
    });
    expect(res.status).toBe(400);
    const body: unknown = await res.json();
    expect(() => errorReply.parse(body)).not.toThrow();
  });
});
