/**
 * Folding Vietnamese text for keyword matching: the same words match with and without diacritics,
 * in any case, with any punctuation and spacing.
 *
 *   "Đòi NỢ!!  khoản vay" -> "doi no khoan vay"
 */

const COMBINING_MARKS = /\p{M}/gu;
const NOT_ALPHANUMERIC = /[^a-z0-9]+/g;

/** Lower case, no diacritics (đ -> d), only ASCII letters and digits separated by single spaces. */
export function foldForMatching(text: string): string {
  return text
    .toLowerCase()
    .normalize('NFKD') // also turns full-width letters and digits into ASCII ones
    .replace(COMBINING_MARKS, '')
    .replace(/đ/g, 'd')
    .replace(NOT_ALPHANUMERIC, ' ')
    .trim();
}
