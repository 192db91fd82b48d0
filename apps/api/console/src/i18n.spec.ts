import { CATALOGUES, detectLanguage, LANGUAGES, translate } from './i18n.ts';
import { LABELS_VI } from './labels-vi.ts';
import { LABELS } from './vocabulary.ts';

describe("the console's languages", () => {
  it('has every message in both catalogues, none of them empty, with the same placeholders', () => {
    const english = Object.keys(CATALOGUES.en).sort();
    for (const language of LANGUAGES) {
      const catalogue = CATALOGUES[language] as Record<string, string>;
      expect(Object.keys(catalogue).sort()).toEqual(english);
      expect(Object.entries(catalogue).filter(([, text]) => text.trim() === '')).toEqual([]);
      const placeholders = (text: string) => (text.match(/\{\w+\}/g) ?? []).sort();
      for (const key of english)
        expect([key, placeholders(catalogue[key])]).toEqual([
          key,
          placeholders((CATALOGUES.en as Record<string, string>)[key]),
        ]);
    }
  });

  it('labels every code of the API in Vietnamese too', () => {
    expect(Object.keys(LABELS_VI).sort()).toEqual(Object.keys(LABELS).sort());
    expect(Object.entries(LABELS_VI).filter(([, text]) => text.trim() === '')).toEqual([]);
  });

  it('writes Vietnamese with its diacritics', () => {
    expect(translate('vi', 'signIn.heading')).toBe('Đăng nhập');
    expect(translate('vi', 'queue.heading')).toBe('Hàng đợi xét duyệt');
    expect(LABELS_VI.block_both).toBe('Chặn hai chiều');
  });

  it('speaks Vietnamese when the browser asks for it first, and keeps a stored choice over the browser', () => {
    expect(detectLanguage(null, ['vi-VN', 'en-US'])).toBe('vi');
    expect(detectLanguage(null, ['VI'])).toBe('vi');
    expect(detectLanguage(null, ['fr-FR', 'vi'])).toBe('vi');
    expect(detectLanguage(null, ['en-US', 'vi-VN'])).toBe('en');
    expect(detectLanguage(null, ['fr-FR'])).toBe('en');
    expect(detectLanguage(null, [])).toBe('en');
    expect(detectLanguage('en', ['vi-VN'])).toBe('en');
    expect(detectLanguage('vi', ['en-US'])).toBe('vi');
    // A stored value this console did not write is ignored.
    expect(detectLanguage('de', ['vi-VN'])).toBe('vi');
  });

  it('fills placeholders and leaves an unfilled one visible', () => {
    expect(translate('en', 'flag.heading', { id: 42, number: '0912 345 678' })).toBe('Flag 42: 0912 345 678');
    expect(translate('vi', 'flag.heading', { id: 42, number: '0912 345 678' })).toBe('Cờ 42: 0912 345 678');
    expect(translate('en', 'flag.heading', { id: 42 })).toBe('Flag 42: {number}');
    // A value is inserted as is, never read as a placeholder again.
    expect(translate('en', 'flag.heading', { id: '{number}', number: 'x' })).toBe('Flag {number}: x');
  });
});
