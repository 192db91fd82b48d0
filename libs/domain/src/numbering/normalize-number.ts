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

const CARRIER_BY_PREFIX: ReadonlyMap<string, Carrier> = new Map(
  MOBILE_PREFIX_ALLOCATIONS.map((allocation) => [allocation.prefix.slice(1), allocation.carrier]),
);

/** Old national significant prefix ('162') -> new one ('32'). */
const CURRENT_PREFIX_BY_LEGACY: ReadonlyMap<string, string> = new Map(
  LEGACY_PREFIX_CONVERSIONS.map((conversion) => [conversion.legacy.slice(1), conversion.current.slice(1)]),
);

// ---------------------------------------------------------------------------------------------
// Protected numbers

export interface ProtectedNumbers {
  /** Digit strings compared with the number as written (minus prefixes). */
  readonly shortCodes: ReadonlySet<string>;
  /** Valid numbers, compared by their canonical form. */
  readonly e164s: ReadonlySet<string>;
}

const NO_PROTECTED_NUMBERS: ProtectedNumbers = { shortCodes: new Set(), e164s: new Set() };
const DEFAULT_PROTECTED_NUMBERS: ProtectedNumbers = {
  shortCodes: new Set(DEFAULT_PROTECTED_SHORT_CODES),
  e164s: new Set(),
};
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
  const compiled: ProtectedNumbers = { shortCodes, e164s };
  compiledProtectedNumbers.set(extra, compiled);
  return compiled;
}

// ---------------------------------------------------------------------------------------------
// Reading the characters of a number

type ScannedNotation =
  | { readonly kind: 'digits'; readonly digits: string; readonly hasPlus: boolean }
  | { readonly kind: 'unexpected_character'; readonly position: number }
  | { readonly kind: 'too_long' };

/** Separators people put between digit groups. */
export function isNumberSeparator(char: string): boolean {
  switch (char) {
    case ' ':
    case '.':
    case '-':
    case '(':
    case ')':
    case '/':
    case '\t':
    case '\u00a0': // no-break space
    case '\u202f': // narrow no-break space
    case '\u3000': // ideographic space
    case '\u2010': // hyphen
    case '\u2011': // non-breaking hyphen
    case '\u2012': // figure dash
    case '\u2013': // en dash
    case '\u2014': // em dash
    case '\u2212': // minus sign
    case '\uff0d': // full-width hyphen-minus
    case '\uff0e': // full-width full stop
    case '\uff08': // full-width parentheses
    case '\uff09':
      return true;
    default:
      return false;
  }
}

export function isPlusSign(char: string): boolean {
  return char === '+' || char === '\uff0b';
}

function isInvisible(char: string): boolean {
  return (
    char === '\u200b' || char === '\u200c' || char === '\u200d' || char === '\u2060' || char === '\ufeff'
  );
}

function scanNumberNotation(input: string): ScannedNotation {
  if (input.length > MAX_NUMBER_INPUT_LENGTH) return { kind: 'too_long' };
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

/**
 * The national significant numbers the digits may stand for, most likely first; empty when the
 * digits are an international call to another country.
 */
function nationalReadings(digits: string, hasPlus: boolean): readonly string[] {
  if (hasPlus) return digits.startsWith('84') ? [digits.slice(2)] : [];
  if (digits.startsWith('0084')) return [digits.slice(4)];
  if (digits.startsWith('00')) return [];
  if (digits.startsWith('0')) return [digits.slice(1)];
  if (digits.startsWith('84')) {
    // '84912345678' is +84 912345678; '841234567' is more likely 0841234567 with the 0 forgotten.
    return digits.length >= 10 ? [digits.slice(2), digits] : [digits, digits.slice(2)];
  }
  return [digits];
}

/**
 * Canonicalises a string of ASCII digits (with or without a leading '+'). Used by the report
 * parser, which reads the digits itself.
 */
export function normalizeDigits(
  digits: string,
  hasPlus: boolean,
  protectedNumbers: ProtectedNumbers,
): NormalizeNumberResult {
  if (digits.length === 0) return reject('no_number', 'no digits');
  if (digits.length > MAX_NUMBER_DIGITS)
    return reject('invalid_number', `too many digits (${digits.length})`);
  const readings = nationalReadings(digits, hasPlus);
  if (readings.length === 0) return reject('invalid_number', 'not a Vietnamese number (+84)');
  let isProtectedShortCode = false;
  for (const reading of readings) {
    // '+84 0912...' and '0084 0912...': a trunk 0 kept after the country code.
    let nationalSignificant = reading.startsWith('0') ? reading.slice(1) : reading;
    if (protectedNumbers.shortCodes.has(nationalSignificant) || protectedNumbers.shortCodes.has(digits)) {
      isProtectedShortCode = true;
      continue;
    }
    let convertedFromLegacy = false;
    if (nationalSignificant.length === 10) {
      const currentPrefix = CURRENT_PREFIX_BY_LEGACY.get(nationalSignificant.slice(0, 3));
      if (currentPrefix !== undefined) {
        nationalSignificant = currentPrefix + nationalSignificant.slice(3);
        convertedFromLegacy = true;
      }
    }
    const entry = lookUpNationalNumber(nationalSignificant);
    if (!entry.valid) continue;
    const e164 = `+84${nationalSignificant}`;
    if (protectedNumbers.e164s.has(e164)) return reject('protected_number', `${e164} is a protected number`);
    const carrier =
      entry.numberType === 'mobile' ? (CARRIER_BY_PREFIX.get(nationalSignificant.slice(0, 2)) ?? null) : null;
    return {
      ok: true,
      e164,
      nationalNumber: entry.nationalForm,
      numberType: entry.numberType,
      carrier,
      convertedFromLegacy,
    };
  }
  if (isProtectedShortCode)
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
