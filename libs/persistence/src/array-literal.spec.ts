import fc from 'fast-check';
import { numberArray, textArray } from './array-literal';

// pg's own encoding of a parameter, which the literals must equal; @types/pg leaves this module out.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { prepareValue } = require('pg/lib/utils') as { prepareValue: (value: unknown) => unknown };

describe('array literals', () => {
  it('write text exactly as pg writes a JavaScript array of it', () => {
    fc.assert(
      fc.property(fc.array(fc.option(fc.string({ unit: 'binary' }), { nil: null })), (values) => {
        expect(textArray(values)).toBe(prepareValue(values));
      }),
    );
  });

  // Strings made of the pieces that need care, so that every case comes up in every run rather than
  // by chance: quotes and backslashes (escaped, and in any order), what PostgreSQL reads as NULL,
  // empty or several elements unless quoted, and text beyond ASCII, lone surrogates included.
  const tricky = fc
    .array(
      fc.constantFrom(
        '"',
        '\\',
        '\\"',
        '"\\',
        'NULL',
        'null',
        '',
        ' ',
        '{',
        '}',
        ',',
        'a',
        'lừa đảo',
        '😀',
        '\ud800',
        '\udc00',
      ),
      { maxLength: 6 },
    )
    .map((pieces) => pieces.join(''));

  it('write tricky text exactly as pg does, whether or not the batch has any', () => {
    fc.assert(
      fc.property(
        fc.array(fc.option(tricky, { nil: null })),
        fc.array(fc.stringMatching(/^[0-9a-z+-]{0,12}$/)),
        (some, plain) => {
          expect(textArray(some)).toBe(prepareValue(some));
          expect(textArray(plain)).toBe(prepareValue(plain));
          expect(textArray([...plain, ...some])).toBe(prepareValue([...plain, ...some]));
        },
      ),
    );
  });

  it('quote what PostgreSQL would otherwise read as NULL, empty or several elements', () => {
    expect(textArray(['NULL', '', 'a,b', 'x"y', 'back\\slash', null])).toBe(
      '{"NULL","","a,b","x\\"y","back\\\\slash",NULL}',
    );
    expect(textArray([])).toBe('{}');
    expect(textArray([''])).toBe('{""}');
    expect(textArray(['a', 'NULL'])).toBe('{"a","NULL"}');
    expect(textArray(['a', null])).toBe('{"a",NULL}');
    expect(textArray(['\\"', '"\\'])).toBe('{"\\\\\\"","\\"\\\\"}');
  });

  it('write numbers as pg does (without its quotes), and refuse what is not a number', () => {
    fc.assert(
      fc.property(
        fc.array(fc.oneof(fc.integer(), fc.double({ noNaN: true, noDefaultInfinity: true }))),
        (values) => {
          expect(numberArray(values)).toBe(String(prepareValue(values)).replace(/"/g, ''));
        },
      ),
    );
    expect(numberArray([1735689600123, 0.5, -2])).toBe('{1735689600123,0.5,-2}');
    expect(() => numberArray([1, Number.NaN])).toThrow(RangeError);
    expect(() => numberArray([Infinity])).toThrow('not a finite number: Infinity');
  });
});
