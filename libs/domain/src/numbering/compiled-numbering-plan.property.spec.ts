/**
 * The compiled numbering plan must answer exactly as the full libphonenumber parse does, for the
 * numbering plan alone and for everything built on it (normalizeNumber, parseReportText).
 *
 * The reference is the same code loaded with the compiled plan switched off, so every number goes
 * through libphonenumber-js/max as before the compiled plan existed.
 */
import fc from 'fast-check';
import { grouped as groupedWith, renderedNumber } from '../../spec-support/arbitraries';
import type * as NormalizeNumberModule from './normalize-number';
import type * as ParseReportTextModule from '../report-parser/parse-report-text';
import { compileNumberingPlan } from './compiled-numbering-plan';
import { LEGACY_PREFIX_CONVERSIONS } from './legacy-prefixes';
import { normalizeNumber } from './normalize-number';
import { parseReportText } from '../report-parser/parse-report-text';
import { lookUpNationalNumber, lookUpWithLibphonenumber } from './vietnam-numbering-plan';

/** A fresh copy of a domain module whose numbering plan always asks libphonenumber. */
function loadWithoutCompiledPlan<Module extends object>(path: string): Module {
  let loaded: Module | undefined;
  jest.isolateModules(() => {
    jest.doMock('./compiled-numbering-plan', () => ({ compileNumberingPlan: () => null }));
    loaded = jest.requireActual<Module>(path);
  });
  return loaded as Module;
}

const reference = {
  normalizeNumber:
    loadWithoutCompiledPlan<typeof NormalizeNumberModule>('./normalize-number').normalizeNumber,
  parseReportText: loadWithoutCompiledPlan<typeof ParseReportTextModule>('../report-parser/parse-report-text')
    .parseReportText,
};

const digitString = (minLength: number, maxLength: number): fc.Arbitrary<string> =>
  fc.string({ unit: fc.constantFrom(...'0123456789'), minLength, maxLength });

/** National significant numbers around every range the metadata knows, valid or a digit off. */
const RANGE_PREFIXES = [
  ...['3', '5', '7', '8', '9'].flatMap((first) => [...'0123456789'].map((second) => first + second)),
  '2',
  '24',
  '28',
  '213',
  '1800',
  '1900',
  '120',
  '121',
  '122',
  '1228',
  '140',
  '160',
  '199',
  '799',
  '69',
  '672',
  '1',
  '6',
];
const nearValidNationalNumber: fc.Arbitrary<string> = fc
  .tuple(fc.constantFrom(...RANGE_PREFIXES), fc.integer({ min: 6, max: 11 }), digitString(11, 11))
  .map(([prefix, length, rest]) => (prefix + rest).slice(0, Math.max(length, prefix.length)));

const anyNationalNumber: fc.Arbitrary<string> = fc.oneof(
  nearValidNationalNumber,
  digitString(1, 12),
  digitString(7, 10),
  fc.stringMatching(/^0[0-9]{6,10}$/), // digits libphonenumber would strip a national prefix from
);

const LEGACY_NATIONAL_PREFIXES = LEGACY_PREFIX_CONVERSIONS.map((conversion) => conversion.legacy.slice(1));

/** Digits as people may type them: Vietnamese, legacy, foreign, too short, too long. */
const typedDigits: fc.Arbitrary<string> = fc.oneof(
  nearValidNationalNumber,
  fc
    .tuple(fc.constantFrom(...LEGACY_NATIONAL_PREFIXES), digitString(5, 9))
    .map(([prefix, rest]) => prefix + rest),
  digitString(1, 17),
  fc.constantFrom('113', '156', '5656', '1800', '19001234'),
);

const SEPARATORS = ['', ' ', '.', '-', ' - ', '/', '\u00a0'];
/** The notations people type: '0912 345 678', '0912.345.678'. */
const grouped = (digits: string) => groupedWith(digits, SEPARATORS);

const PREFIXES = [
  '',
  '0',
  '84',
  '84 ',
  '+84',
  '+84 ',
  '+84 0',
  '0084',
  '(+84) ',
  '00',
  '+',
  '+1 ',
  '+44 ',
  '+33 ',
  '+86 ',
  '001 ',
  '1',
];

/** Numbers written in every notation, of Vietnam and of other countries. */
const writtenNumber: fc.Arbitrary<string> = fc.oneof(
  fc
    .tuple(fc.constantFrom(...PREFIXES), typedDigits)
    .chain(([prefix, digits]) => grouped(digits).map((body) => prefix + body)),
  renderedNumber().map((rendered) => rendered.written),
  fc.stringMatching(/^[+]?[0-9 .()-]{1,20}$/),
);

describe('compiled numbering plan (properties)', () => {
  it('is compiled from the metadata installed', () => {
    expect(compileNumberingPlan()).not.toBeNull();
  });

  it('classifies every national significant number as libphonenumber does', () => {
    fc.assert(
      fc.property(anyNationalNumber, (digits) => {
        expect(lookUpNationalNumber(digits)).toEqual(lookUpWithLibphonenumber(digits));
      }),
      { numRuns: 20_000 },
    );
  });

  it('agrees with libphonenumber for every 3-digit prefix at every length', () => {
    const random = fc.sample(digitString(10, 10), 4_000);
    let sample = 0;
    for (let prefix = 0; prefix < 1_000; prefix++) {
      for (let length = 6; length <= 11; length++) {
        const digits = (String(prefix).padStart(3, '0') + (random[sample++ % random.length] as string)).slice(
          0,
          length,
        );
        expect([digits, lookUpNationalNumber(digits)]).toEqual([digits, lookUpWithLibphonenumber(digits)]);
      }
    }
  });

  it('normalises numbers written in any notation exactly as the full libphonenumber path', () => {
    fc.assert(
      fc.property(writtenNumber, (written) => {
        expect(normalizeNumber(written)).toEqual(reference.normalizeNumber(written));
      }),
      { numRuns: 20_000 },
    );
  });

  it('parses reports exactly as the full libphonenumber path', () => {
    const report = fc
      .tuple(
        fc.constantFrom('V ', 'S ', 'LD ', 'v: ', 'V(', 'V [', 'LD '),
        writtenNumber,
        fc.constantFrom('', ' goi lam phien', ')(doi no)', '] [lua dao]', ' 3 cuoc goi', ' 0912345678'),
      )
      .map(([keyword, number, content]) => keyword + number + content);
    fc.assert(
      fc.property(report, (text) => {
        expect(parseReportText(text)).toEqual(reference.parseReportText(text));
      }),
      { numRuns: 10_000 },
    );
  });
});
