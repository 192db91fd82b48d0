import fc from 'fast-check';
import { markInvisibleCharacters } from './invisible-characters.ts';

describe('invisible characters in the console', () => {
  it('shows a bidi override as its code point, so the text keeps its order', () => {
    expect(markInvisibleCharacters('tai \u202egnp.exe')).toBe('tai [U+202E]gnp.exe');
  });

  it('marks zero-width characters, isolates, the soft hyphen and astral tags', () => {
    expect(markInvisibleCharacters('0912\u200b345\u2060678\ufeff\u00ad')).toBe(
      '0912[U+200B]345[U+2060]678[U+FEFF][U+00AD]',
    );
    expect(markInvisibleCharacters('\u2067goi\u2069 \u200f')).toBe('[U+2067]goi[U+2069] [U+200F]');
    expect(markInvisibleCharacters('a\u{E0041}b')).toBe('a[U+E0041]b');
  });

  it('leaves Vietnamese, emoji and line breaks as they are', () => {
    expect(markInvisibleCharacters('Lừa đảo 😡\nchuyển tiền')).toBe('Lừa đảo 😡\nchuyển tiền');
  });

  it('leaves no format character in any text', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (text) => {
        expect(/\p{Cf}/u.test(markInvisibleCharacters(text))).toBe(false);
      }),
    );
  });
});
