/**
 * Turning a phone number as people write it into one canonical E.164 form.
 *
 * Accepted notations: digits in any script (full-width from some phone keyboards, Arabic-Indic...),
 * separated by spaces, dots, dashes, slashes or parentheses; prefixed by `+84`, `84`, `0084`, the
 * trunk `0` or nothing; old 11-digit mobile numbers from before the 2018 conversion.
 */
import { decimalDigitValue, codePointLength } from '../text/unicode-digits';
import { MOBILE_PREFIX_ALLOCATIONS, type Carrier } from './carriers';
import { LEGACY_PREFIX_CONVERSIONS } from './legacy-prefixes';
import { DEFAULT_PROTECTED_SHORT_CODES } from './protected-numbers';
import { lookUpNationalNumber, type NumberType } from './vietnam-numbering-plan';

export type NormalizedNumber = {
  readonly ok: true;
  /** Canonical form: '+84912345678'. Normalising it again gives the same value. */
  readonly e164: string;
  /** As dialled inside Vietnam, with the trunk 0 where one is used: '0912345678', '18001234'. */
  readonly nationalNumber: string;
  readonly numberType: NumberType;
  /** Carrier of original allocation, for mobile numbers with a known prefix; otherwise null. */
  readonly carrier: Carrier | null;
  /** True when the number was written in its pre-2018 11-digit form. */
  readonly convertedFromLegacy: boolean;
};

export const NUMBER_REJECTION_REASONS = ['no_number', 'invalid_number', 'protected_number'] as const;
export type NumberRejectionReason = (typeof NUMBER_REJECTION_REASONS)[number];

export type NumberRejection = {
  readonly ok: false;
  readonly reason: NumberRejectionReason;
  /** For people reading logs; not meant to be parsed. */
  readonly detail: string;
};

export type NormalizeNumberResult = NormalizedNumber | NumberRejection;

export interface NumberOptions {
  /**
   * Numbers that can never be reported, in addition to the emergency and reporting short codes
   * (DEFAULT_PROTECTED_SHORT_CODES). Any notation; short codes are compared digit for digit.
   */
  readonly protectedNumbers?: readonly string[];
}

/** Longer inputs are not phone numbers; rejecting them early bounds the work. */
export const MAX_NUMBER_INPUT_LENGTH = 64;
/** '0084' + an 11-digit legacy number is 15 digits; nothing valid is longer. */
export const MAX_NUMBER_DIGITS = 16;

/**
 * Tables indexed by the value of a number's leading digits ('91' -> 91): every report looks
 * its number up in them, and indexing by digits needs no substring and no hashing.
 */
function tableByLeadingDigits<Value>(entries: ReadonlyArray<readonly [string, Value]>, digitCount: number) {
  const table = new Array<Value | undefined>(10 ** digitCount).fill(undefined);
  for (const [digits, value] of entries) table[Number(digits)] = value;
  return table;
}
/** The value of the first `count` digits of ASCII `digits`, which has at least `count`. */
function leadingDigitsValue(digits: string, count: number): number {
  let value = 0;
  for (let index = 0; index < count; index++) value = value * 10 + digits.charCodeAt(index) - 0x30;
  return value;
}

/** National significant prefix ('91') -> carrier. */
const CARRIER_BY_PREFIX = tableByLeadingDigits(
  MOBILE_PREFIX_ALLOCATIONS.map((allocation) => [allocation.prefix.slice(1), allocation.carrier] as const),
  2,
);

/** Old national significant prefix ('162') -> new one ('32'). */
const CURRENT_PREFIX_BY_LEGACY = tableByLeadingDigits(
  LEGACY_PREFIX_CONVERSIONS.map(
    (conversion) => [conversion.legacy.slice(1), conversion.current.slice(1)] as const,
  ),
  3,
);

// ---------------------------------------------------------------------------------------------
// Protected numbers

export interface ProtectedNumbers {
  /** Digit strings compared with the number as written (minus prefixes). */
  readonly shortCodes: ReadonlySet<string>;
  /** The length of the longest short code: longer digits need no look-up. */
  readonly longestShortCode: number;
  /** Valid numbers, compared by their canonical form. */
  readonly e164s: ReadonlySet<string>;
}

function protectedNumbersOf(shortCodes: ReadonlySet<string>, e164s: ReadonlySet<string>): ProtectedNumbers {
  const longestShortCode = Math.max(0, ...[...shortCodes].map((shortCode) => shortCode.length));
  return { shortCodes, longestShortCode, e164s };
}

const NO_PROTECTED_NUMBERS: ProtectedNumbers = protectedNumbersOf(new Set(), new Set());
const DEFAULT_PROTECTED_NUMBERS: ProtectedNumbers = protectedNumbersOf(
  new Set(DEFAULT_PROTECTED_SHORT_CODES),
  new Set(),
);
const compiledProtectedNumbers = new WeakMap<readonly string[], ProtectedNumbers>();

/**
 * The default protected short codes plus `extra`. Compiled once per array instance, so passing the
 * same configuration array on every call costs nothing.
 */
export function compileProtectedNumbers(extra: readonly string[] | undefined): ProtectedNumbers {
  if (extra === undefined || extra.length === 0) return DEFAULT_PROTECTED_NUMBERS;
  const cached = compiledProtectedNumbers.get(extra);
  if (cached !== undefined) return cached;
  const shortCodes = new Set(DEFAULT_PROTECTED_SHORT_CODES);
  const e164s = new Set<string>();
  for (const entry of extra) {
    if (typeof entry !== 'string') continue;
    const normalized = normalizeNumberWith(entry, NO_PROTECTED_NUMBERS);
    if (normalized.ok) {
      e164s.add(normalized.e164);
    } else {
      const scanned = scanNumberNotation(entry);
      if (scanned.kind === 'digits') shortCodes.add(scanned.digits);
    }
  }
  const compiled = protectedNumbersOf(shortCodes, e164s);
  compiledProtectedNumbers.set(extra, compiled);
  return compiled;
}

// ---------------------------------------------------------------------------------------------
// Reading the characters of a number

type ScannedNotation =
  | { readonly kind: 'digits'; readonly digits: string; readonly hasPlus: boolean }
  | { readonly kind: 'unexpected_character'; readonly position: number }
  | { readonly kind: 'too_long' };

/** Separators people put between digit groups, by UTF-16 code unit. */
export function isNumberSeparatorCode(code: number): boolean {
  switch (code) {
    case 0x20: // ' '
    case 0x2e: // '.'
    case 0x2d: // '-'
    case 0x28: // '('
    case 0x29: // ')'
    case 0x2f: // '/'
    case 0x09: // tab
    case 0x00a0: // no-break space
    case 0x202f: // narrow no-break space
    case 0x3000: // ideographic space
    case 0x2010: // hyphen
    case 0x2011: // non-breaking hyphen
    case 0x2012: // figure dash
    case 0x2013: // en dash
    case 0x2014: // em dash
    case 0x2212: // minus sign
    case 0xff0d: // full-width hyphen-minus
    case 0xff0e: // full-width full stop
    case 0xff08: // full-width parentheses
    case 0xff09:
      return true;
    default:
      return false;
  }
}

/** Separators people put between digit groups. */
export function isNumberSeparator(char: string): boolean {
  return char.length === 1 && isNumberSeparatorCode(char.charCodeAt(0));
}

export function isPlusSignCode(code: number): boolean {
  return code === 0x2b || code === 0xff0b; // '+', full-width '+'
}

export function isPlusSign(char: string): boolean {
  return char.length === 1 && isPlusSignCode(char.charCodeAt(0));
}

function isInvisible(char: string): boolean {
  return (
    char === '\u200b' || char === '\u200c' || char === '\u200d' || char === '\u2060' || char === '\ufeff'
  );
}

/**
 * ASCII digits after at most one leading '+', as messages and gateways write numbers: the digits
 * are the input itself (without the '+'), so no string is built a digit at a time.
 */
function scanPlainDigits(input: string): ScannedNotation | null {
  const hasPlus = input.charCodeAt(0) === 0x2b;
  for (let index = hasPlus ? 1 : 0; index < input.length; index++) {
    const code = input.charCodeAt(index);
    if (code < 0x30 || code > 0x39) return null;
  }
  return { kind: 'digits', digits: hasPlus ? input.slice(1) : input, hasPlus };
}

function scanNumberNotation(input: string): ScannedNotation {
  if (input.length > MAX_NUMBER_INPUT_LENGTH) return { kind: 'too_long' };
  const plain = scanPlainDigits(input);
  if (plain !== null) return plain;
  let digits = '';
  let hasPlus = false;
  let index = 0;
  while (index < input.length) {
    const codePoint = input.codePointAt(index) as number; // index < length, so defined
    const width = codePointLength(codePoint);
    const value = decimalDigitValue(codePoint);
    if (value >= 0) {
      digits += String(value);
    } else {
      const char = input.charAt(index);
      if (isPlusSign(char) && digits.length === 0 && !hasPlus) {
        hasPlus = true;
      } else if (!isNumberSeparator(char) && !isInvisible(char) && !/^\s$/.test(char)) {
        return { kind: 'unexpected_character', position: index };
      }
    }
    index += width;
  }
  return { kind: 'digits', digits, hasPlus };
}

// ---------------------------------------------------------------------------------------------
// From digits to a canonical number

function reject(reason: NumberRejectionReason, detail: string): NumberRejection {
  return { ok: false, reason, detail };
}

function isShortCode(protectedNumbers: ProtectedNumbers, digits: string): boolean {
  return digits.length <= protectedNumbers.longestShortCode && protectedNumbers.shortCodes.has(digits);
}

/**
 * The national significant number that `reading` stands for (ASCII digits after any country code
 * or international prefix), converted from its pre-2018 form if need be: a result to return, or
 * 'short_code' when it is a protected short code, or null when it is not a valid number.
 */
function normalizeReading(
  digits: string,
  reading: string,
  protectedNumbers: ProtectedNumbers,
): NormalizeNumberResult | 'short_code' | null {
  // '+84 0912...' and '0084 0912...': a trunk 0 kept after the country code.
  let nationalSignificant = reading.startsWith('0') ? reading.slice(1) : reading;
  if (isShortCode(protectedNumbers, nationalSignificant) || isShortCode(protectedNumbers, digits)) {
    return 'short_code';
  }
  let convertedFromLegacy = false;
  if (nationalSignificant.length === 10) {
    const currentPrefix = CURRENT_PREFIX_BY_LEGACY[leadingDigitsValue(nationalSignificant, 3)];
    if (currentPrefix !== undefined) {
      nationalSignificant = currentPrefix + nationalSignificant.slice(3);
      convertedFromLegacy = true;
    }
  }
  const entry = lookUpNationalNumber(nationalSignificant);
  if (!entry.valid) return null;
  const e164 = `+84${nationalSignificant}`;
  if (protectedNumbers.e164s.size > 0 && protectedNumbers.e164s.has(e164))
    return reject('protected_number', `${e164} is a protected number`);
  const carrier =
    entry.numberType === 'mobile'
      ? (CARRIER_BY_PREFIX[leadingDigitsValue(nationalSignificant, 2)] ?? null)
      : null;
  return {
    ok: true,
    e164,
    nationalNumber: entry.nationalForm,
    numberType: entry.numberType,
    carrier,
    convertedFromLegacy,
  };
}

/**
 * Canonicalises a string of ASCII digits (with or without a leading '+'). Used by the report
 * parser, which reads the digits itself.
 *
 * The digits may stand for one or two national significant numbers, the more likely one first
 * ('84912345678' is +84 912345678; '841234567' is more likely 0841234567 with the 0 forgotten);
 * none when they are an international call to another country.
 */
export function normalizeDigits(
  digits: string,
  hasPlus: boolean,
  protectedNumbers: ProtectedNumbers,
): NormalizeNumberResult {
  if (digits.length === 0) return reject('no_number', 'no digits');
  if (digits.length > MAX_NUMBER_DIGITS)
    return reject('invalid_number', `too many digits (${digits.length})`);
  let first: string;
  let second: string | null = null;
  if (hasPlus) {
    if (!digits.startsWith('84')) return reject('invalid_number', 'not a Vietnamese number (+84)');
    first = digits.slice(2);
  } else if (digits.startsWith('0084')) {
    first = digits.slice(4);
  } else if (digits.startsWith('00')) {
    return reject('invalid_number', 'not a Vietnamese number (+84)');
  } else if (digits.startsWith('0')) {
    first = digits.slice(1);
  } else if (digits.startsWith('84')) {
    first = digits.length >= 10 ? digits.slice(2) : digits;
    second = digits.length >= 10 ? digits : digits.slice(2);
  } else {
    first = digits;
  }
  const fromFirst = normalizeReading(digits, first, protectedNumbers);
  if (fromFirst !== null && fromFirst !== 'short_code') return fromFirst;
  const fromSecond = second === null ? null : normalizeReading(digits, second, protectedNumbers);
  if (fromSecond !== null && fromSecond !== 'short_code') return fromSecond;
  if (fromFirst === 'short_code' || fromSecond === 'short_code')
    return reject('protected_number', `${digits} is an emergency or reporting short code`);
  return reject('invalid_number', `${digits} is not a valid Vietnamese number`);
}

function normalizeNumberWith(input: string, protectedNumbers: ProtectedNumbers): NormalizeNumberResult {
  if (typeof input !== 'string') return reject('no_number', 'not a string');
  const scanned = scanNumberNotation(input);
  switch (scanned.kind) {
    case 'too_long':
      return reject('invalid_number', `longer than ${MAX_NUMBER_INPUT_LENGTH} characters`);
    case 'unexpected_character':
      return reject('invalid_number', `unexpected character at position ${scanned.position}`);
    case 'digits':
      return normalizeDigits(scanned.digits, scanned.hasPlus, protectedNumbers);
  }
}

/**
 * Canonicalises a Vietnamese phone number written in any of the usual notations.
 *
 *   normalizeNumber('0166.234.5678') -> { ok: true, e164: '+84362345678', carrier: 'viettel',
 *                                         convertedFromLegacy: true, ... }
 *   normalizeNumber('113')          -> { ok: false, reason: 'protected_number', ... }
 */
export function normalizeNumber(input: string, options: NumberOptions = {}): NormalizeNumberResult {
  return normalizeNumberWith(input, compileProtectedNumbers(options.protectedNumbers));
}

/** The national dialling form of a canonical number ('+84912345678' -> '0912345678'), or null. */
export function nationalFormOf(e164: string): string | null {
  const normalized = normalizeNumberWith(e164, NO_PROTECTED_NUMBERS);
  return normalized.ok ? normalized.nationalNumber : null;
}
