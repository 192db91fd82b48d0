import fc from 'fast-check';
import { validMobileNumber } from '../../spec-support/arbitraries';
import { maskNumbersInText } from './mask-numbers-in-text';

describe('maskNumbersInText', () => {
  it.each([
    ['reporter +84912345678 sent 30 reports', 'reporter 091*****78 sent 30 reports'],
    ['from 0912345678 to 156', 'from 091*****78 to 156'],
    ['two: +84912345678, 0987654321.', 'two: 091*****78, 098*****21.'],
    ['without the plus: 84912345678', 'without the plus: 091*****78'],
    ['international: 0084912345678', 'international: 091*****78'],
    ['no trunk 0: 912345678', 'no trunk 0: 091*****78'],
    ['spaces: 0912 345 678', 'spaces: 091*****78'],
    ['dots: 0912.345.678', 'dots: 091*****78'],
    ['dashes: 0912-345-678', 'dashes: 091*****78'],
    ['parentheses: (091) 234-5678', 'parentheses: (091*****78'],
    ['plus and parentheses: (+84) 912 345 678', 'plus and parentheses: (091*****78'],
    ['spaced plus: + 84 912 345 678', 'spaced plus: 091*****78'],
    ['full-width: ０９１２３４５６７８', 'full-width: 091*****78'],
    ['full-width plus: ＋８４９１２３４５６７８', 'full-width plus: 091*****78'],
    ['glued to the keyword: V0912345678', 'glued to the keyword: V091*****78'],
    ['legacy 11 digits: 0166.234.5678', 'legacy 11 digits: 036*****78'],
    ['landline: 024 3812 3456', 'landline: 024******56'],
    ['in JSON: {"from":"0912345678"}', 'in JSON: {"from":"091*****78"}'],
    ['after a count: 12 0912 345 678', 'after a count: 12 091*****78'],
    ['content after it: V 0912 345 678 2 lan', 'content after it: V 091*****78 2 lan'],
    ['unallocated but shaped like one: 0890000000', 'unallocated but shaped like one: 089*****00'],
  ])('masks %s', (text, masked) => {
    expect(maskNumbersInText(text)).toBe(masked);
  });

  it.each([
    'offset 1234567890123',
    'batch of 500 messages in 120 ms',
    'short code 156',
    'emergency 113',
    'id 20261129',
    'summary for 2026-12-03',
    'at 2026-12-03T14:05:34.123Z',
    'report 3f2a9c1e-4b7d-4e21-9a0b-6c1d2e3f4a5b',
    'no digits at all',
    '',
  ])('leaves %p alone', (text) => {
    expect(maskNumbersInText(text)).toBe(text);
  });

  it('finds any valid mobile number in any separator style, whatever surrounds it', () => {
    const separators = fc.constantFrom('', ' ', '.', '-', ' - ', '\u3000', '\uff0e');
    fc.assert(
      fc.property(
        validMobileNumber,
        separators,
        fc.constantFrom('', 'x ', 'so ', '"', '(', ': '),
        fc.constantFrom('', ' ok', '"', ')', '. '),
        (generated, separator, before, after) => {
          const national = `0${generated.nationalSignificant}`;
          const written = [national.slice(0, 4), national.slice(4, 7), national.slice(7)].join(separator);
          const masked = maskNumbersInText(`${before}${written}${after}`);
          expect(masked).not.toContain(national.slice(3, -2));
          expect(masked.replace(/[^0-9]/g, '').length).toBeLessThanOrEqual(5);
        },
      ),
      { numRuns: 1_000 },
    );
  });

  it('reads a long hostile line in bounded time', () => {
    const line = '1 '.repeat(50_000) + '0'.repeat(50_000);
    const started = Date.now();
    expect(maskNumbersInText(line)).toBe(line);
    expect(Date.now() - started).toBeLessThan(2_000);
  });
});
