/**
 * Making arbitrary text safe to look at: no lone surrogates, no control characters, no invisible
 * formatting characters between the digits of a number.
 */

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
/** Text without any surrogate (no emoji, no astral digit) has no lone one: most texts. */
const ANY_SURROGATE = /[\uD800-\uDFFF]/;

/** C0 and C1 control characters and DEL, except tab, line feed and carriage return. */
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const CONTROL_CHARACTERS = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/g;

/**
 * Characters that are invisible and carry no meaning in a report: zero-width space, zero-width
 * non-joiner and joiner, word joiner, byte order mark / zero-width no-break space, soft hyphen.
 */
const INVISIBLE_CHARACTERS = /[\u200B-\u200D\u2060\uFEFF\u00AD]/g;

/**
 * Either of the two above. Most texts have none; one test spares them two replacements (every
 * report is sanitised).
 */
const CONTROL_OR_INVISIBLE =
  // eslint-disable-next-line no-control-regex -- finding control characters is the point
  /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\u200B-\u200D\u2060\uFEFF\u00AD]/;

/** Printable ASCII, tab, line feed and carriage return only: most report texts. */
function isPrintableAscii(text: string): boolean {
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index);
    if (code >= 0x7f || (code < 0x20 && code !== 0x09 && code !== 0x0a && code !== 0x0d)) return false;
  }
  return true;
}

/** Replaces unpaired surrogates (invalid UTF-16, not storable as UTF-8) with U+FFFD. */
export function toWellFormed(text: string): string {
  return ANY_SURROGATE.test(text) ? text.replace(LONE_SURROGATE, '\uFFFD') : text;
}

/**
 * The text a parser works on: well-formed, controls turned into spaces (PostgreSQL cannot store
 * NUL), invisible characters removed, canonical composition (NFC) so that the same Vietnamese
 * letter is always the same code points.
 */
export function sanitizeText(text: string): string {
  if (isPrintableAscii(text)) return text; // nothing to replace, and ASCII is its own NFC
  const wellFormed = toWellFormed(text);
  const visible = CONTROL_OR_INVISIBLE.test(wellFormed)
    ? wellFormed.replace(CONTROL_CHARACTERS, ' ').replace(INVISIBLE_CHARACTERS, '')
    : wellFormed;
  return visible.normalize('NFC');
}
