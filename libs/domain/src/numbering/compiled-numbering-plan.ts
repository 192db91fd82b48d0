/**
 * libphonenumber's rules for one country, read once from its `max` metadata and compiled into
 * RegExps, so that classifying a national significant number costs a few RegExp tests.
 *
 * Why: libphonenumber-js builds a new RegExp from a pattern string at every match and wraps the
 * metadata and the number in new objects at every parse, type query and formatting; that was most
 * of the report parser's time with distinct numbers (decision 0024). Its answers depend on the
 * metadata alone, so this module takes the same patterns, possible lengths and formats from the
 * same metadata and applies them in the same order as libphonenumber-js 1.13 does (getNumberType,
 * chooseFormatForNumber, formatNationalNumberUsingFormat). The metadata stays the authority: a new
 * release of libphonenumber-js brings its new ranges here with no change to this file.
 *
 * Digits that libphonenumber would rewrite while parsing (those its national prefix for parsing
 * matches: a leading 0 for Vietnam) are not classified here: `covers` says no and the caller asks
 * libphonenumber itself (so a national prefix transform rule, which only applies to those, never
 * matters here). When the metadata lacks a shape this module relies on, compileNumberingPlan
 * returns null and every number goes the full way. compiled-numbering-plan.property.spec.ts
 * compares both ways on generated numbers.
 */
import { Metadata, type PhoneNumberType } from 'libphonenumber-js/core';
import maxMetadata from 'libphonenumber-js/metadata.max.json';

/** The types libphonenumber-js's getNumberType tries after FIXED_LINE, in its order. */
const NON_FIXED_LINE_TYPES = [
  'MOBILE',
  'PREMIUM_RATE',
  'TOLL_FREE',
  'SHARED_COST',
  'VOIP',
  'PERSONAL_NUMBER',
  'PAGER',
  'UAN',
  'VOICEMAIL',
] as const satisfies readonly PhoneNumberType[];

/**
 * The methods of libphonenumber-js's Metadata wrappers read here. Its typings declare fewer than
 * it has; each one is checked to exist before use (see readPlan). Compressed metadata stores an
 * absent value as 0, hence the `| 0`.
 */
interface NumberTypeMetadata {
  pattern(): string | 0 | undefined;
  possibleLengths(): readonly number[] | 0 | undefined;
}
interface FormatMetadata {
  pattern(): string;
  format(): string;
  leadingDigitsPatterns(): readonly string[];
  nationalPrefixFormattingRule(): string | 0 | undefined;
}
interface NumberingPlanMetadata {
  nationalNumberPattern(): string;
  nationalPrefixForParsing(): string | 0 | undefined;
  hasTypes(): boolean;
  type(name: PhoneNumberType): NumberTypeMetadata | undefined;
  formats(): readonly FormatMetadata[];
}
interface GlobalMetadata {
  getCountryCodesForCallingCode(callingCode: string): readonly string[] | undefined;
  numberingPlan?: unknown;
}

export interface CompiledNumberingPlan {
  /**
   * Whether these digits are classified here. False for digits that libphonenumber would rewrite
   * while parsing them after the country code (its national prefix for parsing matches them).
   */
  covers(nationalSignificantNumber: string): boolean;
  /** libphonenumber's getNumberType for covered digits: undefined when the number is not valid. */
  typeOf(nationalSignificantNumber: string): PhoneNumberType | undefined;
  /** libphonenumber's formatNational of a valid covered number, digits only: '0912345678'. */
  nationalFormOf(nationalSignificantNumber: string): string;
}

interface CompiledType {
  /** Null when libphonenumber gives no possible lengths: any length is tested. */
  readonly lengths: ReadonlySet<number> | null;
  readonly pattern: RegExp;
}

interface CompiledFormat {
  /** Null when the format has no leading digits pattern. */
  readonly leadingDigits: RegExp | null;
  /** Whether the format's pattern matches the whole of a string of ASCII digits. */
  readonly matchesEntirely: (digits: string) => boolean;
  /**
   * The digits formatNational writes before the number when the format only regroups the digits
   * ('0' for '0$1 $2 $3'); null when it may do more, and then `pattern` and `nationalTemplate` are
   * applied as libphonenumber applies them.
   */
  readonly prefixDigits: string | null;
  /** Unanchored, as formatNationalNumberUsingFormat uses it. */
  readonly pattern: RegExp;
  /** The replacement formatNational uses: the format with the national prefix formatting rule applied. */
  readonly nationalTemplate: string;
}

/** libphonenumber-js's matchesEntirely, with the RegExp built once. */
function entirely(pattern: string): RegExp {
  return new RegExp(`^(?:${pattern})$`);
}

/** formatNationalNumberUsingFormat's FIRST_GROUP_PATTERN. */
const FIRST_GROUP = /(\$\d)/;
const NOT_A_DIGIT = /\D/g;
/** A format pattern made of capture groups of digits and nothing else: '(\d{3})(\d{4,6})'. */
const ONLY_DIGIT_GROUPS = /^(?:\(\\d\{\d+(?:,\d+)?\}\))+$/;
const GROUP_REFERENCE = /\$(\d)/;

/**
 * The digits a format writes before the number, when formatting cannot do more than put them in
 * front and separators between the groups: the pattern is groups of digits only (so the groups
 * are the whole number once the pattern matches it entirely), and the template names each group
 * once, in order, with no digit and no other `$` replacement between or after them. Null otherwise.
 */
function prefixDigitsOf(pattern: string, template: string): string | null {
  if (!ONLY_DIGIT_GROUPS.test(pattern)) return null;
  const groupCount = pattern.split('(').length - 1;
  // split with a capturing separator: [literal, '1', literal, '2', ..., literal]
  const parts = template.split(GROUP_REFERENCE);
  if (parts.length !== 2 * groupCount + 1) return null;
  for (let index = 0; index < parts.length; index++) {
    const part = parts[index] as string;
    if (index % 2 === 1) {
      if (part !== String((index + 1) / 2)) return null;
    } else if (part.includes('$') || (index > 0 && /\d/.test(part))) {
      return null;
    }
  }
  return (parts[0] as string).replace(NOT_A_DIGIT, '');
}

/**
 * Whether the national prefix for parsing matches at the start of the digits (libphonenumber then
 * strips it). A prefix of plain digits, such as Vietnam's '0', is compared as a string.
 */
function compilePrefixForParsing(pattern: string | 0 | undefined): (digits: string) => boolean {
  if (!pattern) return () => false;
  if (/^[0-9]+$/.test(pattern)) return (digits) => digits.startsWith(pattern);
  const atStart = new RegExp(`^(?:${pattern})`);
  return (digits) => atStart.test(digits);
}

function compileType(metadata: NumberTypeMetadata | undefined): CompiledType | null {
  // isNumberTypeEqualTo: a type without a pattern matches nothing.
  const pattern = metadata?.pattern();
  if (metadata === undefined || !pattern) return null;
  const lengths = metadata.possibleLengths();
  return { lengths: lengths ? new Set(lengths) : null, pattern: entirely(pattern) };
}

/**
 * matchesEntirely for a format pattern, for digits only. A pattern of digit groups alone
 * ('(\d{3})(\d{4,6})') matches a string of digits exactly when its length is one the groups add
 * up to, so only the length is compared.
 */
function compileEntireMatch(pattern: string): (digits: string) => boolean {
  if (!ONLY_DIGIT_GROUPS.test(pattern)) {
    const entire = entirely(pattern);
    return (digits) => entire.test(digits);
  }
  let lengths = new Set([0]);
  for (const [, min, max] of pattern.matchAll(/\{(\d+)(?:,(\d+))?\}/g)) {
    const longer = new Set<number>();
    for (const length of lengths) {
      for (let add = Number(min); add <= Number(max ?? min); add++) longer.add(length + add);
    }
    lengths = longer;
  }
  return (digits) => lengths.has(digits.length);
}

function compileFormat(format: FormatMetadata): CompiledFormat {
  const leadingDigitsPatterns = format.leadingDigitsPatterns();
  const lastLeadingDigits = leadingDigitsPatterns[leadingDigitsPatterns.length - 1];
  // formatNational: the national prefix is always wanted (no `nationalPrefix: false` option).
  const rule = format.nationalPrefixFormattingRule();
  const nationalTemplate = rule ? format.format().replace(FIRST_GROUP, rule) : format.format();
  return {
    // chooseFormatForNumber asks `search(pattern) === 0`: a match that starts at the first digit.
    leadingDigits: lastLeadingDigits === undefined ? null : new RegExp(`^(?:${lastLeadingDigits})`),
    matchesEntirely: compileEntireMatch(format.pattern()),
    prefixDigits: prefixDigitsOf(format.pattern(), nationalTemplate),
    pattern: new RegExp(format.pattern()),
    nationalTemplate,
  };
}

function hasMethods(value: unknown, names: readonly string[]): boolean {
  if (typeof value !== 'object' || value === null) return false;
  const record = value as Record<string, unknown>;
  return names.every((name) => typeof record[name] === 'function');
}

/** The country's numbering plan from the metadata wrappers, or null when they are not as expected. */
function readPlan(country: 'VN', callingCode: string): NumberingPlanMetadata | null {
  // The `core` entry point with the `max` JSON: the same data libphonenumber-js/max parses with.
  const metadata = new Metadata(maxMetadata) as unknown as GlobalMetadata;
  if (!hasMethods(metadata, ['getCountryCodesForCallingCode', 'selectNumberingPlan'])) return null;
  // A calling code shared by several countries would need libphonenumber's choice of country.
  const countries = metadata.getCountryCodesForCallingCode(callingCode);
  if (countries === undefined || countries.length !== 1 || countries[0] !== country) return null;
  (metadata as unknown as Metadata).selectNumberingPlan(country);
  const plan = metadata.numberingPlan;
  const methods = ['nationalNumberPattern', 'nationalPrefixForParsing', 'hasTypes', 'type', 'formats'];
  return hasMethods(plan, methods) ? (plan as NumberingPlanMetadata) : null;
}

/**
 * The compiled numbering plan of Vietnam (+84), or null when the metadata is not of a shape this
 * module can follow exactly: then callers use libphonenumber for every number.
 */
export function compileNumberingPlan(country: 'VN' = 'VN', callingCode = '84'): CompiledNumberingPlan | null {
  const plan = readPlan(country, callingCode);
  // Without number types, libphonenumber's validity is the national pattern alone: not followed here.
  if (plan === null || !plan.hasTypes()) return null;

  const nationalPrefixForParsing = compilePrefixForParsing(plan.nationalPrefixForParsing());
  const nationalNumber = entirely(plan.nationalNumberPattern());
  const fixedLine = compileType(plan.type('FIXED_LINE'));
  const mobileMetadata = plan.type('MOBILE');
  const mobile = compileType(mobileMetadata);
  const otherTypes = NON_FIXED_LINE_TYPES.map((name) => ({
    name,
    compiled: compileType(plan.type(name)),
  })).filter(
    (entry): entry is { name: (typeof NON_FIXED_LINE_TYPES)[number]; compiled: CompiledType } =>
      entry.compiled !== null,
  );
  const formats = plan.formats().map(compileFormat);

  const isOfType = (digits: string, type: CompiledType | null): boolean =>
    type !== null && (type.lengths === null || type.lengths.has(digits.length)) && type.pattern.test(digits);

  return {
    covers: (digits) => !nationalPrefixForParsing(digits),

    typeOf(digits) {
      if (!nationalNumber.test(digits)) return undefined;
      if (isOfType(digits, fixedLine)) {
        // getNumberType: a plan whose mobile numbers look like its fixed lines says "either".
        if (mobileMetadata === undefined || mobileMetadata.pattern() === '' || isOfType(digits, mobile))
          return 'FIXED_LINE_OR_MOBILE';
        return 'FIXED_LINE';
      }
      for (const { name, compiled } of otherTypes) if (isOfType(digits, compiled)) return name;
      return undefined;
    },

    nationalFormOf(digits) {
      for (const format of formats) {
        // chooseFormatForNumber: the last leading digits pattern must match at the start.
        if (format.leadingDigits !== null && !format.leadingDigits.test(digits)) continue;
        if (!format.matchesEntirely(digits)) continue;
        if (format.prefixDigits !== null) return format.prefixDigits + digits;
        return digits.replace(format.pattern, format.nationalTemplate).replace(NOT_A_DIGIT, '');
      }
      return digits; // no format: formatNational gives the digits as they are
    },
  };
}
