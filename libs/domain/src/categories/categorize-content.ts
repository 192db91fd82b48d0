/**
 * The category of reported content, from the keyword table.
 *
 * The content is folded (no diacritics, lower case, words separated by single spaces) and cut into
 * words; every run of up to MAX_KEYWORD_WORDS words is looked up in a map built once from the table.
 * Work is linear in the length of the content and does not grow with the size of the table.
 */
import { foldForMatching } from '../text/fold';
import {
  CATEGORY_KEYWORDS,
  CATEGORY_PRECEDENCE,
  type Category,
  type KnownCategory,
} from './category-keywords';

export interface Categorization {
  readonly category: Category;
  /** The keyword that decided the category, folded ('doi no'); null for 'unknown'. */
  readonly keyword: string | null;
}

interface KeywordEntry {
  readonly category: KnownCategory;
  readonly keyword: string;
  /** Lower ranks win: category precedence first, then table order inside the category. */
  readonly rank: number;
}

/** Only the first characters of very long content are looked at. */
export const MAX_CATEGORIZED_LENGTH = 2_000;

const UNKNOWN: Categorization = { category: 'unknown', keyword: null };

function buildKeywordIndex(): {
  entries: ReadonlyMap<string, KeywordEntry>;
  firstWords: ReadonlySet<string>;
  maxWords: number;
} {
  const entries = new Map<string, KeywordEntry>();
  const firstWords = new Set<string>();
  let maxWords = 1;
  let rank = 0;
  for (const category of CATEGORY_PRECEDENCE) {
    for (const written of CATEGORY_KEYWORDS[category]) {
      const keyword = foldForMatching(written);
      if (keyword.length === 0 || entries.has(keyword)) continue; // spelling variants fold alike
      const words = keyword.split(' ');
      entries.set(keyword, { category, keyword, rank: rank++ });
      firstWords.add(words[0] as string);
      maxWords = Math.max(maxWords, words.length);
    }
  }
  return { entries, firstWords, maxWords };
}

const INDEX = buildKeywordIndex();

/** Every folded keyword of the table with its category, in precedence order (for tests and docs). */
export function categoryKeywordIndex(): ReadonlyArray<{
  readonly keyword: string;
  readonly category: KnownCategory;
}> {
  return [...INDEX.entries.values()].map(({ keyword, category }) => ({ keyword, category }));
}

/** Which category the content belongs to, and the keyword that says so. */
export function categorizeContent(content: string | null): Categorization {
  if (content === null || content.length === 0) return UNKNOWN;
  const folded = foldForMatching(
    content.length > MAX_CATEGORIZED_LENGTH ? content.slice(0, MAX_CATEGORIZED_LENGTH) : content,
  );
  if (folded.length === 0) return UNKNOWN;
  const words = folded.split(' ');
  let best: KeywordEntry | undefined;
  for (let start = 0; start < words.length; start++) {
    let phrase = words[start] as string;
    if (!INDEX.firstWords.has(phrase)) continue;
    const end = Math.min(words.length, start + INDEX.maxWords);
    for (let next = start + 1; ; next++) {
      const entry = INDEX.entries.get(phrase);
      if (entry !== undefined && (best === undefined || entry.rank < best.rank)) best = entry;
      if (next >= end) break;
      phrase += ' ' + (words[next] as string);
    }
  }
  return best === undefined ? UNKNOWN : { category: best.category, keyword: best.keyword };
}
