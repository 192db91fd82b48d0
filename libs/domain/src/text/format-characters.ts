/**
 * The code points of Unicode category Cf (format characters) as of Unicode 17, as inclusive
 * ranges. JavaScript knows them as \p{Cf}; PostgreSQL's regular expressions do not, so SQL that
 * strips them (a migration cleaning stored texts) needs them written out. A unit test holds this
 * list to the runtime's \p{Cf}, so a newer Unicode shows up as a failing test, not a silent gap.
 */
export const FORMAT_CHARACTER_RANGES: readonly (readonly [number, number])[] = [
  [0x00ad, 0x00ad],
  [0x0600, 0x0605],
  [0x061c, 0x061c],
  [0x06dd, 0x06dd],
  [0x070f, 0x070f],
  [0x0890, 0x0891],
  [0x08e2, 0x08e2],
  [0x180e, 0x180e],
  [0x200b, 0x200f],
  [0x202a, 0x202e],
  [0x2060, 0x2064],
  [0x2066, 0x206f],
  [0xfeff, 0xfeff],
  [0xfff9, 0xfffb],
  [0x110bd, 0x110bd],
  [0x110cd, 0x110cd],
  [0x13430, 0x1343f],
  [0x1bca0, 0x1bca3],
  [0x1d173, 0x1d17a],
  [0xe0001, 0xe0001],
  [0xe0020, 0xe007f],
];

const escape = (codePoint: number) =>
  codePoint <= 0xffff
    ? `\\u${codePoint.toString(16).padStart(4, '0')}`
    : `\\U${codePoint.toString(16).padStart(8, '0')}`;

/**
 * A bracket expression matching any format character, in the escapes PostgreSQL's advanced
 * regular expressions read (\uXXXX, \UXXXXXXXX): `regexp_replace(text, <this>, '', 'g')`.
 */
export function formatCharacterClassForPostgres(): string {
  const parts = FORMAT_CHARACTER_RANGES.map(([from, to]) =>
    from === to ? escape(from) : `${escape(from)}-${escape(to)}`,
  );
  return `[${parts.join('')}]`;
}
