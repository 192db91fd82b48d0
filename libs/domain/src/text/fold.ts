/**
 * Folding Vietnamese text for keyword matching: the same words match with and without diacritics,
 * in any case, with any punctuation and spacing.
 *
 *   "Đòi NỢ!!  khoản vay" -> "doi no khoan vay"
 *
 * Every report's content is folded, so the text is read once, character by character: ASCII
 * directly, any other character through the Unicode steps (lower case, compatibility
 * decomposition, combining marks dropped, đ -> d) once and then from a table. Folding each
 * character alone gives what folding the whole text gives (fold.property.spec.ts checks it
 * against the whole-text steps): lower case depends on context only for a final sigma, and
 * decomposition reorders only combining characters; all of these end up dropped or as separators.
 */

const COMBINING_MARKS = /\p{M}/gu;
const NOT_ALPHANUMERIC_CHARACTER = /[^a-z0-9]/g;
/** In a folded character: a separator between words. */
const SEPARATOR = ' ';
const SEPARATOR_CODE = 0x20;

/**
 * Folded characters by code point: ASCII letters and digits, SEPARATOR for anything else, ''
 * for combining marks. Bounded, so that hostile input cannot grow it without limit; Vietnamese
 * needs under 200 entries.
 */
const foldedCharacters = new Map<number, string>();
const MAX_REMEMBERED_CHARACTERS = 4_096;

function foldCharacter(codePoint: number): string {
  const remembered = foldedCharacters.get(codePoint);
  if (remembered !== undefined) return remembered;
  const folded = String.fromCodePoint(codePoint)
    .toLowerCase()
    .normalize('NFKD') // also turns full-width letters and digits into ASCII ones
    .replace(COMBINING_MARKS, '')
    .replace(/đ/g, 'd')
    .replace(NOT_ALPHANUMERIC_CHARACTER, SEPARATOR);
  if (foldedCharacters.size < MAX_REMEMBERED_CHARACTERS) foldedCharacters.set(codePoint, folded);
  return folded;
}

const isAsciiUpper = (code: number): boolean => code >= 0x41 && code <= 0x5a;
const isAsciiLowerOrDigit = (code: number): boolean =>
  (code >= 0x61 && code <= 0x7a) || (code >= 0x30 && code <= 0x39);

/** Lower case, no diacritics (đ -> d), only ASCII letters and digits separated by single spaces. */
export function foldForMatching(text: string): string {
  let folded = '';
  // A separator is written only between two words: not at the start, not twice, not at the end.
  let separatorPending = false;
  const append = (letterOrDigit: string): void => {
    if (separatorPending && folded.length > 0) folded += SEPARATOR;
    separatorPending = false;
    folded += letterOrDigit;
  };
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index);
    if (code < 0x80) {
      if (isAsciiUpper(code)) append(String.fromCharCode(code + 0x20));
      else if (isAsciiLowerOrDigit(code)) append(text.charAt(index));
      else separatorPending = true;
      continue;
    }
    const codePoint = text.codePointAt(index) as number; // index < length
    if (codePoint > 0xffff) index++; // the second half of a surrogate pair
    const character = foldCharacter(codePoint);
    for (let position = 0; position < character.length; position++) {
      if (character.charCodeAt(position) === SEPARATOR_CODE) separatorPending = true;
      else append(character.charAt(position));
    }
  }
  return folded;
}
