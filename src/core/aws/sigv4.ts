import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

/**
 * AWS Signature Version 4, the verifying half: parse what a client sent (Authorization header or presigned query),
 * rebuild the canonical request from the bytes received and compare signatures in constant time. Pure: the caller
 * looks up the secret for the access key id and supplies the clock.
 */

/** The request as received: the raw path and query (not decoded), the headers and the body bytes. */
export interface SigV4Request {
  readonly method: string;
  readonly rawPath: string;
  readonly rawQuery: string;
  readonly headers: Readonly<Record<string, string | readonly string[] | undefined>>;
  readonly body: Uint8Array;
}

/** What a signature claims: who signed, for which scope, over which headers, when. */
export interface SigV4Claim {
  readonly accessKeyId: string;
  readonly date: string;
  readonly region: string;
  readonly service: string;
  readonly signedHeaders: readonly string[];
  readonly signature: string;
  /** `YYYYMMDDTHHMMSSZ` */
  readonly amzDate: string;
  /** Presigned query requests only: seconds the signature stays valid. */
  readonly expiresSeconds?: number;
  readonly presigned: boolean;
}

/** Why a request is refused, in AWS's own error words (the `__type` a JSON service answers with). */
export interface SigV4Failure {
  readonly type:
    | 'MissingAuthenticationTokenException'
    | 'IncompleteSignatureException'
    | 'InvalidSignatureException';
  readonly message: string;
}

/** The most a signing time may differ from the server's clock (AWS: 15 minutes). */
export const MAX_CLOCK_SKEW_MS = 15 * 60_000;
/** The longest validity a presigned URL may claim (AWS: 7 days). */
export const MAX_PRESIGN_SECONDS = 7 * 86_400;
const ALGORITHM = 'AWS4-HMAC-SHA256';
const AMZ_DATE = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/;

function fail(type: SigV4Failure['type'], message: string): SigV4Failure {
  return { type, message };
}

function header(req: SigV4Request, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v.join(',') : (v as string | undefined);
}

/** Parse `a=b&c=d` without decoding, keeping repeats in order. */
function queryPairs(rawQuery: string): [string, string][] {
  if (rawQuery === '') return [];
  return rawQuery.split('&').map((part) => {
    const eq = part.indexOf('=');
    return eq === -1 ? [part, ''] : [part.slice(0, eq), part.slice(eq + 1)];
  });
}

function decode(text: string): string | undefined {
  try {
    return decodeURIComponent(text.replace(/\+/g, '%20'));
  } catch {
    return undefined;
  }
}

/** RFC 3986 encoding as SigV4 wants it: unreserved characters kept, everything else %XX upper-case. */
export function awsUriEncode(text: string): string {
  return encodeURIComponent(text).replace(
    /[!'()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}

/** Split `Credential=AKID/20261207/us-east-1/kms/aws4_request` into its parts, or undefined when malformed. */
function parseCredential(text: string) {
  const parts = text.split('/');
  if (parts.length !== 5 || parts[4] !== 'aws4_request') return undefined;
  const [accessKeyId, date, region, service] = parts as [string, string, string, string];
  if (accessKeyId === '' || !/^\d{8}$/.test(date) || region === '' || service === '') return undefined;
  return { accessKeyId, date, region, service };
}

/** Read the signature claim of a request: from `Authorization`, else from a presigned query, else a failure. */
export function parseSigV4(req: SigV4Request): SigV4Claim | SigV4Failure {
  const authz = header(req, 'authorization');
  if (authz !== undefined) return parseAuthorization(req, authz);
  const query = new Map(queryPairs(req.rawQuery).map(([k, v]) => [decode(k) ?? k, decode(v) ?? '']));
  if (query.has('X-Amz-Signature') || query.has('X-Amz-Credential')) return parsePresigned(query);
  return fail('MissingAuthenticationTokenException', 'Missing Authentication Token');
}

function parseAuthorization(req: SigV4Request, authz: string): SigV4Claim | SigV4Failure {
  const space = authz.indexOf(' ');
  const algorithm = space === -1 ? authz : authz.slice(0, space);
  if (algorithm !== ALGORITHM)
    return fail('IncompleteSignatureException', `Unsupported authorization type: ${algorithm.slice(0, 40)}`);
  const fields = new Map<string, string>();
  for (const part of authz.slice(space + 1).split(',')) {
    const eq = part.indexOf('=');
    if (eq > 0) fields.set(part.slice(0, eq).trim(), part.slice(eq + 1).trim());
  }
  const missing = ['Credential', 'SignedHeaders', 'Signature'].filter((f) => !fields.get(f));
  if (missing.length > 0)
    return fail(
      'IncompleteSignatureException',
      `Authorization header requires ${missing.map((m) => `'${m}'`).join(', ')} parameter(s)`,
    );
  const credential = parseCredential(fields.get('Credential') as string);
  if (!credential) return fail('IncompleteSignatureException', 'Credential is malformed');
  const amzDate = header(req, 'x-amz-date');
  if (amzDate === undefined)
    return fail(
      'IncompleteSignatureException',
      'Authorization header requires existence of an X-Amz-Date header',
    );
  return {
    ...credential,
    signedHeaders: (fields.get('SignedHeaders') as string).split(';'),
    signature: fields.get('Signature') as string,
    amzDate,
    presigned: false,
  };
}

function parsePresigned(query: Map<string, string>): SigV4Claim | SigV4Failure {
  const missing = [
    'X-Amz-Algorithm',
    'X-Amz-Credential',
    'X-Amz-Date',
    'X-Amz-SignedHeaders',
    'X-Amz-Signature',
  ];
  const absent = missing.filter((m) => !query.get(m));
  if (absent.length > 0)
    return fail('IncompleteSignatureException', `AWS query-string parameters missing: ${absent.join(', ')}`);
  if (query.get('X-Amz-Algorithm') !== ALGORITHM)
    return fail('IncompleteSignatureException', 'X-Amz-Algorithm must be AWS4-HMAC-SHA256');
  const credential = parseCredential(query.get('X-Amz-Credential') as string);
  if (!credential) return fail('IncompleteSignatureException', 'X-Amz-Credential is malformed');
  const expires = Number(query.get('X-Amz-Expires') ?? '900');
  if (!Number.isInteger(expires) || expires < 1 || expires > MAX_PRESIGN_SECONDS)
    return fail('IncompleteSignatureException', `X-Amz-Expires must be 1 to ${MAX_PRESIGN_SECONDS} seconds`);
  return {
    ...credential,
    signedHeaders: (query.get('X-Amz-SignedHeaders') as string).split(';'),
    signature: query.get('X-Amz-Signature') as string,
    amzDate: query.get('X-Amz-Date') as string,
    expiresSeconds: expires,
    presigned: true,
  };
}

/** The instant of an `X-Amz-Date` value, or undefined when malformed. */
export function parseAmzDate(text: string): Date | undefined {
  const m = AMZ_DATE.exec(text);
  if (!m) return undefined;
  const [, y, mo, d, h, mi, s] = m;
  const at = new Date(`${y}-${mo}-${d}T${h}:${mi}:${s}Z`);
  return Number.isNaN(at.getTime()) ? undefined : at;
}

/** Format an instant as `YYYYMMDDTHHMMSSZ`. */
export function formatAmzDate(at: Date): string {
  return at
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');
}

const sha256Hex = (data: string | Uint8Array) => createHash('sha256').update(data).digest('hex');
const hmac = (key: Uint8Array | string, data: string) => createHmac('sha256', key).update(data).digest();

/** The canonical request of SigV4 for a non-S3 service (each path segment encoded once more, query sorted). */
export function canonicalRequest(req: SigV4Request, claim: SigV4Claim): string {
  const path = req.rawPath === '' ? '/' : req.rawPath;
  const canonicalPath = path
    .split('/')
    .map((segment) => awsUriEncode(segment))
    .join('/');
  const query = queryPairs(req.rawQuery)
    .map(([k, v]) => [awsUriEncode(decode(k) ?? k), awsUriEncode(decode(v) ?? '')] as [string, string])
    .filter(([k]) => !(claim.presigned && k === 'X-Amz-Signature'))
    .sort(([ak, av], [bk, bv]) => (ak === bk ? (av < bv ? -1 : av > bv ? 1 : 0) : ak < bk ? -1 : 1))
    .map(([k, v]) => `${k}=${v}`)
    .join('&');
  const headers = claim.signedHeaders
    .map((name) => `${name}:${(header(req, name) ?? '').trim().replace(/\s+/g, ' ')}\n`)
    .join('');
  // A declared x-amz-content-sha256 must equal this (verifySigV4 checks), so the body's own hash is always right.
  const payload = sha256Hex(req.body);
  return [req.method, canonicalPath, query, headers, claim.signedHeaders.join(';'), payload].join('\n');
}

/** The signature of `claim` over `req` with `secret`, as lower-case hex. */
export function computeSignature(req: SigV4Request, claim: SigV4Claim, secret: string): string {
  const scope = `${claim.date}/${claim.region}/${claim.service}/aws4_request`;
  const toSign = [ALGORITHM, claim.amzDate, scope, sha256Hex(canonicalRequest(req, claim))].join('\n');
  let key = hmac(`AWS4${secret}`, claim.date);
  for (const part of [claim.region, claim.service, 'aws4_request']) key = hmac(key, part);
  return hmac(key, toSign).toString('hex');
}

/**
 * Check a parsed claim against the request: the signing time within 15 minutes of `now` (or, presigned, not yet
 * expired), `host` signed, the payload hash honest, and the signature equal (constant time) to the one recomputed
 * with `secret`. Returns undefined when the request is authentic, else the refusal AWS would give.
 */
export function verifySigV4(
  req: SigV4Request,
  claim: SigV4Claim,
  secret: string,
  now: Date,
): SigV4Failure | undefined {
  const at = parseAmzDate(claim.amzDate);
  if (!at)
    return fail(
      'IncompleteSignatureException',
      `Date must be in ISO-8601 'basic format'; got ${claim.amzDate.slice(0, 20)}`,
    );
  if (!claim.amzDate.startsWith(claim.date))
    return fail(
      'InvalidSignatureException',
      'Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP',
    );
  const skew = now.getTime() - at.getTime();
  if (claim.presigned) {
    if (skew > (claim.expiresSeconds ?? 0) * 1000 || skew < -MAX_CLOCK_SKEW_MS)
      return fail(
        'InvalidSignatureException',
        `Signature expired: ${claim.amzDate} is outside its validity window`,
      );
  } else if (Math.abs(skew) > MAX_CLOCK_SKEW_MS) {
    const edge = formatAmzDate(new Date(now.getTime() + (skew > 0 ? -MAX_CLOCK_SKEW_MS : MAX_CLOCK_SKEW_MS)));
    return fail(
      'InvalidSignatureException',
      `Signature expired: ${claim.amzDate} is now ${skew > 0 ? 'earlier' : 'later'} than ${edge} (${formatAmzDate(now)} ${skew > 0 ? '-' : '+'} 15 min.)`,
    );
  }
  if (!claim.signedHeaders.includes('host'))
    return fail('InvalidSignatureException', "'Host' must be a 'SignedHeader' in the AWS Authorization.");
  const declared = header(req, 'x-amz-content-sha256');
  if (declared !== undefined && declared !== sha256Hex(req.body))
    return fail(
      'InvalidSignatureException',
      'The provided x-amz-content-sha256 header does not match what was computed.',
    );
  const expected = Buffer.from(computeSignature(req, claim, secret), 'utf8');
  const given = Buffer.from(claim.signature, 'utf8');
  // Lengths differ only for a malformed signature; compare equal-length buffers so timing says nothing else.
  const same = given.length === expected.length && timingSafeEqual(given, expected);
  if (!same)
    return fail(
      'InvalidSignatureException',
      'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.',
    );
  return undefined;
}

/** True when `value` is a failure rather than a claim. */
export function isSigV4Failure(value: SigV4Claim | SigV4Failure): value is SigV4Failure {
  return 'type' in value;
}
