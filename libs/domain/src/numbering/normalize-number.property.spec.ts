import fc from 'fast-check';
import { hostileString, renderedNumber } from '../../spec-support/arbitraries';
import { normalizeNumber } from './normalize-number';

describe('normalizeNumber (properties)', () => {
  it('gives the same canonical number for a valid number in any supported notation', () => {
    fc.assert(
      fc.property(renderedNumber(), ({ generated, written, writtenInLegacyForm }) => {
        expect(normalizeNumber(written)).toEqual({
          ok: true,
          e164: `+84${generated.nationalSignificant}`,
          nationalNumber: `0${generated.nationalSignificant}`,
          numberType: 'mobile',
          carrier: generated.carrier,
          convertedFromLegacy: writtenInLegacyForm,
        });
      }),
      { numRuns: 3_000 },
    );
  });

  it('is idempotent: normalising a canonical or national form gives the same number', () => {
    const anyInput = fc.oneof(
      renderedNumber().map((rendered) => rendered.written),
      fc.stringMatching(/^[+]?[0-9 .-]{3,16}$/),
      hostileString,
    );
    fc.assert(
      fc.property(anyInput, (input) => {
        const first = normalizeNumber(input);
        if (!first.ok) return;
        const fromE164 = normalizeNumber(first.e164);
        const fromNational = normalizeNumber(first.nationalNumber);
        expect(fromE164).toEqual({ ...first, convertedFromLegacy: false });
        expect(fromNational).toEqual({ ...first, convertedFromLegacy: false });
      }),
      { numRuns: 3_000 },
    );
  });

  it('gives a typed result for any string', () => {
    fc.assert(
      fc.property(hostileString, (input) => {
        const result = normalizeNumber(input);
        expect(typeof result.ok).toBe('boolean');
      }),
      { numRuns: 3_000 },
    );
  });
});
