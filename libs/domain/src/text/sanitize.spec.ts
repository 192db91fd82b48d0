import {
  hasUnprintableCharacter,
  printableText,
  sanitizeText,
  toWellFormed,
  withoutFormatCharacters,
} from './sanitize';

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

  it('removes bidirectional controls, so a file name or a number reads as it is stored', () => {
    expect(sanitizeText('tai \u202egnp.exe')).toBe('tai gnp.exe');
    expect(sanitizeText('\u2067goi\u2069 \u200f0987654321\u200e \u202a\u202b\u202c\u202d\u061c')).toBe(
      'goi 0987654321 ',
    );
  });

  it('removes the joiners too: Vietnamese never needs them', () => {
    expect(sanitizeText('Nguy\u200cễn\u200d')).toBe('Nguyễn');
  });

  it('removes astral format characters (tags) and keeps emoji', () => {
    expect(sanitizeText('a\u{E0041}b😡')).toBe('ab😡');
  });
});

describe('printableText', () => {
  it('shows control and format characters and lone surrogates as U+FFFD', () => {
    expect(printableText('Al\u0000i\u202ece\ud800\n', 64)).toBe('Al\ufffdi\ufffdce\ufffd\ufffd');
  });

  it('cuts to the length without splitting a surrogate pair', () => {
    expect(printableText('ab😡', 3)).toBe('ab');
    expect(printableText('ab😡', 4)).toBe('ab😡');
  });
});

describe('hasUnprintableCharacter', () => {
  it.each([['a\u0000'], ['a\t'], ['\u202e'], ['\u200b'], ['\ud800'], ['x\udc00']])(
    'finds one in %j',
    (text) => {
      expect(hasUnprintableCharacter(text)).toBe(true);
    },
  );

  it.each([['agent-7'], ['Nguyễn'], ['😡']])('finds none in %j', (text) => {
    expect(hasUnprintableCharacter(text)).toBe(false);
  });
});

describe('withoutFormatCharacters', () => {
  it('removes bidi controls and zero-width characters and keeps everything else as typed', () => {
    expect(withoutFormatCharacters('goi \u202e0987\u200b654321\u202c\u2066 ')).toBe('goi 0987654321 ');
    expect(withoutFormatCharacters('ghi chú\n\tlần 2 😡')).toBe('ghi chú\n\tlần 2 😡');
  });
});
