import { storableJson, storableText } from './storable-text';

describe('storableText', () => {
  it('replaces NUL and lone surrogates and keeps everything else as sent', () => {
    expect(storableText('V 0912\u0000345678 \ud800 lừa đảo 😀')).toBe('V 0912\uFFFD345678 \uFFFD lừa đảo 😀');
    expect(storableText('\u0000 only')).toBe('\uFFFD only');
    expect(storableText('only \udc00')).toBe('only \uFFFD');
    expect(storableText('lừa đảo 😀')).toBe('lừa đảo 😀');
  });
});

describe('storableJson', () => {
  it('cleans strings at any depth, keys included, and leaves other values alone', () => {
    expect(storableJson({ a: ['x\u0000', 1, null, true], ['k\udc00']: { b: '\ud83d' } })).toEqual({
      a: ['x\uFFFD', 1, null, true],
      ['k\uFFFD']: { b: '\uFFFD' },
    });
  });
});
