/**
 * Recognising the start of a text: a report keyword (V, S, LD) or one of the known texts that are
 * not reports (DK DNC, HUY DNC, FW).
 *
 * A keyword is a keyword only at the very start (after white space) and only when no letter
 * follows it: `V 0912...`, `V:0912...`, `V(0912...)`, `V0912...` are reports, `VD`, `Vang`, `Số`
 * are not.
 */
import type { NotAReportKind } from '../rejection';
import type { ReportKind } from '../report-kind';

const LETTER_OR_MARK = /^[\p{L}\p{M}]$/u;
const COMBINING_MARKS = /[\u0300-\u036f]/g;

/** One character folded for comparison: full-width to ASCII, no diacritics, upper case, Đ -> D. */
function foldChar(char: string): string {
  if (char.length === 1 && char.charCodeAt(0) < 0x80) return char.toUpperCase();
  return char.normalize('NFKD').replace(COMBINING_MARKS, '').replace(/[đĐ]/g, 'D').toUpperCase();
}

/** The code point at `index` as a string ('' past the end). */
function charAt(text: string, index: number): string {
  if (index >= text.length) return '';
  const code = text.charCodeAt(index);
  if (code < 0xd800 || code > 0xdbff) return text.charAt(index); // not the start of a surrogate pair
  return String.fromCodePoint(text.codePointAt(index) as number);
}

const isAsciiLetter = (code: number): boolean =>
  (code >= 0x41 && code <= 0x5a) || (code >= 0x61 && code <= 0x7a);

/**
 * The character at `index` folded (foldChar), as the code of the one ASCII character it folds to,
 * or -1 when it folds to something else; and its length in the text. ASCII is compared by code:
 * every text starts with one, and String#toUpperCase costs more than the comparison.
 */
function foldedCodeAt(text: string, index: number): { readonly code: number; readonly length: number } {
  if (index >= text.length) return NOTHING;
  const code = text.charCodeAt(index);
  if (code < 0x80) return ASCII_FOLDED[code] as { code: number; length: number };
  const char = charAt(text, index);
  const folded = foldChar(char);
  return { code: folded.length === 1 ? folded.charCodeAt(0) : -1, length: char.length };
}
const NOTHING = { code: -1, length: 0 };
const ASCII_FOLDED = Array.from({ length: 0x80 }, (_, code) => ({
  code: code >= 0x61 && code <= 0x7a ? code - 0x20 : code,
  length: 1,
}));
const L = 0x4c;
const D = 0x44;
const V = 0x56;
const S = 0x53;
const H = 0x48;
const F = 0x46;

/** Whether a keyword ending at `index` ends there as a word (end of text or no letter follows). */
function endsWord(text: string, index: number): boolean {
  if (index >= text.length) return true;
  const code = text.charCodeAt(index);
  if (code < 0x80) return !isAsciiLetter(code); // most texts: "V 0912...", "LD:", "S("
  return !LETTER_OR_MARK.test(charAt(text, index));
}

export interface KeywordMatch {
  readonly kind: ReportKind;
  /** Index just after the keyword. */
  readonly end: number;
}

/** The report keyword starting at `start`, if any. */
export function matchReportKeyword(text: string, start: number): KeywordMatch | null {
  const first = foldedCodeAt(text, start);
  const afterFirst = start + first.length;
  if (first.code === L) {
    const second = foldedCodeAt(text, afterFirst);
    if (second.code === D && endsWord(text, afterFirst + second.length)) {
      return { kind: 'scam_call', end: afterFirst + second.length };
    }
    return null;
  }
  if (first.code === V && endsWord(text, afterFirst)) return { kind: 'spam_call', end: afterFirst };
  if (first.code === S && endsWord(text, afterFirst)) return { kind: 'spam_sms', end: afterFirst };
  return null;
}

/** Words of the head of a text, folded: 'ĐK  dnc' -> ['DK', 'DNC']. At most `count` words. */
function leadingWords(text: string, start: number, count: number): string[] {
  const head = text.slice(start, start + 32);
  const words: string[] = [];
  let current = '';
  for (const char of head) {
    const folded = foldChar(char);
    if (/^[A-Z0-9]$/.test(folded)) {
      current += folded;
    } else if (current !== '') {
      words.push(current);
      current = '';
      if (words.length >= count) return words;
    }
  }
  if (current !== '' && words.length < count) words.push(current);
  return words;
}

/** The kind of known non-report text starting at `start`, if it is one. */
export function matchNotAReport(text: string, start: number): NotAReportKind | null {
  const first = foldedCodeAt(text, start).code;
  if (first !== D && first !== H && first !== F) return null;
  const [word1, word2] = leadingWords(text, start, 2);
  if ((word1 === 'DK' && word2 === 'DNC') || word1 === 'DKDNC') return 'dnc_register';
  if ((word1 === 'HUY' && word2 === 'DNC') || word1 === 'HUYDNC') return 'dnc_cancel';
  if (word1 === 'FW') return 'forward';
  return null;
}
