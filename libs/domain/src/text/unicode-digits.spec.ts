import { decimalDigitValue } from './unicode-digits';

const value = (char: string): number => decimalDigitValue(char.codePointAt(0) as number);

describe('decimalDigitValue', () => {
  it.each([
    ['ASCII', '0123456789'],
    ['full-width', '０１２３４５６７８９'],
    ['Arabic-Indic', '٠١٢٣٤٥٦٧٨٩'],
    ['extended Arabic-Indic', '۰۱۲۳۴۵۶۷۸۹'],
    ['Devanagari', '०१२३४५६७८९'],
    ['Thai', '๐๑๒๓๔๕๖๗๘๙'],
    ['mathematical bold', '𝟎𝟏𝟐𝟑𝟒𝟓𝟔𝟕𝟖𝟗'],
    ['mathematical monospace (fifth set of one contiguous run)', '𝟶𝟷𝟸𝟹𝟺𝟻𝟼𝟽𝟾𝟿'],
  ])('reads %s digits as 0-9', (_script, digits) => {
    expect([...digits].map(value)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });

  it.each(['a', ' ', '+', '½', '²', 'Ⅷ', '①', '\u0000', '\ud800', '〇'])(
    'does not treat %j as a decimal digit',
    (char) => {
      expect(value(char)).toBe(-1);
    },
  );
});
