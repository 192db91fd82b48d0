import fc from 'fast-check';
import { groupReports, normaliseText } from './report-groups.ts';

describe('reports grouped by near-identical text', () => {
  it('ignores case, diacritics, spacing and the digits of amounts and codes', () => {
    const forms = [
      'Gọi lừa đảo trúng thưởng 5000000 đ',
      'goi lua dao trung thuong 300 d',
      '  GỌI LỪA  ĐẢO\ttrúng thưởng 1 Đ ',
    ];
    expect(new Set(forms.map(normaliseText))).toEqual(new Set(['goi lua dao trung thuong # d']));
    expect(normaliseText('Đòi nợ')).not.toBe(normaliseText('Đòi tiền'));
  });

  it('counts each group, largest first, ties in the order the reports came, and keeps texts apart from no text', () => {
    const reports = [
      { id: 1, content: 'Moi vay tien' },
      { id: 2, content: null },
      { id: 3, content: 'Gọi lừa đảo 0912' },
      { id: 4, content: 'goi lua dao 0913' },
      { id: 5, content: '' },
      { id: 6, content: 'mời vay tiền' },
      { id: 7, content: 'GOI LUA DAO 1' },
    ];
    const groups = groupReports(reports);
    expect(groups.map((g) => [g.text, g.reports.map((r) => r.id), g.distinctTexts])).toEqual([
      ['Gọi lừa đảo 0912', [3, 4, 7], 3],
      ['Moi vay tien', [1, 6], 2],
      [null, [2], 1],
      ['', [5], 1],
    ]);
  });

  it('puts every report in exactly one group', () => {
    fc.assert(
      fc.property(fc.array(fc.option(fc.string(), { nil: null }), { maxLength: 40 }), (texts) => {
        const reports = texts.map((content, id) => ({ id, content }));
        const groups = groupReports(reports);
        expect(groups.flatMap((g) => g.reports.map((r) => r.id)).sort((a, b) => a - b)).toEqual(
          reports.map((r) => r.id),
        );
        for (let i = 1; i < groups.length; i += 1)
          expect(groups[i - 1].reports.length).toBeGreaterThanOrEqual(groups[i].reports.length);
      }),
    );
  });
});
