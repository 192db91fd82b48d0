import fc from 'fast-check';
import { withoutDiacritics, withRandomDiacritics } from '../../spec-support/arbitraries';
import { foldForMatching } from '../text/fold';
import { CATEGORIES, CATEGORY_KEYWORDS, CATEGORY_PRECEDENCE } from './category-keywords';
import { categorizeContent, categoryKeywordIndex } from './categorize-content';

describe('categorizeContent', () => {
  it.each([
    ['Đòi nợ khoản vay của người thân', 'debt_collection', 'doi no'],
    ['Cong ty thu hoi no goi', 'debt_collection', 'thu hoi no'],
    ['Giả danh cán bộ công an', 'impersonation', 'gia danh'],
    ['Tu xung toa an nhan dan', 'impersonation', 'toa an'],
    ['Nhan vien dien luc doi cat dien', 'impersonation', 'dien luc'],
    ['Cuc thue yeu cau quyet toan', 'impersonation', 'cuc thue'],
    ['Bạn đã trúng thưởng iPhone', 'scam_other', 'trung thuong'],
    ['Tuyển dụng việc làm online', 'scam_other', 'viec lam'],
    ['Moi dau tu chung khoan', 'scam_other', 'dau tu'],
    ['Nha cai uy tin tang 100k', 'gambling', 'nha cai'],
    ['Giải ngân trong ngày', 'loan_offer', 'giai ngan'],
    ['Mo ban du an can ho', 'advertising', 'du an'],
    ['Tour du lịch Phú Quốc', 'advertising', 'du lich'],
    ['Gọi nhỡ một hồi chuông', 'missed_call_bait', 'goi nho'],
    ['Nhá máy liên tục', 'missed_call_bait', 'nha may'],
  ])('puts %j in %s because of %j', (content, category, keyword) => {
    expect(categorizeContent(content)).toEqual({ category, keyword });
  });

  it.each([null, '', '   ', 'goi lam phien', 'khong an toan', 'thue bao', 'abc tourist', '😡😡'])(
    'says unknown for %j',
    (content) => {
      expect(categorizeContent(content)).toEqual({ category: 'unknown', keyword: null });
    },
  );

  it('lets impersonation win over debt collection, and scams over adverts', () => {
    expect(categorizeContent('Cong an goi doi no').category).toBe('impersonation');
    expect(categorizeContent('Ngan hang doi no xau').category).toBe('impersonation');
    expect(categorizeContent('Qua tang khi mua can ho').category).toBe('scam_other');
    expect(categorizeContent('Viec lam tai du an bat dong san').category).toBe('scam_other');
  });

  it('looks only at the start of very long content', () => {
    expect(categorizeContent(`${'x '.repeat(5_000)} doi no`)).toEqual({ category: 'unknown', keyword: null });
  });
});

describe('category keyword table', () => {
  it('orders every category except unknown exactly once', () => {
    expect([...CATEGORY_PRECEDENCE].sort()).toEqual(CATEGORIES.filter((c) => c !== 'unknown').sort());
  });

  it('never gives one folded keyword to two categories', () => {
    const owner = new Map<string, string>();
    for (const category of CATEGORY_PRECEDENCE) {
      for (const keyword of CATEGORY_KEYWORDS[category]) {
        const folded = foldForMatching(keyword);
        expect(folded).not.toBe('');
        const previous = owner.get(folded);
        if (previous !== undefined) expect(previous).toBe(category);
        owner.set(folded, category);
      }
    }
  });

  it('classifies every keyword on its own in its own category, recorded as itself', () => {
    for (const { keyword, category } of categoryKeywordIndex()) {
      expect(categorizeContent(keyword)).toEqual({ category, keyword });
    }
  });

  it('gives the same category and keyword with or without diacritics, in any case and spacing', () => {
    const keywordWithDecoration = fc
      .constantFrom(...categoryKeywordIndex())
      .chain((entry) => withRandomDiacritics(entry.keyword).map((decorated) => ({ entry, decorated })));
    const filler = fc.constantFrom('', 'alo ', 'Hôm nay ', 'nhieu lan ', '3 lan: ');
    fc.assert(
      fc.property(keywordWithDecoration, filler, filler, ({ entry, decorated }, before, after) => {
        const content = `${before}${decorated} ${after}`;
        const expected = { category: entry.category, keyword: entry.keyword };
        expect(categorizeContent(content)).toEqual(expected);
        expect(categorizeContent(withoutDiacritics(content))).toEqual(expected);
      }),
      { numRuns: 3_000 },
    );
  });
});
