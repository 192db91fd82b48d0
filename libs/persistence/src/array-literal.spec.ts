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

  it('quote what PostgreSQL would otherwise read as NULL, empty or several elements', () => {
    expect(textArray(['NULL', '', 'a,b', 'x"y', 'back\\slash', null])).toBe(
      '{"NULL","","a,b","x\\"y","back\\\\slash",NULL}',
    );
    expect(textArray([])).toBe('{}');
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
