/**
 * Finding phone numbers inside free text (a log line, an error message) and masking them, in every
 * notation the report parser reads: digits of any script (full-width from phone keyboards...),
 * groups separated by spaces, dots, dashes, slashes or parentheses, and the '+84', '84', '0084',
 * trunk '0' or legacy 11-digit forms. A number that slipped past in one notation would be as
 * readable as in another.
 *
 * The text is read as runs of digit groups, as the parser reads a reported number. A number may
 * start at any group of a run ("offset 12 0912 345 678"), so every group is a candidate start and
 * the longest phone-like prefix from it wins. Phone-like means valid by the numbering plan, or
 * shaped like one ('0' and 9 or 10 digits, '84' or '+84' and 9 to 11): an unallocated or mistyped
 * number is personal data just the same.
 */
import { codePointLength, decimalDigitValue } from '../text/unicode-digits';
import { isWhiteSpaceCode } from '../text/white-space';
import {
  MAX_NUMBER_DIGITS,
  compileProtectedNumbers,
  isNumberSeparatorCode,
  isPlusSignCode,
  normalizeDigits,
} from '../numbering/normalize-number';
import { maskNumber } from './mask-number';

/** At most this many separator characters between two digit groups ("0912 - 345"). */
const MAX_GAP = 3;
/** Shorter digit strings are no phone number (1800 numbers have 8 digits). */
const MIN_NUMBER_DIGITS = 8;
const DIGITS = '0123456789';
const ANY_NUMBER = compileProtectedNumbers([]);

interface DigitGroup {
  /** Where the group's text starts, or the '+' before it when there is one. */
  readonly start: number;
  readonly end: number;
  readonly digits: string;
  readonly hasPlus: boolean;
}

const isGapCode = (code: number): boolean =>
  isNumberSeparatorCode(code) || isWhiteSpaceCode(code) || isPlusSignCode(code);

function digitValueAt(text: string, index: number): number {
  return index < text.length ? decimalDigitValue(text.codePointAt(index) as number) : -1;
}

/** The digits of the group starting at `start` (a digit), in ASCII, and where it ends. */
function readGroup(text: string, start: number): { digits: string; end: number } {
  let digits = '';
  let index = start;
  for (;;) {
    const value = digitValueAt(text, index);
    if (value < 0) return { digits, end: index };
    digits += DIGITS.charAt(value);
    index += codePointLength(text.codePointAt(index) as number);
  }
}

/** The groups of the run starting at `start` (a digit), and where the run ends. */
function readRun(text: string, start: number, hasPlusAtStart: number): { groups: DigitGroup[]; end: number } {
  const groups: DigitGroup[] = [];
  let index = start;
  let plusAt = hasPlusAtStart;
  for (;;) {
    const group = readGroup(text, index);
    groups.push({
      start: plusAt >= 0 ? plusAt : index,
      end: group.end,
      digits: group.digits,
      hasPlus: plusAt >= 0,
    });
    plusAt = -1;
    let next = group.end;
    while (next < text.length && next - group.end < MAX_GAP && isGapCode(text.charCodeAt(next))) {
      if (isPlusSignCode(text.charCodeAt(next))) plusAt = next;
      next++;
    }
    if (next === group.end || digitValueAt(text, next) < 0) return { groups, end: group.end };
    index = next;
  }
}

/** The national significant digits of a phone-shaped string that is not a valid number, or null. */
function phoneShapedSignificant(digits: string, hasPlus: boolean): string | null {
  const within = (significant: string, min: number, max: number) =>
    significant.length >= min && significant.length <= max ? significant.replace(/^0/, '') : null;
  if (hasPlus) return digits.startsWith('84') ? within(digits.slice(2), 9, 11) : null;
  if (digits.startsWith('0084')) return within(digits.slice(4), 9, 11);
  if (digits.startsWith('84')) return within(digits.slice(2), 9, 10);
  if (digits.startsWith('0')) return within(digits.slice(1), 9, 10);
  return null;
}

interface MaskedCandidate {
  readonly masked: string;
  readonly valid: boolean;
}

function maskedForm(digits: string, hasPlus: boolean): MaskedCandidate | null {
  if (digits.length < MIN_NUMBER_DIGITS || digits.length > MAX_NUMBER_DIGITS) return null;
  const normalized = normalizeDigits(digits, hasPlus, ANY_NUMBER);
  if (normalized.ok) return { masked: maskNumber(normalized.e164), valid: true };
  const significant = phoneShapedSignificant(digits, hasPlus);
  return significant === null ? null : { masked: maskNumber(`+84${significant}`), valid: false };
}

/** The run with its phone numbers masked. */
function maskRun(text: string, groups: readonly DigitGroup[]): string {
  let masked = '';
  let copiedTo = (groups[0] as DigitGroup).start;
  let first = 0;
  while (first < groups.length) {
    const start = groups[first] as DigitGroup;
    let digits = '';
    let found: (MaskedCandidate & { last: number }) | null = null;
    // Each group adds a digit at least, so at most MAX_NUMBER_DIGITS groups make a candidate. The
    // longest valid number wins over a longer phone-shaped one, as in the parser ("0912 345 678 2").
    for (let last = first; last < groups.length; last++) {
      digits += (groups[last] as DigitGroup).digits;
      if (digits.length > MAX_NUMBER_DIGITS) break;
      const form = maskedForm(digits, start.hasPlus);
      if (form !== null && (found === null || form.valid || !found.valid)) found = { ...form, last };
    }
    if (found === null) {
      first++;
      continue;
    }
    masked += text.slice(copiedTo, start.start) + found.masked;
    copiedTo = (groups[found.last] as DigitGroup).end;
    first = found.last + 1;
  }
  return masked + text.slice(copiedTo, (groups[groups.length - 1] as DigitGroup).end);
}

/** `text` with every phone number in it masked as maskNumber masks it ('091*****78'). */
export function maskNumbersInText(text: string): string {
  let result = '';
  let copiedTo = 0;
  let index = 0;
  let plusAt = -1;
  while (index < text.length) {
    const code = text.codePointAt(index) as number;
    if (decimalDigitValue(code) < 0) {
      // A '+' right before the digits ("+84 912..."), or with a space or two between.
      if (isPlusSignCode(code)) plusAt = index;
      else if (!(plusAt >= 0 && index - plusAt <= MAX_GAP && isGapCode(code))) plusAt = -1;
      index += codePointLength(code);
      continue;
    }
    const run = readRun(text, index, plusAt);
    const runStart = (run.groups[0] as DigitGroup).start;
    result += text.slice(copiedTo, runStart) + maskRun(text, run.groups);
    copiedTo = run.end;
    index = run.end;
    plusAt = -1;
  }
  return copiedTo === 0 ? text : result + text.slice(copiedTo);
}
