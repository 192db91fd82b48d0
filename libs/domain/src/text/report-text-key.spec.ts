import { reportTextForKey } from './report-text-key';

describe('reportTextForKey', () => {
  it('ignores case and runs of white space, at the ends too', () => {
    const forms = [
      'Goi vay NHANH  lai suat thap',
      'goi vay nhanh lai suat thap',
      '  goi vay nhanh\tlai\r\nsuat thap \n',
      '\u00a0Goi\u3000vay nhanh\u2028lai suat\u2003 thap\t',
    ];
    expect(new Set(forms.map(reportTextForKey))).toEqual(new Set(['goi vay nhanh lai suat thap']));
  });

  it('keeps every other difference: letters, marks, punctuation and the space between words', () => {
    const texts = ['lừa đảo', 'lua dao', 'lừa  đảo!', 'lừađảo', 'lừa-đảo'];
    expect(new Set(texts.map(reportTextForKey)).size).toBe(texts.length);
  });

  it("lower-cases as JavaScript does, whatever the database's locale would", () => {
    expect(reportTextForKey('ĐÀ NẴNG')).toBe('đà nẵng');
    // Unicode's special casings: a dotted capital I is two code points, a final sigma its own letter.
    expect(reportTextForKey('İ')).toBe('i\u0307');
    expect(reportTextForKey('ΟΔΟΣ ΣΟΣ')).toBe('οδος σος');
  });

  it('leaves an empty or blank text empty', () => {
    expect(reportTextForKey('')).toBe('');
    expect(reportTextForKey(' \t\n')).toBe('');
  });
});
