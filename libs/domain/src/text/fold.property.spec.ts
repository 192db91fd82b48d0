import fc from 'fast-check';
import { hostileString, withRandomDiacritics } from '../../spec-support/arbitraries';
import { foldForMatching } from './fold';

/** The folding steps applied to the whole text at once: the plain way, as an oracle. */
function foldWholeText(text: string): string {
  return text
    .toLowerCase()
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .replace(/đ/g, 'd')
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();
}

describe('foldForMatching (properties)', () => {
  it('folds character by character exactly as the whole text is folded', () => {
    const text = fc.oneof(
      hostileString,
      fc.string({ unit: 'grapheme-composite', maxLength: 60 }),
      fc.string({ unit: fc.integer({ min: 0x00, max: 0x2fff }).map((code) => String.fromCharCode(code)) }),
      fc
        .constantFrom('doi no khoan vay', 'Gia danh cong an', 'ΣΑΣ σας', 'İstanbul', '½ ﬁ ㎏')
        .chain(withRandomDiacritics),
    );
    fc.assert(
      fc.property(text, (input) => {
        expect(foldForMatching(input)).toBe(foldWholeText(input));
      }),
      { numRuns: 20_000 },
    );
  });
});
