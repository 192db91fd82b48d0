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

  it('reads plain ASCII digits (perhaps after a +) as it reads them in any other notation', () => {
    // A leading space takes the character-by-character reading; the plain form has its own.
    const plain = fc.oneof(
      fc.stringMatching(/^[+]?[0-9]{0,20}$/),
      fc.stringMatching(/^[+]?(84|0084|0|00)?[0-9]{2,12}$/),
      fc.constantFrom('', '+', '+84912345678', '84912345678', '0912345678', '113'),
    );
    fc.assert(
      fc.property(plain, (input) => {
        expect(normalizeNumber(input)).toEqual(normalizeNumber(` ${input}`));
        const withProtected = { protectedNumbers: ['+84912345678', '9999'] };
        expect(normalizeNumber(input, withProtected)).toEqual(normalizeNumber(` ${input}`, withProtected));
      }),
      { numRuns: 5_000 },
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
