/**
 * Making arbitrary text safe to look at: no lone surrogates, no control characters, no invisible
 * formatting characters between the digits of a number or around the words of a report.
 */

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
/** Text without any surrogate (no emoji, no astral digit) has no lone one: most texts. */
const ANY_SURROGATE = /[\uD800-\uDFFF]/;

/** C0 and C1 control characters and DEL, except tab, line feed and carriage return. */
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const CONTROL_CHARACTERS = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/g;

/**
 * Format characters (Unicode category Cf): invisible, and they carry no meaning in a report. The
 * bidirectional controls among them (U+202A-U+202E, U+2066-U+2069, U+200E, U+200F, U+061C) make
 * "gnp.exe" show as "exe.png" or a number read backwards; the zero-width ones (U+200B, U+2060,
 * U+FEFF, the soft hyphen) hide inside numbers and keywords. The joiners U+200C and U+200D go too:
 * Vietnamese is written in Latin letters composed by NFC and never needs them; only an emoji
 * sequence falls apart into its emoji, which a report can spare.
 */
const INVISIBLE_CHARACTERS = /\p{Cf}/gu;

/**
 * Either of the two above. Most texts have none; one test spares them two replacements (every
 * report is sanitised).
 */
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const CONTROL_OR_INVISIBLE = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\p{Cf}]/u;

/** Any control or format character, tab and line breaks included: none belongs in a name or an id. */
const UNPRINTABLE = /[\p{Cc}\p{Cf}]/gu;
const ANY_UNPRINTABLE = /[\p{Cc}\p{Cf}]/u;

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
 * NUL), format characters removed, canonical composition (NFC) so that the same Vietnamese
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

/**
 * What a person typed, minus the format characters that would hide in it or reorder it when shown
 * (a note pasted from a chat app carries bidi marks); nothing else changes.
 */
export function withoutFormatCharacters(text: string): string {
  return text.replace(INVISIBLE_CHARACTERS, '');
}

/** Whether the text holds a lone surrogate or a control or format character (tab and line breaks too). */
export function hasUnprintableCharacter(text: string): boolean {
  if (ANY_UNPRINTABLE.test(text)) return true;
  return ANY_SURROGATE.test(text) && toWellFormed(text) !== text;
}

/**
 * Something a person may be shown and a database stores, made of what a client sent that is not
 * valid (a sender that is no number, an unknown field's name): every lone surrogate, control and
 * format character becomes U+FFFD, so what was odd about it stays visible, and it is cut to
 * `maxLength` code units without splitting a surrogate pair.
 */
export function printableText(text: string, maxLength: number): string {
  const printable = toWellFormed(text).replace(UNPRINTABLE, '\uFFFD');
  if (printable.length <= maxLength) return printable;
  const cut = printable.slice(0, maxLength);
  return /[\uD800-\uDBFF]$/.test(cut) ? cut.slice(0, -1) : cut;
}
