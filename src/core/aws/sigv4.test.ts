import { describe, expect, it } from 'vitest';
import {
  computeSignature,
  formatAmzDate,
  isSigV4Failure,
  parseSigV4,
  type SigV4Claim,
  type SigV4Request,
  verifySigV4,
} from './sigv4.js';

// AWS's published SigV4 test suite, "get-vanilla" and "post-x-www-form-urlencoded" style inputs: the secret and the
// expected signature are AWS's own (docs "Signature Version 4 test suite"), so this checks the canonical form, not
// our own arithmetic against itself.
const SECRET = 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY';
const AT = new Date('2015-08-30T12:36:00Z');

function vanilla(signature: string): SigV4Request {
  return {
    method: 'GET',
    rawPath: '/',
    rawQuery: '',
    headers: {
      host: 'example.amazonaws.com',
      'x-amz-date': '20150830T123600Z',
      authorization: `AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=host;x-amz-date, Signature=${signature}`,
    },
    body: new Uint8Array(),
  };
}

const GOOD = '5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31';

describe('SigV4 verification', () => {
  it('matches the AWS test suite signature for get-vanilla', () => {
    const req = vanilla(GOOD);
    const claim = parseSigV4(req) as SigV4Claim;
    expect(isSigV4Failure(claim)).toBe(false);
    expect(claim).toMatchObject({ accessKeyId: 'AKIDEXAMPLE', region: 'us-east-1', service: 'service' });
    expect(computeSignature(req, claim, SECRET)).toBe(GOOD);
    expect(verifySigV4(req, claim, SECRET, AT)).toBeUndefined();
  });

  it('refuses a changed signature, another secret, a changed body and a signed-over header changed', () => {
    const bad = `${GOOD.slice(0, -1)}0`;
    const req = vanilla(bad);
    expect(verifySigV4(req, parseSigV4(req) as SigV4Claim, SECRET, AT)?.type).toBe(
      'InvalidSignatureException',
    );
    const good = vanilla(GOOD);
    const claim = parseSigV4(good) as SigV4Claim;
    expect(verifySigV4(good, claim, `${SECRET}x`, AT)?.type).toBe('InvalidSignatureException');
    expect(verifySigV4({ ...good, body: Buffer.from('x') }, claim, SECRET, AT)?.type).toBe(
      'InvalidSignatureException',
    );
    const moved = { ...good, headers: { ...good.headers, host: 'evil.example' } };
    expect(verifySigV4(moved, claim, SECRET, AT)?.type).toBe('InvalidSignatureException');
    const short = vanilla('abc');
    expect(verifySigV4(short, parseSigV4(short) as SigV4Claim, SECRET, AT)?.type).toBe(
      'InvalidSignatureException',
    );
  });

  it('refuses a date more than 15 minutes away, either side, in AWS words', () => {
    const req = vanilla(GOOD);
    const claim = parseSigV4(req) as SigV4Claim;
    expect(verifySigV4(req, claim, SECRET, new Date(AT.getTime() + 14 * 60_000))).toBeUndefined();
    const late = verifySigV4(req, claim, SECRET, new Date(AT.getTime() + 16 * 60_000));
    expect(late).toEqual({
      type: 'InvalidSignatureException',
      message: `Signature expired: 20150830T123600Z is now earlier than 20150830T123700Z (${formatAmzDate(new Date(AT.getTime() + 16 * 60_000))} - 15 min.)`,
    });
    expect(verifySigV4(req, claim, SECRET, new Date(AT.getTime() - 16 * 60_000))?.message).toMatch(
      /is now later than/,
    );
  });

  it('names what is missing: no credentials at all, an incomplete header, no date', () => {
    const none = parseSigV4({ ...vanilla(GOOD), headers: { host: 'h' } });
    expect(none).toMatchObject({ type: 'MissingAuthenticationTokenException' });
    const partial = parseSigV4({
      ...vanilla(GOOD),
      headers: { authorization: 'AWS4-HMAC-SHA256 Credential=A/20150830/r/s/aws4_request' },
    });
    expect(partial).toMatchObject({ type: 'IncompleteSignatureException' });
    const noDate = vanilla(GOOD);
    const { 'x-amz-date': _d, ...headers } = noDate.headers;
    expect(parseSigV4({ ...noDate, headers })).toMatchObject({ type: 'IncompleteSignatureException' });
    expect(parseSigV4({ ...noDate, headers: { authorization: 'Basic abc' } })).toMatchObject({
      type: 'IncompleteSignatureException',
    });
  });

  it('verifies a presigned query and refuses it once expired', () => {
    const query = [
      'X-Amz-Algorithm=AWS4-HMAC-SHA256',
      'X-Amz-Credential=AKIDEXAMPLE%2F20150830%2Fus-east-1%2Fservice%2Faws4_request',
      'X-Amz-Date=20150830T123600Z',
      'X-Amz-Expires=60',
      'X-Amz-SignedHeaders=host',
    ].join('&');
    const unsigned: SigV4Request = {
      method: 'GET',
      rawPath: '/',
      rawQuery: query,
      headers: { host: 'example.amazonaws.com' },
      body: new Uint8Array(),
    };
    const claim = parseSigV4({ ...unsigned, rawQuery: `${query}&X-Amz-Signature=00` }) as SigV4Claim;
    const signature = computeSignature(unsigned, claim, SECRET);
    const req = { ...unsigned, rawQuery: `${query}&X-Amz-Signature=${signature}` };
    const parsed = parseSigV4(req) as SigV4Claim;
    expect(parsed.presigned).toBe(true);
    expect(verifySigV4(req, parsed, SECRET, new Date(AT.getTime() + 30_000))).toBeUndefined();
    expect(verifySigV4(req, parsed, SECRET, new Date(AT.getTime() + 61_000))?.message).toMatch(
      /Signature expired/,
    );
  });
});
