import fc from 'fast-check';
import { hostileString, validMobileNumber } from '../../spec-support/arbitraries';
import { nationalFormOf } from '../numbering/normalize-number';
import { maskNumber } from './mask-number';

function digitCount(text: string): number {
  return text.replace(/[^0-9]/g, '').length;
}

/** The form maskNumber masks: the national form, or '0' + the digits when outside the plan. */
function nationalOf(e164: string): string {
  return nationalFormOf(e164) ?? `0${e164.slice(3)}`;
}

describe('maskNumber', () => {
  it.each([
    ['+84912345678', '091*****78'], // mobile: the carrier's prefix and the last 2
    ['+84862345601', '086*****01'],
    ['+842412345678', '024******78'], // Hanoi landline form, outside the plan
    ['+842838123456', '028******56'], // Ho Chi Minh City landline
    ['+8418001234', '18*****4'], // toll free, no trunk 0: less than half the digits
    ['+84180012345', '18*****45'],
  ])('masks %s as %s', (e164, masked) => {
    expect(maskNumber(e164)).toBe(masked);
  });

  it.each([
    ['+84123456', '01****6'], // 7 digits: 3 revealed
    ['+8412345', '0****5'], // 6 digits: 2 revealed
    ['+841234', '0***4'], // 5 digits: 2 revealed
    ['+84123', '***'], // 4 digits: nothing
    ['+841', '***'],
  ])('reveals less than half of a short form: %s as %s', (e164, masked) => {
    expect(maskNumber(e164)).toBe(masked);
  });

  it.each([
    [''],
    ['+84'],
    ['0912345678'],
    ['84912345678'],
    ['+1 202 555 0100'],
    ['+12025550100'],
    ['+84 912 345 678'],
    ['+84912345678 '],
    ['+84９１２３４５６７８'], // full-width digits
    ['<script>alert(1)</script>'],
    ['anonymous'],
  ])('gives *** for %p, which is not +84 and ASCII digits', (input) => {
    expect(maskNumber(input)).toBe('***');
  });

  it('gives *** for a value that is not a string', () => {
    expect(maskNumber(null as unknown as string)).toBe('***');
    expect(maskNumber(84912345678 as unknown as string)).toBe('***');
  });
});

describe('maskNumber (properties)', () => {
  const plus84With9Or10Digits = fc.oneof(
    // Not 0 (a trunk 0 after +84 is dropped) nor 1 (1800 and 1900 numbers have no trunk 0): both
    // leave national forms shorter than 10 digits, which the next property covers.
    fc.stringMatching(/^\+84[2-9][0-9]{8,9}$/),
    validMobileNumber.map((generated) => `+84${generated.nationalSignificant}`),
  );

  it('shows at most the carrier prefix and the last 2 digits of any +84 number of 9 or 10 digits', () => {
    fc.assert(
      fc.property(plus84With9Or10Digits, (e164) => {
        const masked = maskNumber(e164);
        const national = nationalOf(e164);
        expect(masked).toBe(`${national.slice(0, 3)}${'*'.repeat(national.length - 5)}${national.slice(-2)}`);
        expect(digitCount(masked)).toBe(5);
      }),
      { numRuns: 2_000 },
    );
  });

  it('reveals only the ends of the national form, and less than half of the digits of a short one', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^\+84[0-9]{1,12}$/), (e164) => {
        const masked = maskNumber(e164);
        const national = nationalOf(e164);
        const [, head, tail] = /^([0-9]*)\*+([0-9]*)$/.exec(masked) ?? [];
        expect(head).toBeDefined();
        expect(national.startsWith(head as string)).toBe(true);
        expect(national.endsWith(tail as string)).toBe(true);
        expect((head as string).length).toBeLessThanOrEqual(3);
        expect((tail as string).length).toBeLessThanOrEqual(2);
        if (national.length < 10) expect(digitCount(masked)).toBeLessThan(national.length / 2);
      }),
      { numRuns: 2_000 },
    );
  });

  it('never echoes anything that is not +84 and ASCII digits', () => {
    fc.assert(
      fc.property(hostileString, (input) => {
        fc.pre(!/^\+84[0-9]+$/.test(input));
        expect(maskNumber(input)).toBe('***');
      }),
      { numRuns: 2_000 },
    );
  });
});
