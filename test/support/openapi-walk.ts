import type { HushServer } from './hush-server.js';

/** One operation of /v1/openapi.json with a concrete URL and a body that passes its schema. */
export interface WalkOperation {
  readonly method: string;
  /** The OpenAPI path, e.g. `/v1/secrets/{path}`. */
  readonly template: string;
  /** A concrete URL for it, e.g. `/v1/secrets/walk/prod/x`. */
  readonly url: string;
  /** True when the document says it needs a token. */
  readonly secured: boolean;
  /** A minimal body valid for the route's schema (undefined when the route takes none). */
  readonly body: unknown;
}

type Schema = {
  type?: string | string[];
  properties?: Record<string, Schema>;
  required?: string[];
  items?: Schema;
  minItems?: number;
  enum?: unknown[];
  anyOf?: Schema[];
  oneOf?: Schema[];
  format?: string;
  minimum?: number;
  pattern?: string;
};

/** Concrete values for path parameters: a secret address for `{path}`, plain names for the rest. */
const PARAMS: Record<string, string> = {
  path: 'walk/prod/x',
  project: 'walk',
  env: 'prod',
  name: 'walkname',
  role: 'walkrole',
};

/** Path parameters whose shape depends on the route (the same name means different things on different routes). */
const ROUTE_PARAMS: Record<string, Record<string, string>> = {
  // AWS access key ids are `HKIA` + 16 base32 characters, like AWS's `AKIA...`.
  '/v1/aws/keys/{id}': { id: `HKIA${'A'.repeat(16)}` },
};

/** Field values the generic generator cannot guess (formats spelt as patterns, enums of meaning). */
const FIELDS: Record<string, unknown> = {
  accessor: 'a'.repeat(24),
  leaseId: `creds/walkname/walkrole/${'0'.repeat(32)}`,
  prefix: 'walk/prod',
  path: 'walk/prod/x',
  from: 'walk/prod/x',
  to: 'walk/prod/y',
  capability: 'read',
  identity: 'token:nobody',
  ttl: '1h',
  maxTtl: '2h',
  interval: '30d',
  digests: ['0'.repeat(64)],
  session: '0'.repeat(32),
  connectionUrl: 'postgresql://walk@127.0.0.1:1/walk',
  boundIssuer: 'https://issuer.example',
  boundAudiences: ['walk'],
  rules: [{ path: 'walk/**', capabilities: ['read'] }],
  policies: ['walk'],
  protector: 'root',
  text: 'K=v\n',
  value: 'walk-value',
  version: 1,
};

/** Whole bodies for routes whose schema is looser than what they accept (checked in the handler). */
const BODIES: Record<string, unknown> = {
  'PUT /v1/rotation/policies': { path: 'walk/prod/x', interval: '30d' },
  'POST /v1/leases/revoke-prefix': { prefix: 'creds/walkname' },
  // AppRole secret-id accessors are `sid_...`, unlike token accessors.
  'POST /v1/auth/approle/role/{name}/secret-id-accessor/revoke': { accessor: `sid_${'a'.repeat(24)}` },
  'POST /v1/auth/approle/role/{name}/secret-id-accessor/destroy': { accessor: `sid_${'a'.repeat(24)}` },
};

/** A minimal instance of a JSON schema: required properties only, first enum value, minimums. */
export function sampleOf(schema: Schema | undefined, field?: string): unknown {
  if (!schema) return undefined;
  if (field !== undefined && field in FIELDS) return FIELDS[field];
  if (schema.enum) return schema.enum[0];
  const first = schema.anyOf?.[0] ?? schema.oneOf?.[0];
  if (first) return sampleOf(first, field);
  const type = Array.isArray(schema.type) ? schema.type[0] : schema.type;
  switch (type) {
    case 'object': {
      const out: Record<string, unknown> = {};
      for (const name of schema.required ?? []) out[name] = sampleOf(schema.properties?.[name], name);
      return out;
    }
    case 'array':
      return Array.from({ length: schema.minItems ?? 0 }, () => sampleOf(schema.items));
    case 'integer':
    case 'number':
      return schema.minimum ?? 1;
    case 'boolean':
      return false;
    case 'string':
      return schema.format === 'date-time' ? '2030-01-01T00:00:00.000Z' : 'walk';
    default:
      return {};
  }
}

/** Every operation of the server's own OpenAPI document, made concrete. */
export async function walkOperations(server: Pick<HushServer, 'url'>): Promise<WalkOperation[]> {
  const doc = (await (await fetch(`${server.url}/v1/openapi.json`)).json()) as {
    paths: Record<
      string,
      Record<
        string,
        {
          security?: unknown;
          parameters?: { name: string; in: string; required?: boolean; schema: Schema }[];
          requestBody?: { content: Record<string, { schema: Schema }> };
        }
      >
    >;
  };
  const out: WalkOperation[] = [];
  for (const [template, ops] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(ops)) {
      const path = template.replace(
        /\{([A-Za-z0-9_]+)\}/g,
        (_m, name: string) => ROUTE_PARAMS[template]?.[name] ?? PARAMS[name] ?? 'walk',
      );
      const query = new URLSearchParams();
      for (const p of op.parameters ?? []) {
        if (p.in === 'query' && p.required) query.set(p.name, String(sampleOf(p.schema, p.name)));
      }
      const schema = op.requestBody?.content['application/json']?.schema;
      const key = `${method.toUpperCase()} ${template}`;
      out.push({
        method: method.toUpperCase(),
        template,
        url: query.size > 0 ? `${path}?${query}` : path,
        secured: op.security !== undefined,
        body: key in BODIES ? BODIES[key] : schema ? sampleOf(schema) : undefined,
      });
    }
  }
  return out;
}
