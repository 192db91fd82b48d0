import { FORMAT_CHARACTER_RANGES, formatCharacterClassForPostgres } from './format-characters';

/** The ranges of \p{Cf} as this runtime's Unicode tables have them. */
function runtimeRanges(): [number, number][] {
  const ranges: [number, number][] = [];
  for (let codePoint = 0; codePoint <= 0x10ffff; codePoint++) {
    if (!/\p{Cf}/u.test(String.fromCodePoint(codePoint))) continue;
    const last = ranges.at(-1);
    if (last && last[1] === codePoint - 1) last[1] = codePoint;
    else ranges.push([codePoint, codePoint]);
  }
  return ranges;
}

describe('format character ranges', () => {
  it('are exactly the code points of \\p{Cf}', () => {
    expect(FORMAT_CHARACTER_RANGES).toEqual(runtimeRanges());
  });

  it('are written for PostgreSQL as a bracket expression of \\u and \\U escapes', () => {
    const written = formatCharacterClassForPostgres();
    expect(written.startsWith('[\\u00ad\\u0600-\\u0605\\u061c')).toBe(true);
    expect(written).toContain('\\u202a-\\u202e');
    expect(written.endsWith('\\U000e0001\\U000e0020-\\U000e007f]')).toBe(true);
  });
});
