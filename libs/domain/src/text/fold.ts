/**
 * Folding Vietnamese text for keyword matching: the same words match with and without diacritics,
 * in any case, with any punctuation and spacing.
 *
 *   "Đòi NỢ!!  khoản vay" -> "doi no khoan vay"
 *
 * Every report's content is folded, so the text is read once, character by character, into a
 * reusable buffer of ASCII codes (FoldedText): ASCII directly, any other character through the
 * Unicode steps (lower case, compatibility decomposition, combining marks dropped, đ -> d) once
 * and then from a table. Folding each character alone gives what folding the whole text gives
 * (fold.property.spec.ts checks it against the whole-text steps): lower case depends on context
 * only for a final sigma, and decomposition reorders only combining characters; all of these end
 * up dropped or as separators.
 */

const COMBINING_MARKS = /\p{M}/gu;
const NOT_ALPHANUMERIC_CHARACTER = /[^a-z0-9]/g;
/** Between two words of folded text. */
const SPACE = 0x20;

/**
 * Folded characters by code point: ASCII letters and digits, a space for anything else, '' for
 * combining marks. Below U+2000 (all Vietnamese letters, Latin, combining marks) in an array
 * indexed by code point; above it in a map bounded so that hostile input cannot grow it without
 * limit.
 */
const ARRAY_LIMIT = 0x2000;
const foldedBelowLimit = new Array<string | undefined>(ARRAY_LIMIT).fill(undefined);
const foldedAboveLimit = new Map<number, string>();
const MAX_REMEMBERED_ABOVE_LIMIT = 4_096;

function foldCharacterOnce(codePoint: number): string {
  return String.fromCodePoint(codePoint)
    .toLowerCase()
    .normalize('NFKD') // also turns full-width letters and digits into ASCII ones
    .replace(COMBINING_MARKS, '')
    .replace(/đ/g, 'd')
    .replace(NOT_ALPHANUMERIC_CHARACTER, ' ');
}

function foldCharacter(codePoint: number): string {
  if (codePoint < ARRAY_LIMIT) return (foldedBelowLimit[codePoint] ??= foldCharacterOnce(codePoint));
  const remembered = foldedAboveLimit.get(codePoint);
  if (remembered !== undefined) return remembered;
  const folded = foldCharacterOnce(codePoint);
  if (foldedAboveLimit.size < MAX_REMEMBERED_ABOVE_LIMIT) foldedAboveLimit.set(codePoint, folded);
  return folded;
}

const isAsciiLowerOrDigit = (code: number): boolean =>
  (code >= 0x61 && code <= 0x7a) || (code >= 0x30 && code <= 0x39);

/**
 * Folded text as ASCII codes (a-z, 0-9, and one space between words) in `codes[0, length)`. The
 * buffer is reused from one fold to the next, so folding every report allocates nothing.
 */
export class FoldedText {
  codes: Uint8Array = new Uint8Array(256);
  length = 0;

  /** Folds `text`, replacing what the buffer held. */
  fold(text: string): this {
    // Locals rather than fields in the loop: this runs for every report.
    let codes = this.codes;
    let length = 0;
    // A space is written only between two words: not at the start, not twice, not at the end.
    let spacePending = false;
    for (let index = 0; index < text.length; index++) {
      const code = text.charCodeAt(index);
      if (code < 0x80) {
        if (length + 2 > codes.length) codes = this.grow(length, 2); // a space and the character
        const lower = code >= 0x41 && code <= 0x5a ? code + 0x20 : code;
        if (isAsciiLowerOrDigit(lower)) {
          if (spacePending && length > 0) codes[length++] = SPACE;
          spacePending = false;
          codes[length++] = lower;
        } else {
          spacePending = true;
        }
        continue;
      }
      const codePoint = text.codePointAt(index) as number; // index < length
      if (codePoint > 0xffff) index++; // the second half of a surrogate pair
      const character = foldCharacter(codePoint);
      if (length + 2 * character.length > codes.length) codes = this.grow(length, 2 * character.length);
      for (let position = 0; position < character.length; position++) {
        const folded = character.charCodeAt(position);
        if (folded === SPACE) {
          spacePending = true;
        } else {
          if (spacePending && length > 0) codes[length++] = SPACE;
          spacePending = false;
          codes[length++] = folded;
        }
      }
    }
    this.length = length;
    return this;
  }

  toString(): string {
    let text = '';
    const CHUNK = 8_192; // String.fromCharCode takes the codes as arguments: not too many at once
    for (let start = 0; start < this.length; start += CHUNK) {
      text += String.fromCharCode(...this.codes.subarray(start, Math.min(start + CHUNK, this.length)));
    }
    return text;
  }

  /** A larger buffer holding the first `length` codes, with room for `more`. */
  private grow(length: number, more: number): Uint8Array {
    const larger = new Uint8Array(Math.max(this.codes.length * 2, length + more));
    larger.set(this.codes.subarray(0, length));
    this.codes = larger;
    return larger;
  }
}

/** Lower case, no diacritics (đ -> d), only ASCII letters and digits separated by single spaces. */
export function foldForMatching(text: string): string {
  return new FoldedText().fold(text).toString();
}
