import type { RouteOptions } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UNDECLARED_REPLY } from '../src/api/contract.js';
import { makeApiFixture } from './api-fixture.js';

// Every route of the fully composed server (openServerDeps + buildApp, as `hush server` runs it) has a response
// schema for its success status: it is what serialises the reply (fast, and no field the schema does not name leaks)
// and what /v1/openapi.json publishes. The schema comes from the route's entry in the wire contract (src/api/); see
// docs/ARCHITECTURE.md, "Adding a route".

let fixture: Awaited<ReturnType<typeof makeApiFixture>>;
const seen: { route: string; response: Record<string, unknown> | undefined }[] = [];

beforeAll(async () => {
  fixture = await makeApiFixture();
  // The route groups register when the app gets ready, so this hook sees each of them as it is added.
  fixture.app.addHook('onRoute', (options: RouteOptions) => {
    const methods = Array.isArray(options.method) ? options.method : [options.method];
    const response = (options.schema as { response?: Record<string, unknown> } | undefined)?.response;
    for (const method of methods) {
      if (method !== 'HEAD') seen.push({ route: `${method} ${options.url}`, response });
    }
  });
  await fixture.app.ready();
});
afterAll(async () => {
  await fixture?.cleanup();
});

const successSchemas = (response: Record<string, unknown> | undefined) =>
  Object.entries(response ?? {})
    .filter(([status]) => /^[23](\d\d|xx)$/.test(status))
    .map(([, schema]) => schema);

/**
 * Routes still on the contract's `undeclaredResponse` (any JSON, nothing dropped) while their groups move to
 * declared replies. A ratchet: it may only go down (lower it when you declare a group's replies).
 */
const UNDECLARED_AT_MOST = 99;

describe('every route has a reply schema', () => {
  it('each route of the composed server has a response schema for its success status', () => {
    expect(seen.length).toBeGreaterThan(150);
    const missing = seen.filter((r) => successSchemas(r.response).length === 0).map((r) => r.route);
    expect(missing).toEqual([]);
  });

  it('the routes whose reply is not yet declared in the contract do not grow in number', () => {
    const undeclared = seen.filter((r) => successSchemas(r.response).includes(UNDECLARED_REPLY));
    expect(undeclared.length).toBeLessThanOrEqual(UNDECLARED_AT_MOST);
  });
});
