/**
 * The category of reported content, from the keyword table.
 *
 * The content is folded (no diacritics, lower case, words separated by single spaces); from the
 * start of every word, the folded text is walked down a character tree of the folded keywords, and
 * a keyword matches where it ends at the end of a word. Work is linear in the length of the content
 * times the length of the longest keyword and does not grow with the size of the table. This runs
 * for every report, so the folded text is a reused buffer of codes and the tree is flat arrays:
 * nothing is allocated per call.
 */
import { FoldedText, foldForMatching } from '../text/fold';
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
  readonly categorization: Categorization;
}

/** Only the first characters of very long content are looked at. */
export const MAX_CATEGORIZED_LENGTH = 2_000;

const UNKNOWN: Categorization = { category: 'unknown', keyword: null };

/** Folded text has 37 characters: a-z, 0-9 and the space between words. */
const ALPHABET_SIZE = 37;
const SPACE = 0x20;
const SPACE_SLOT = 36;
function slotOf(code: number): number {
  if (code >= 0x61 && code <= 0x7a) return code - 0x61; // a-z
  if (code >= 0x30 && code <= 0x39) return 26 + code - 0x30; // 0-9
  return SPACE_SLOT; // folded text has no other character
}
const NO_NODE = -1;

/**
 * The folded keywords as a character tree in flat arrays: node 0 is the root; the child of node
 * `n` for slot `s` is `next[n * ALPHABET_SIZE + s]` (NO_NODE when none); `entryAt[n]` is the
 * index in `entries` of the keyword that ends at node `n`, or NO_NODE. Entries are in precedence
 * order (category precedence, then table order), so the lowest index wins.
 */
interface KeywordTree {
  readonly entries: readonly KeywordEntry[];
  readonly next: Int32Array;
  readonly entryAt: Int32Array;
}

function buildKeywordTree(): KeywordTree {
  const entries: KeywordEntry[] = [];
  const seen = new Set<string>();
  for (const category of CATEGORY_PRECEDENCE) {
    for (const written of CATEGORY_KEYWORDS[category]) {
      const keyword = foldForMatching(written);
      if (keyword.length === 0 || seen.has(keyword)) continue; // spelling variants fold alike
      seen.add(keyword);
      entries.push({ category, keyword, categorization: { category, keyword } });
    }
  }
  const maxNodes = 1 + entries.reduce((sum, entry) => sum + entry.keyword.length, 0);
  const next = new Int32Array(maxNodes * ALPHABET_SIZE).fill(NO_NODE);
  const entryAt = new Int32Array(maxNodes).fill(NO_NODE);
  let nodeCount = 1;
  entries.forEach((entry, index) => {
    let node = 0;
    for (let position = 0; position < entry.keyword.length; position++) {
      const edge = node * ALPHABET_SIZE + slotOf(entry.keyword.charCodeAt(position));
      if (next[edge] === NO_NODE) next[edge] = nodeCount++;
      node = next[edge] as number;
    }
    entryAt[node] = index;
  });
  return { entries, next, entryAt };
}

const TREE = buildKeywordTree();
/** Reused by every call: categorising allocates nothing. */
const folded = new FoldedText();

/** Every folded keyword of the table with its category, in precedence order (for tests and docs). */
export function categoryKeywordIndex(): ReadonlyArray<{
  readonly keyword: string;
  readonly category: KnownCategory;
}> {
  return TREE.entries.map(({ keyword, category }) => ({ keyword, category }));
}

/**
 * The best keyword (lowest index) that starts at `start` in the folded text and ends at the end of
 * a word, or `best` if none is better.
 */
function bestKeywordFrom(codes: Uint8Array, length: number, start: number, best: number): number {
  let node = 0;
  for (let index = start; ; index++) {
    if (index === length || codes[index] === SPACE) {
      const entry = TREE.entryAt[node] as number;
      if (entry !== NO_NODE && (best === NO_NODE || entry < best)) best = entry;
      if (index === length) return best;
    }
    node = TREE.next[node * ALPHABET_SIZE + slotOf(codes[index] as number)] as number;
    if (node === NO_NODE) return best;
  }
}

/** Which category the content belongs to, and the keyword that says so. */
export function categorizeContent(content: string | null): Categorization {
  if (content === null || content.length === 0) return UNKNOWN;
  folded.fold(content.length > MAX_CATEGORIZED_LENGTH ? content.slice(0, MAX_CATEGORIZED_LENGTH) : content);
  const { codes, length } = folded;
  let best = NO_NODE;
  for (let start = 0; start < length; start++) {
    // Keywords start where words start: at the beginning and after each space.
    if (start === 0 || codes[start - 1] === SPACE) best = bestKeywordFrom(codes, length, start, best);
  }
  return best === NO_NODE ? UNKNOWN : (TREE.entries[best] as KeywordEntry).categorization;
}
