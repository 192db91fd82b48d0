import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { submittedReportId, uuidFromName } from './report-id';

/** The derivation as first written: every stored id came from it, so a redelivery must map to it. */
function uuidAsFirstDerived(name: string): string {
  const bytes = createHash('sha256').update(`abuse-monitor:${name}`).digest().subarray(0, 16);
  bytes[6] = (bytes[6] & 0x0f) | 0x50;
  bytes[8] = (bytes[8] & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

describe('uuidFromName', () => {
  it('derives the ids already stored for these names', () => {
    expect(uuidFromName('sms:gw-1')).toBe('fbc29ac1-90d1-5ec7-9b80-91bc00a87660');
    expect(uuidFromName('reply:gw-1')).toBe('dad0df60-cc8b-5229-941f-ff439671039e');
    expect(uuidFromName('sms:tin nhắn 😀')).toBe('9b36315c-6fcc-51c4-ac11-817a34b8e13c');
    expect(uuidFromName('')).toBe('f4936614-cce2-5130-b4f3-1666f2428e00');
    expect(submittedReportId('agent-7:abc')).toBe('3703c35c-246c-5895-ad23-caee0d05a633');
  });

  it('agrees with the first derivation for any name', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (name) => {
        expect(uuidFromName(name)).toBe(uuidAsFirstDerived(name));
      }),
      { numRuns: 2_000 },
    );
  });

  it('is a version-5 UUID with the RFC 4122 variant', () => {
    fc.assert(
      fc.property(fc.string(), (name) => {
        expect(uuidFromName(name)).toMatch(
          /^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
        );
      }),
    );
  });
});
