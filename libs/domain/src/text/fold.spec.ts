import { foldForMatching } from './fold';

describe('foldForMatching', () => {
  it.each([
    ['Đòi NỢ!!  khoản vay', 'doi no khoan vay'],
    ['ĐIỆN LỰC', 'dien luc'],
    ['Trúng thưởng xe SH', 'trung thuong xe sh'],
    ['Gọi nhỡ\u00a0-\u00a01 hồi chuông', 'goi nho 1 hoi chuong'],
    ['Đo\u0300i nơ\u0323', 'doi no'],
    ['ＶＩＥＣ　ＬＡＭ １', 'viec lam 1'],
    ['   ', ''],
  ])('folds %j to %j', (text, folded) => {
    expect(foldForMatching(text)).toBe(folded);
  });

  it('gives the same folding with and without diacritics', () => {
    expect(foldForMatching('Bất động sản, dự án mới')).toBe(foldForMatching('Bat dong san, du an moi'));
  });
});
