/**
 * Parsing the text of an SMS sent to 156/5656 into a report, or a typed reason why it is not one.
 *
 *   V 0912345678 goi lam phien          V [0912345678][noi dung]        V(0812341213) lua dao
 *   v: 0912.345.678                     LD +84 912 345 678 gia danh cong an
 *   S 0166 234 5678 3 tin nhan          V ０９１２３４５６７８
 *
 * Never throws: every string gives a result. The work is bounded: the length is checked first, the
 * number reader reads at most 16 digits, the category lookup is linear in the content.
 */
import { categorizeContent } from '../categories/categorize-content';
import type { Category } from '../categories/category-keywords';
import type { Carrier } from '../numbering/carriers';
import {
  compileProtectedNumbers,
  normalizeNumber,
  type ProtectedNumbers,
} from '../numbering/normalize-number';
import type { NumberType } from '../numbering/vietnam-numbering-plan';
import type { NotAReportKind, RejectionReason } from '../rejection';
import type { ReportKind } from '../report-kind';
import { sanitizeText } from '../text/sanitize';
import { isWhiteSpaceCode } from '../text/white-space';
import { readReportedNumber, type NumberReading } from './read-reported-number';
import { matchNotAReport, matchReportKeyword } from './report-keywords';

/** Default maximum length of a report text (UTF-16 code units): three concatenated SMS. */
export const DEFAULT_MAX_REPORT_LENGTH = 480;

export interface ParseReportOptions {
  /** Longer texts are rejected as `too_long` before any other work. Default 480. */
  readonly maxLength?: number;
  /** Numbers that can never be reported, besides the emergency and reporting short codes. */
  readonly protectedNumbers?: readonly string[];
  /** The reporter's number as received (any notation); a report of it is a `self_report`. */
  readonly reporter?: string | null;
}

export interface ParsedReport {
  readonly kind: ReportKind;
  /** E.164: '+84912345678'. */
  readonly reportedNumber: string;
  readonly numberType: NumberType;
  readonly carrier: Carrier | null;
  readonly convertedFromLegacy: boolean;
  /** What the reporter wrote after the number, trimmed, NFC; null when nothing. */
  readonly content: string | null;
  readonly category: Category;
  /** The folded keyword that decided the category; null when the category is unknown. */
  readonly categoryKeyword: string | null;
}

export type ReportRejection =
  | {
      readonly ok: false;
      readonly reason: 'not_a_report';
      readonly notAReportKind: NotAReportKind;
      readonly detail: string;
    }
  | {
      readonly ok: false;
      readonly reason: Exclude<RejectionReason, 'not_a_report'>;
      /** For people reading logs; not meant to be parsed. */
      readonly detail: string;
    };

export type ParseReportResult = { readonly ok: true; readonly report: ParsedReport } | ReportRejection;

const OPENING_TO_CLOSING: Readonly<Record<string, string>> = {
  '[': ']',
  '(': ')',
  '\uff3b': '\uff3d', // full-width square brackets
  '\uff08': '\uff09', // full-width parentheses
};

/** Punctuation people put after the keyword: "V: 0912", "LD - 0912", "S=0912", "V> 0912". */
function isKeywordPunctuation(code: number): boolean {
  switch (code) {
    case 0x3a: // ':'
    case 0x3b: // ';'
    case 0x2c: // ','
    case 0x2e: // '.'
    case 0x3d: // '='
    case 0x2d: // '-'
    case 0x5f: // '_'
    case 0x3e: // '>'
      return true;
    default:
      return false;
  }
}

/** After the keyword: white space and punctuation, at most MAX_AFTER_KEYWORD characters. */
const isAfterKeyword = (code: number): boolean => isWhiteSpaceCode(code) || isKeywordPunctuation(code);
const MAX_AFTER_KEYWORD = 16;

/**
 * Before the content: white space, punctuation, dashes and stray closing brackets left between the
 * number and the content ("V ((+84) 912345678) noi dung").
 */
function isBeforeContent(code: number): boolean {
  switch (code) {
    case 0x2013: // en dash
    case 0x2014: // em dash
    case 0x29: // ')'
    case 0x5d: // ']'
    case 0xff09: // full-width ')'
    case 0xff3d: // full-width ']'
      return true;
    default:
      return isAfterKeyword(code);
  }
}

function reject(reason: Exclude<RejectionReason, 'not_a_report'>, detail: string): ReportRejection {
  return { ok: false, reason, detail };
}

/** The index of the first code unit from `index` on that `accept` refuses, looking at most `max` far. */
function skipWhile(text: string, index: number, accept: (code: number) => boolean, max = Infinity): number {
  let position = index;
  while (position < text.length && position - index < max && accept(text.charCodeAt(position))) position++;
  return position;
}

const skipSpaces = (text: string, index: number): number => skipWhile(text, index, isWhiteSpaceCode);

/** Removes one pair of brackets around the whole content, or an opening bracket never closed. */
function unwrapBrackets(content: string): string {
  const closing = OPENING_TO_CLOSING[content.charAt(0)];
  if (closing === undefined) return content;
  if (content.endsWith(closing) && content.indexOf(closing) === content.length - 1)
    return content.slice(1, -1);
  if (!content.includes(closing)) return content.slice(1);
  return content;
}

function toContent(raw: string): string | null {
  // What trim() and then removing the characters before the content would leave.
  let end = raw.length;
  while (end > 0 && isWhiteSpaceCode(raw.charCodeAt(end - 1))) end--;
  const withoutLead = raw.slice(Math.min(skipWhile(raw, 0, isBeforeContent), end), end);
  const content = unwrapBrackets(withoutLead).trim();
  return content.length === 0 ? null : content;
}

interface LocatedNumber {
  readonly reading: NumberReading;
  /** Text left for the content. */
  readonly rest: string;
}

/**
 * The number after the keyword, in brackets ("[0912345678][content]", "(0912345678)(content)")
 * or not ("0912345678 content").
 */
function locateNumber(text: string, start: number, protectedNumbers: ProtectedNumbers): LocatedNumber {
  const opening = text.charAt(start);
  const closing = OPENING_TO_CLOSING[opening];
  const closingIndex = closing === undefined ? -1 : text.indexOf(closing, start + 1);
  if (closingIndex < 0) {
    const from = closing === undefined ? start : start + 1; // an unclosed bracket is ignored
    const reading = readReportedNumber(text, from, protectedNumbers);
    return { reading, rest: reading.ok ? text.slice(reading.end) : '' };
  }
  const inner = text.slice(start + 1, closingIndex);
  const innerReading = readReportedNumber(inner, skipSpaces(inner, 0), protectedNumbers);
  if (innerReading.ok) {
    const innerRest = inner.slice(innerReading.end).trim();
    const after = text.slice(closingIndex + 1);
    return { reading: innerReading, rest: innerRest === '' ? after : `${innerRest} ${after.trim()}` };
  }
  // "(024) 3812 3456", "(+84) 912 345 678": parentheses around part of the number.
  const wholeReading = readReportedNumber(text, start, protectedNumbers);
  if (wholeReading.ok) return { reading: wholeReading, rest: text.slice(wholeReading.end) };
  return { reading: innerReading.reason === 'no_number' ? wholeReading : innerReading, rest: '' };
}

function isSelfReport(reporter: string | null | undefined, reportedE164: string): boolean {
  if (typeof reporter !== 'string' || reporter.length === 0) return false;
  const normalizedReporter = normalizeNumber(reporter);
  return normalizedReporter.ok && normalizedReporter.e164 === reportedE164;
}

function maxLengthOf(options: ParseReportOptions): number {
  const { maxLength } = options;
  return typeof maxLength === 'number' && maxLength >= 0 ? maxLength : DEFAULT_MAX_REPORT_LENGTH;
}

function parseUnguarded(text: string, options: ParseReportOptions): ParseReportResult {
  if (typeof text !== 'string') return reject('empty', 'not a string');
  const maxLength = maxLengthOf(options);
  if (text.length > maxLength) return reject('too_long', `${text.length} characters, at most ${maxLength}`);

  const clean = sanitizeText(text);
  const start = skipSpaces(clean, 0);
  if (start >= clean.length) return reject('empty', 'nothing but white space');

  const notAReportKind = matchNotAReport(clean, start);
  if (notAReportKind !== null) {
    return { ok: false, reason: 'not_a_report', notAReportKind, detail: `recognised as ${notAReportKind}` };
  }

  const keyword = matchReportKeyword(clean, start);
  if (keyword === null) return reject('no_keyword', 'does not start with V, S or LD');

  const afterKeyword = skipWhile(clean, keyword.end, isAfterKeyword, MAX_AFTER_KEYWORD);
  const protectedNumbers = compileProtectedNumbers(
    Array.isArray(options.protectedNumbers) ? options.protectedNumbers : undefined,
  );
  const { reading, rest } = locateNumber(clean, afterKeyword, protectedNumbers);
  if (!reading.ok) return reject(reading.reason, reading.detail);

  const { number } = reading;
  if (isSelfReport(options.reporter, number.e164))
    return reject('self_report', 'the reporter reported their own number');

  const content = toContent(rest);
  const { category, keyword: categoryKeyword } = categorizeContent(content);
  return {
    ok: true,
    report: {
      kind: keyword.kind,
      reportedNumber: number.e164,
      numberType: number.numberType,
      carrier: number.carrier,
      convertedFromLegacy: number.convertedFromLegacy,
      content,
      category,
      categoryKeyword,
    },
  };
}

/**
 * Parses the text of a report SMS. Never throws.
 *
 * The parser is written so that it cannot fail; the guard below only turns a bug into a typed
 * `internal_error` instead of crashing a consumer, and the property tests check it is never hit.
 */
export function parseReportText(text: string, options: ParseReportOptions = {}): ParseReportResult {
  try {
    return parseUnguarded(text, options ?? {});
  } catch (error: unknown) {
    return reject('internal_error', error instanceof Error ? error.message : 'unexpected failure');
  }
}
