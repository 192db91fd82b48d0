/**
 * The category of reported content, from the keyword table.
 *
 * The content is folded (no diacritics, lower case, words separated by single spaces); from the
 * start of every word, the folded text is walked down a character tree of the folded keywords, and
 * a keyword matches where it ends at the end of a word. Work is linear in the length of the content
 * times the length of the longest keyword, does not grow with the size of the table, and builds no
 * string but the folded text (this runs for every report).
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
  readonly categorization: Categorization;
}

/** Only the first characters of very long content are looked at. */
export const MAX_CATEGORIZED_LENGTH = 2_000;

const UNKNOWN: Categorization = { category: 'unknown', keyword: null };

/** Folded text has 37 characters: a-z, 0-9 and the space between words. */
const FOLDED_ALPHABET_SIZE = 37;
const SPACE = 0x20;
function slotOf(code: number): number {
  if (code >= 0x61 && code <= 0x7a) return code - 0x61; // a-z
  if (code >= 0x30 && code <= 0x39) return 26 + code - 0x30; // 0-9
  return 36; // the space: folded text has no other character
}

/** A node of the character tree: the keyword spelled by the path to it, if one ends here. */
interface KeywordNode {
  readonly next: Array<KeywordNode | undefined>;
  entry: KeywordEntry | undefined;
}
const newNode = (): KeywordNode => ({
  next: new Array(FOLDED_ALPHABET_SIZE).fill(undefined),
  entry: undefined,
});

function buildKeywordIndex(): { entries: ReadonlyMap<string, KeywordEntry>; root: KeywordNode } {
  const entries = new Map<string, KeywordEntry>();
  const root = newNode();
  let rank = 0;
  for (const category of CATEGORY_PRECEDENCE) {
    for (const written of CATEGORY_KEYWORDS[category]) {
      const keyword = foldForMatching(written);
      if (keyword.length === 0 || entries.has(keyword)) continue; // spelling variants fold alike
      const entry = { category, keyword, rank: rank++, categorization: { category, keyword } };
      entries.set(keyword, entry);
      let node = root;
      for (let index = 0; index < keyword.length; index++) {
        const slot = slotOf(keyword.charCodeAt(index));
        node = node.next[slot] ??= newNode();
      }
      node.entry = entry;
    }
  }
  return { entries, root };
}

const INDEX = buildKeywordIndex();

/** Every folded keyword of the table with its category, in precedence order (for tests and docs). */
export function categoryKeywordIndex(): ReadonlyArray<{
  readonly keyword: string;
  readonly category: KnownCategory;
}> {
  return [...INDEX.entries.values()].map(({ keyword, category }) => ({ keyword, category }));
}

/** The best keyword (lowest rank) that starts at `start` in folded text and ends at a word's end. */
function bestKeywordFrom(
  folded: string,
  start: number,
  best: KeywordEntry | undefined,
): KeywordEntry | undefined {
  let node: KeywordNode | undefined = INDEX.root;
  for (let index = start; index < folded.length; index++) {
    const code = folded.charCodeAt(index);
    if (code === SPACE && node.entry !== undefined && (best === undefined || node.entry.rank < best.rank))
      best = node.entry;
    node = node.next[slotOf(code)];
    if (node === undefined) return best;
  }
  // The end of the text is the end of a word too.
  if (node.entry !== undefined && (best === undefined || node.entry.rank < best.rank)) best = node.entry;
  return best;
}

/** Which category the content belongs to, and the keyword that says so. */
export function categorizeContent(content: string | null): Categorization {
  if (content === null || content.length === 0) return UNKNOWN;
  const folded = foldForMatching(
    content.length > MAX_CATEGORIZED_LENGTH ? content.slice(0, MAX_CATEGORIZED_LENGTH) : content,
  );
  let best: KeywordEntry | undefined;
  for (let start = 0; start < folded.length; start++) {
    // Keywords start where words start: at the beginning and after each space.
    if (start === 0 || folded.charCodeAt(start - 1) === SPACE) best = bestKeywordFrom(folded, start, best);
  }
  return best === undefined ? UNKNOWN : best.categorization;
}
