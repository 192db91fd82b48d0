import { sanitizeText, toWellFormed } from './sanitize';

describe('sanitizeText', () => {
  it('replaces lone surrogates and keeps surrogate pairs', () => {
    expect(toWellFormed('a\ud800b\udc00c😡')).toBe('a\ufffdb\ufffdc😡');
  });

  it('turns control characters into spaces and keeps tabs and line breaks', () => {
    expect(sanitizeText('a\u0000b\u0007c\u0085d\te\nf')).toBe('a b c d\te\nf');
  });

  it('removes invisible characters between digits', () => {
    expect(sanitizeText('0912\u200b345\u2060678\ufeff\u00ad')).toBe('0912345678');
  });

  it('composes decomposed Vietnamese letters (NFC)', () => {
    expect(sanitizeText('no\u031b\u0323')).toBe('nợ');
  });
});
