import { printable, printableLines } from './printable';

describe('printable', () => {
  it.each([
    ['clear screen \u001b[2J', 'clear screen \\u001b[2J'],
    ['link \u001b]8;;http://x\u0007y', 'link \\u001b]8;;http://x\\u0007y'],
    ['C1 CSI \u009b2J', 'C1 CSI \\u009b2J'],
    ['over\rwritten', 'over\\u000dwritten'],
    ['two\nlines\ttab', 'two\\u000alines\\u0009tab'],
    ['gnp\u202e.exe', 'gnp\\u202e.exe'],
    ['isolate \u2066x\u2069', 'isolate \\u2066x\\u2069'],
    ['DEL \u007f NUL \u0000', 'DEL \\u007f NUL \\u0000'],
  ])('escapes %p', (text, shown) => {
    expect(printable(text)).toBe(shown);
  });

  it('leaves ordinary text alone, Vietnamese and full-width digits included', () => {
    const text = 'Vui lòng gọi ０９１２ — 156 "x" \\ ok';
    expect(printable(text)).toBe(text);
  });

  it('keeps a JSON line valid JSON with the same values', () => {
    const value = { key: 'a\u009b\u202eb', detail: '\u001b[31mred' };
    const line = printable(JSON.stringify(value));
    // eslint-disable-next-line no-control-regex -- finding control characters is the point
    expect(line).not.toMatch(/[\u0000-\u001f\u007f-\u009f\u202e]/);
    expect(JSON.parse(line)).toEqual(value);
  });
});

describe('printableLines', () => {
  it('keeps the newlines between lines and escapes the rest', () => {
    expect(printableLines('rule \u001b[2Jx\nsecond\r line')).toBe('rule \\u001b[2Jx\nsecond\\u000d line');
  });
});
