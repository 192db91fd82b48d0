/**
 * What libphonenumber (with its `max` metadata) knows about a Vietnamese national significant
 * number: whether it is valid, its type and its national dialling form.
 *
 * libphonenumber costs a few microseconds per number; reported numbers repeat a lot (a spammer is
 * reported many times), so answers are memoised in a bounded map.
 */
import { parsePhoneNumberFromString } from 'libphonenumber-js/max';
import type { NumberType as LibNumberType } from 'libphonenumber-js/max';

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

function toNumberType(libType: LibNumberType | undefined): NumberType {
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

function lookUpUncached(nationalSignificantNumber: string): NumberingPlanEntry {
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

/** `nationalSignificantNumber`: ASCII digits, no trunk 0, no country code. */
export function lookUpNationalNumber(nationalSignificantNumber: string): NumberingPlanEntry {
  const length = nationalSignificantNumber.length;
  if (length < MIN_NATIONAL_SIGNIFICANT_DIGITS || length > MAX_NATIONAL_SIGNIFICANT_DIGITS) return INVALID;
  if (!/^[0-9]+$/.test(nationalSignificantNumber)) return INVALID;
  const cached = cache.get(nationalSignificantNumber);
  if (cached !== undefined) return cached;
  const entry = lookUpUncached(nationalSignificantNumber);
  if (cache.size >= CACHE_CAPACITY) cache.clear();
  cache.set(nationalSignificantNumber, entry);
  return entry;
}
