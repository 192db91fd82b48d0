/**
 * Reading the reported number at the start of the rest of a report.
 *
 * The number is made of digit groups separated by short runs of spaces, dots, dashes or
 * parentheses. Content may start with digits too ("V 0912 345 678 2 lan"), so the groups are not
 * simply concatenated: every prefix of the groups is a candidate and the LONGEST VALID one wins.
 * At most MAX_NUMBER_DIGITS digits are read, so the work is bounded whatever the input.
 */
import { codePointLength, decimalDigitValue } from '../text/unicode-digits';
import { isWhiteSpaceCode } from '../text/white-space';
import {
  MAX_NUMBER_DIGITS,
  isNumberSeparatorCode,
  isPlusSignCode,
  normalizeDigits,
  type NormalizedNumber,
  type NumberRejection,
  type ProtectedNumbers,
} from '../numbering/normalize-number';

/** At most this many separator characters between two digit groups ("0912 - 345"). */
const MAX_SEPARATOR_RUN = 3;

export type NumberReading =
  { readonly ok: true; readonly number: NormalizedNumber; readonly end: number } | NumberRejection;

/** The ASCII digit of each value, so that reading a digit does not convert a number to a string. */
const DIGIT_CHARACTERS = '0123456789';

const isSeparatorOrSpace = (code: number): boolean => isNumberSeparatorCode(code) || isWhiteSpaceCode(code);
/** "(+84) 912 345 678", "(024) 3812 3456": an opening parenthesis before the number. */
const isOpeningOrSpace = (code: number): boolean =>
  code === 0x28 || code === 0xff08 || isWhiteSpaceCode(code);

function digitAt(text: string, index: number): number {
  if (index >= text.length) return -1;
  return decimalDigitValue(text.codePointAt(index) as number); // index < length
}

/** Skips up to `max` code units accepted by `accept`. */
function skip(text: string, index: number, max: number, accept: (code: number) => boolean): number {
  let position = index;
  while (position < text.length && position - index < max && accept(text.charCodeAt(position))) position++;
  return position;
}

/**
 * The digit-group prefixes of a number, shortest first: candidate `i` is the first
 * `digitCounts[i]` of `digits` and ends in the text at `ends[i]`. Every report is read through
 * one instance, refilled by `read` (the parser is synchronous), so reading allocates no array.
 */
class NumberCandidates {
  digits = '';
  hasPlus = false;
  sawDigits = false;
  count = 0;
  /** Each group adds at least one digit, so there are at most MAX_NUMBER_DIGITS candidates. */
  readonly digitCounts = new Int32Array(MAX_NUMBER_DIGITS);
  readonly ends = new Int32Array(MAX_NUMBER_DIGITS);

  digitsOf(candidate: number): string {
    return candidate === this.count - 1 ? this.digits : this.digits.slice(0, this.digitCounts[candidate]);
  }

  /** Reads the digit groups at `start`, and whether the number began with '+'. */
  read(text: string, start: number): this {
    this.count = 0;
    let index = skip(text, start, MAX_SEPARATOR_RUN, isOpeningOrSpace);
    this.hasPlus = index < text.length && isPlusSignCode(text.charCodeAt(index));
    if (this.hasPlus) index = skip(text, index + 1, MAX_SEPARATOR_RUN, isSeparatorOrSpace);
    let digits = '';
    let sawDigits = false;
    for (;;) {
      // A group of ASCII digits is sliced from the text; one with digits of other scripts is
      // written digit by digit from the first non-ASCII digit on.
      const groupStart = index;
      let written: string | null = null;
      let groupLength = 0;
      while (index < text.length && digits.length + groupLength <= MAX_NUMBER_DIGITS) {
        const code = text.charCodeAt(index);
        if (code >= 0x30 && code <= 0x39) {
          if (written !== null) written += DIGIT_CHARACTERS.charAt(code - 0x30);
          index++;
        } else {
          const codePoint = text.codePointAt(index) as number; // index < length
          const value = decimalDigitValue(codePoint);
          if (value < 0) break;
          written = (written ?? text.slice(groupStart, index)) + DIGIT_CHARACTERS.charAt(value);
          index += codePointLength(codePoint);
        }
        groupLength++;
      }
      if (groupLength > 0) sawDigits = true;
      // No group, or a group that makes the number too long to be valid: stop reading.
      if (groupLength === 0 || digits.length + groupLength > MAX_NUMBER_DIGITS) break;
      digits += written ?? text.slice(groupStart, index);
      this.digitCounts[this.count] = digits.length;
      this.ends[this.count] = index;
      this.count++;
      const next = skip(text, index, MAX_SEPARATOR_RUN, isSeparatorOrSpace);
      if (next === index || digitAt(text, next) < 0) break;
      index = next;
    }
    this.digits = digits;
    this.sawDigits = sawDigits;
    return this;
  }
}

const candidates = new NumberCandidates();

/**
 * The reported number at `start`: the longest prefix of digit groups that is a valid number.
 * When none is valid, `protected_number` if a prefix is a protected number, else `invalid_number`;
 * `no_number` when there is no digit at all.
 */
export function readReportedNumber(
  text: string,
  start: number,
  protectedNumbers: ProtectedNumbers,
): NumberReading {
  const { hasPlus, sawDigits, count } = candidates.read(text, start);
  if (count === 0) {
    return sawDigits
      ? { ok: false, reason: 'invalid_number', detail: `more than ${MAX_NUMBER_DIGITS} digits` }
      : { ok: false, reason: 'no_number', detail: 'no number after the keyword' };
  }
  let protectedRejection: NumberRejection | undefined;
  let invalidRejection: NumberRejection | undefined;
  for (let candidate = count - 1; candidate >= 0; candidate--) {
    const normalized = normalizeDigits(candidates.digitsOf(candidate), hasPlus, protectedNumbers);
    if (normalized.ok) return { ok: true, number: normalized, end: candidates.ends[candidate] as number };
    if (normalized.reason === 'protected_number') protectedRejection ??= normalized;
    else invalidRejection ??= normalized;
  }
  return (
    protectedRejection ??
    invalidRejection ?? { ok: false, reason: 'invalid_number', detail: 'not a valid Vietnamese number' }
  );
}
