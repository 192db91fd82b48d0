/**
 * fast-check generators for the property tests: valid Vietnamese numbers written in every
 * supported notation, hostile strings, and Vietnamese diacritics.
 *
 * Validity comes from libphonenumber directly (the oracle), not from the code under test.
 */
import fc from 'fast-check';
import { parsePhoneNumberFromString } from 'libphonenumber-js/max';
import { MOBILE_PREFIX_ALLOCATIONS } from '../src/numbering/carriers';
import { LEGACY_PREFIX_CONVERSIONS } from '../src/numbering/legacy-prefixes';

export function isValidByLibphonenumber(nationalSignificantNumber: string): boolean {
  return parsePhoneNumberFromString(`+84${nationalSignificantNumber}`)?.isValid() === true;
}

export interface GeneratedNumber {
  /** National significant number after any legacy conversion: '912345678'. */
  readonly nationalSignificant: string;
  readonly carrier: string;
  /** The national significant number as written before 2018, when the prefix had one. */
  readonly legacyNationalSignificant: string | null;
}

const LEGACY_BY_CURRENT = new Map(
  LEGACY_PREFIX_CONVERSIONS.map((c) => [c.current.slice(1), c.legacy.slice(1)]),
);

/** A valid mobile number from the carrier table with random subscriber digits. */
export const validMobileNumber: fc.Arbitrary<GeneratedNumber> = fc
  .tuple(fc.constantFrom(...MOBILE_PREFIX_ALLOCATIONS), fc.stringMatching(/^[0-9]{7}$/))
  .map(([allocation, subscriber]) => {
    const prefix = allocation.prefix.slice(1);
    const legacyPrefix = LEGACY_BY_CURRENT.get(prefix);
    return {
      nationalSignificant: prefix + subscriber,
      carrier: allocation.carrier,
      legacyNationalSignificant: legacyPrefix === undefined ? null : legacyPrefix + subscriber,
    };
  })
  .filter((generated) => isValidByLibphonenumber(generated.nationalSignificant));

const DIGIT_ZEROS = [
  0x30, // ASCII
  0xff10, // full-width
  0x0660, // Arabic-Indic
  0x06f0, // extended Arabic-Indic
  0x0966, // Devanagari
  0x0e50, // Thai
  0x1d7ce, // mathematical bold
  0x1d7ec, // mathematical sans-serif bold (third set of the same run)
];

/** Writes ASCII digits in a random script, digit by digit (scripts may be mixed). */
function digitsInScripts(digits: string): fc.Arbitrary<string> {
  return fc
    .array(fc.constantFrom(...DIGIT_ZEROS), { minLength: digits.length, maxLength: digits.length })
    .chain((zeros) =>
      fc
        .boolean()
        .map((mixed) =>
          [...digits]
            .map((digit, index) =>
              String.fromCodePoint((mixed ? (zeros[index] as number) : (zeros[0] as number)) + Number(digit)),
            )
            .join(''),
        ),
    );
}

const SEPARATORS = ['', ' ', '.', '-', ' - ', '\u00a0', '\u2013', ' . ', '/'];

/** Splits digits into groups of 1-4 and joins them with one kind of separator. */
export function grouped(digits: string, separators: readonly string[] = SEPARATORS): fc.Arbitrary<string> {
  return fc
    .tuple(
      fc.array(fc.integer({ min: 1, max: 4 }), { minLength: 1, maxLength: 16 }),
      fc.constantFrom(...separators),
    )
    .map(([sizes, separator]) => {
      const groups: string[] = [];
      let index = 0;
      for (const size of sizes) {
        if (index >= digits.length) break;
        groups.push(digits.slice(index, index + size));
        index += size;
      }
      if (index < digits.length) groups.push(digits.slice(index));
      return groups.join(separator);
    });
}

export type PrefixStyle =
  'trunk' | 'plus84' | '84' | '0084' | 'plus84-trunk' | 'parenthesised-plus84' | 'none';
export const EXPLICIT_PREFIX_STYLES: readonly PrefixStyle[] = [
  'trunk',
  'plus84',
  '84',
  '0084',
  'plus84-trunk',
  'parenthesised-plus84',
];
export const ALL_PREFIX_STYLES: readonly PrefixStyle[] = [...EXPLICIT_PREFIX_STYLES, 'none'];

function withPrefix(style: PrefixStyle, body: string): fc.Arbitrary<string> {
  return fc.constantFrom('', ' ').map((space) => {
    switch (style) {
      case 'trunk':
        return `0${body}`;
      case 'plus84':
        return `+84${space}${body}`;
      case '84':
        return `84${space}${body}`;
      case '0084':
        return `0084${space}${body}`;
      case 'plus84-trunk':
        return `+84${space}0${body}`;
      case 'parenthesised-plus84':
        return `(+84)${space}${body}`;
      case 'none':
        return body;
    }
  });
}

export interface RenderedNumber {
  readonly generated: GeneratedNumber;
  readonly written: string;
  readonly writtenInLegacyForm: boolean;
}

/**
 * A valid number written as people write it: random prefix style, grouping, separators, digit
 * scripts, and the pre-2018 form when the prefix had one.
 */
export function renderedNumber(
  prefixStyles: readonly PrefixStyle[] = ALL_PREFIX_STYLES,
): fc.Arbitrary<RenderedNumber> {
  return fc
    .tuple(validMobileNumber, fc.boolean(), fc.constantFrom(...prefixStyles))
    .chain(([generated, preferLegacy, style]) => {
      const writtenInLegacyForm = preferLegacy && generated.legacyNationalSignificant !== null;
      const nationalSignificant = writtenInLegacyForm
        ? (generated.legacyNationalSignificant as string)
        : generated.nationalSignificant;
      return grouped(nationalSignificant)
        .chain(digitsInScriptsKeepingSeparators)
        .chain((body) => withPrefix(style, body))
        .map((written) => ({ generated, written, writtenInLegacyForm }));
    });
}

/** Re-writes the ASCII digits of a grouped number in random scripts, separators untouched. */
function digitsInScriptsKeepingSeparators(text: string): fc.Arbitrary<string> {
  const digits = text.replace(/[^0-9]/g, '');
  return digitsInScripts(digits).map((scripted) => {
    const scriptedDigits = [...scripted];
    let next = 0;
    return text.replace(/[0-9]/g, () => scriptedDigits[next++] as string);
  });
}

/** Single UTF-16 code units, lone surrogates included. */
const anyCodeUnit = fc.integer({ min: 0, max: 0xffff }).map((unit) => String.fromCharCode(unit));
/** Characters that matter to the parser. */
const trickyCharacter = fc.constantFrom(
  'V',
  'v',
  'S',
  'L',
  'D',
  'Đ',
  'F',
  'W',
  'H',
  'U',
  'Y',
  'K',
  'N',
  'C',
  ' ',
  '\t',
  '\n',
  '\u00a0',
  '\u200b',
  '\ufeff',
  '\u0000',
  '\u0007',
  '\u001b',
  '\u007f',
  '\u0085',
  '[',
  ']',
  '(',
  ')',
  '（',
  '）',
  '［',
  '］',
  '+',
  '＋',
  ':',
  '.',
  '-',
  '0',
  '1',
  '8',
  '4',
  '9',
  '０',
  '٣',
  '𝟗',
  '\ud800',
  '\udc00',
  'ố',
  'ư',
  '\u0301',
  '😡',
);

/** Strings of every kind: printable, binary, lone surrogates, report-shaped noise, long digit runs. */
export const hostileString: fc.Arbitrary<string> = fc.oneof(
  fc.string(),
  fc.string({ unit: 'binary', maxLength: 600 }),
  fc.string({ unit: 'grapheme', maxLength: 200 }),
  fc.string({ unit: anyCodeUnit, maxLength: 600 }),
  fc.string({ unit: trickyCharacter, maxLength: 80 }),
  fc
    .tuple(
      fc.constantFrom('V ', 'S', 'LD:', 'v(', 'V [', 'DK DNC', 'FW '),
      fc.string({ unit: trickyCharacter, maxLength: 60 }),
    )
    .map(([head, tail]) => head + tail),
  fc.integer({ min: 1, max: 2_000 }).map((length) => `V ${'9'.repeat(length)}`),
  fc
    .tuple(fc.integer({ min: 1, max: 200 }), fc.constantFrom(' ', '.', '-', ' 0'))
    .map(([count, separator]) => `V ${Array.from({ length: count }, () => '09').join(separator)}`),
);

const VARIANTS: Readonly<Record<string, readonly string[]>> = {
  a: ['a', 'á', 'à', 'ả', 'ã', 'ạ', 'ă', 'ắ', 'ằ', 'ẳ', 'ẵ', 'ặ', 'â', 'ấ', 'ầ', 'ẩ', 'ẫ', 'ậ'],
  e: ['e', 'é', 'è', 'ẻ', 'ẽ', 'ẹ', 'ê', 'ế', 'ề', 'ể', 'ễ', 'ệ'],
  i: ['i', 'í', 'ì', 'ỉ', 'ĩ', 'ị'],
  o: ['o', 'ó', 'ò', 'ỏ', 'õ', 'ọ', 'ô', 'ố', 'ồ', 'ổ', 'ỗ', 'ộ', 'ơ', 'ớ', 'ờ', 'ở', 'ỡ', 'ợ'],
  u: ['u', 'ú', 'ù', 'ủ', 'ũ', 'ụ', 'ư', 'ứ', 'ừ', 'ử', 'ữ', 'ự'],
  y: ['y', 'ý', 'ỳ', 'ỷ', 'ỹ', 'ỵ'],
  d: ['d', 'đ'],
};

/**
 * The ASCII phrase with random Vietnamese diacritics, random case, random spacing between words
 * and, sometimes, decomposed (NFD) marks.
 */
export function withRandomDiacritics(asciiPhrase: string): fc.Arbitrary<string> {
  const characters = [...asciiPhrase];
  return fc
    .tuple(
      fc.array(fc.nat(), { minLength: characters.length, maxLength: characters.length }),
      fc.array(fc.boolean(), { minLength: characters.length, maxLength: characters.length }),
      fc.constantFrom(' ', '  ', '\u00a0', ' - ', ', '),
      fc.constantFrom<'NFC' | 'NFD'>('NFC', 'NFD'),
    )
    .map(([choices, upper, space, form]) =>
      characters
        .map((char, index) => {
          if (char === ' ') return space;
          const variants = VARIANTS[char];
          const decorated =
            variants === undefined
              ? char
              : (variants[(choices[index] as number) % variants.length] as string);
          return upper[index] ? decorated.toUpperCase() : decorated;
        })
        .join('')
        .normalize(form),
    );
}

/** Removes Vietnamese diacritics the plain way (an independent oracle for the folding). */
export function withoutDiacritics(text: string): string {
  return text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/đ/g, 'd')
    .replace(/Đ/g, 'D');
}
