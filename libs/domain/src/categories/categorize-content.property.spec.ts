import fc from 'fast-check';
import { hostileString, withRandomDiacritics } from '../../spec-support/arbitraries';
import { foldForMatching } from '../text/fold';
import { categorizeContent, categoryKeywordIndex, MAX_CATEGORIZED_LENGTH } from './categorize-content';

/**
 * The plain way, as an oracle: every run of whole words of the folded content looked up among the
 * folded keywords; the first keyword of the index (precedence, then table order) wins.
 */
function categorizeWordByWord(content: string): { category: string; keyword: string | null } {
  const index = categoryKeywordIndex();
  const rankOf = new Map(index.map((entry, rank) => [entry.keyword, rank]));
  const words = foldForMatching(content.slice(0, MAX_CATEGORIZED_LENGTH)).split(' ');
  let best: number | undefined;
  for (let start = 0; start < words.length; start++) {
    for (let end = start + 1; end <= words.length; end++) {
      const rank = rankOf.get(words.slice(start, end).join(' '));
      if (rank !== undefined && (best === undefined || rank < best)) best = rank;
    }
  }
  const entry = best === undefined ? undefined : index[best];
  return entry === undefined ? { category: 'unknown', keyword: null } : { ...entry };
}

describe('categorizeContent (properties)', () => {
  it('finds the keyword that a word-by-word lookup finds', () => {
    const keyword = fc.constantFrom(...categoryKeywordIndex().map((entry) => entry.keyword));
    const word = fc.oneof(
      keyword,
      keyword.chain(withRandomDiacritics),
      hostileString,
      fc.constantFrom('a', 'no', 'goi', '1'),
    );
    const content = fc
      .tuple(fc.array(word, { maxLength: 6 }), fc.constantFrom(' ', '  ', ', ', '-', ''))
      .map(([words, separator]) => words.join(separator));
    fc.assert(
      fc.property(content, (text) => {
        expect(categorizeContent(text)).toEqual(categorizeWordByWord(text));
      }),
      { numRuns: 5_000 },
    );
  });
});
