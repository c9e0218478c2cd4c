import { describe, expect, it } from 'vitest';
import type { CertDetail, CertSummary } from '../../client/certs-api.js';
import { certDetail, certTable, reportText } from './certs-output.js';

// Anyone who may add to the inventory chooses a location, and a certificate's maker its subject and SANs: none may
// reach an operator's terminal as control sequences (clear screen, retitle, hide a row, reorder with bidi).
const hostile = 'evil\x1b[2J\x1b]0;pwned\x07\r\u009b31m\u202egnp.exe';

const facts = {
  fingerprintSha256: 'ab'.repeat(32),
  fingerprintSha1: 'cd'.repeat(20),
  subject: `CN=${hostile}`,
  issuer: `CN=${hostile}`,
  sans: [hostile],
  serial: '01',
  keyType: 'ec',
  signatureAlgorithm: 'ecdsa-with-SHA256',
  signatureAlgorithmOid: '1.2.840.10045.4.3.2',
  notBefore: '2026-01-01T00:00:00.000Z',
  notAfter: '2027-01-01T00:00:00.000Z',
  isCa: false,
  selfSigned: false,
  spkiSha256: 'ef'.repeat(32),
  daysLeft: 30,
  live: true,
  findings: [{ check: 'hostname-mismatch' as const, severity: 'warning' as const, message: hostile }],
};

function expectInert(text: string): void {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: asserting their absence is the point.
  expect(text).not.toMatch(/[\x00-\x09\x0b-\x1f\x7f-\x9f\u202a-\u202e]/);
  expect(text).toContain('evil\\x1b[2J');
}

describe('certificate output on a terminal', () => {
  it('shows control and bidi characters in subjects, SANs, locations and messages as escapes', () => {
    const summary: CertSummary = { ...facts, locations: [hostile] } as unknown as CertSummary;
    expectInert(certTable([summary], false));
    // The only escapes left are the row colours the table adds itself.
    expectInert(certTable([summary], true).replaceAll('\x1b[33m', '').replaceAll('\x1b[0m', ''));
    const detail = {
      ...facts,
      pem: '',
      lastSeen: facts.notBefore,
      sightings: [
        { source: 'upload', location: hostile, firstSeen: facts.notBefore, lastSeen: facts.notBefore },
      ],
    } as unknown as CertDetail;
    expectInert(certDetail(detail));
    expectInert(
      reportText({
        items: [
          { location: hostile, fingerprints: [], error: { code: 'HUSH_E_INVALID_INPUT', message: hostile } },
        ],
        added: 0,
        updated: 0,
        failed: 1,
      }),
    );
  });
});
