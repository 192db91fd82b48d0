/**
 * What libphonenumber (with its `max` metadata) knows about a Vietnamese national significant
 * number: whether it is valid, its type and its national dialling form.
 *
 * Two ways to the same answer. Most numbers go through the metadata's patterns compiled once
 * (compiled-numbering-plan.ts): well under a microsecond, with no cache needed, so distinct numbers
 * cost no more than repeated ones. Digits libphonenumber would rewrite while parsing, or every
 * number when the metadata is not of a shape the compiled plan follows, go through the full
 * libphonenumber parse (about 10 µs), whose answers are memoised in a bounded map because reported
 * numbers repeat a lot (a spammer is reported many times).
 */
import { parsePhoneNumberFromString } from 'libphonenumber-js/max';
import type { PhoneNumberType } from 'libphonenumber-js/max';
import { compileNumberingPlan } from './compiled-numbering-plan';

export const NUMBER_TYPES = ['mobile', 'fixed_line', 'toll_free', 'premium', 'other'] as const;
export type NumberType = (typeof NUMBER_TYPES)[number];

/** Vietnamese national significant numbers (without the trunk 0) have 7 to 10 digits. */
export const MIN_NATIONAL_SIGNIFICANT_DIGITS = 7;
export const MAX_NATIONAL_SIGNIFICANT_DIGITS = 10;

export type NumberingPlanEntry =
  | { readonly valid: false }
  | {
      readonly valid: true;
      readonly numberType: NumberType;
      /** As dialled inside Vietnam: '0912345678', '02438123456', '18001234'. */
      readonly nationalForm: string;
    };

const INVALID: NumberingPlanEntry = { valid: false };
const CACHE_CAPACITY = 50_000;
const cache = new Map<string, NumberingPlanEntry>();
const COMPILED_PLAN = compileNumberingPlan();

function toNumberType(libType: PhoneNumberType | undefined): NumberType {
  switch (libType) {
    case 'MOBILE':
      return 'mobile';
    case 'FIXED_LINE':
      return 'fixed_line';
    case 'TOLL_FREE':
      return 'toll_free';
    case 'PREMIUM_RATE':
      return 'premium';
    default:
      return 'other';
  }
}

/**
 * The full libphonenumber way, uncached: the reference the compiled plan is tested against, and
 * the way for digits the compiled plan does not cover.
 */
export function lookUpWithLibphonenumber(nationalSignificantNumber: string): NumberingPlanEntry {
  const parsed = parsePhoneNumberFromString(`+84${nationalSignificantNumber}`);
  if (parsed === undefined || parsed.nationalNumber !== nationalSignificantNumber || !parsed.isValid()) {
    return INVALID;
  }
  return {
    valid: true,
    numberType: toNumberType(parsed.getType()),
    nationalForm: parsed.formatNational().replace(/\D/g, ''),
  };
}

function isAsciiDigits(text: string): boolean {
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index);
    if (code < 0x30 || code > 0x39) return false;
  }
  return true;
}

/** `nationalSignificantNumber`: ASCII digits, no trunk 0, no country code. */
export function lookUpNationalNumber(nationalSignificantNumber: string): NumberingPlanEntry {
  const length = nationalSignificantNumber.length;
  if (length < MIN_NATIONAL_SIGNIFICANT_DIGITS || length > MAX_NATIONAL_SIGNIFICANT_DIGITS) return INVALID;
  if (!isAsciiDigits(nationalSignificantNumber)) return INVALID;
  if (COMPILED_PLAN !== null && COMPILED_PLAN.covers(nationalSignificantNumber)) {
    const libType = COMPILED_PLAN.typeOf(nationalSignificantNumber);
    if (libType === undefined) return INVALID;
    return {
      valid: true,
      numberType: toNumberType(libType),
      nationalForm: COMPILED_PLAN.nationalFormOf(nationalSignificantNumber),
    };
  }
  const cached = cache.get(nationalSignificantNumber);
  if (cached !== undefined) return cached;
  const entry = lookUpWithLibphonenumber(nationalSignificantNumber);
  if (cache.size >= CACHE_CAPACITY) cache.clear();
  cache.set(nationalSignificantNumber, entry);
  return entry;
}
