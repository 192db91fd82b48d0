/**
 * Decimal digits in any script (Unicode general category Nd): ASCII, full-width (U+FF10-FF19) from
 * some phone keyboards, Arabic-Indic, Devanagari, mathematical digits and so on.
 *
 * Unicode's stability policy guarantees that Nd characters come in contiguous runs of ascending
 * values 0..9 (a run may hold several sets, e.g. the mathematical digits U+1D7CE-1D7FF), so a
 * digit's value is its distance from the start of its run, modulo 10. Values are memoised per code
 * point, so the short backward scan happens once per distinct non-ASCII digit.
 */

const DECIMAL_DIGIT = /^\p{Nd}$/u;
const FULL_WIDTH_ZERO = 0xff10;
const FULL_WIDTH_NINE = 0xff19;
const ASCII_ZERO = 0x30;
const ASCII_NINE = 0x39;

/** -1 for "not a decimal digit". */
const digitValueCache = new Map<number, number>();

function isDecimalDigitCodePoint(codePoint: number): boolean {
  return DECIMAL_DIGIT.test(String.fromCodePoint(codePoint));
}

function computeDigitValue(codePoint: number): number {
  if (!isDecimalDigitCodePoint(codePoint)) return -1;
  let runStart = codePoint;
  // A run of Nd is at most a few dozen code points long; 64 bounds the scan whatever happens.
  for (let steps = 0; steps < 64 && runStart > 0 && isDecimalDigitCodePoint(runStart - 1); steps++) {
    runStart--;
  }
  return (codePoint - runStart) % 10;
}

/** The value 0-9 of a decimal digit code point in any script, or -1 when it is not one. */
export function decimalDigitValue(codePoint: number): number {
  if (codePoint >= ASCII_ZERO && codePoint <= ASCII_NINE) return codePoint - ASCII_ZERO;
  if (codePoint >= FULL_WIDTH_ZERO && codePoint <= FULL_WIDTH_NINE) return codePoint - FULL_WIDTH_ZERO;
  // Everything below U+0660 (Arabic-Indic zero) other than ASCII digits is not a digit.
  if (codePoint < 0x0660) return -1;
  const cached = digitValueCache.get(codePoint);
  if (cached !== undefined) return cached;
  const value = computeDigitValue(codePoint);
  digitValueCache.set(codePoint, value);
  return value;
}

/** Length in UTF-16 code units of the code point starting at `index` (1 or 2). */
export function codePointLength(codePoint: number): number {
  return codePoint > 0xffff ? 2 : 1;
}
