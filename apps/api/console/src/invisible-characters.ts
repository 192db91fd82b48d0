/**
 * Texts stored before format characters were stripped at intake may still hold them. Shown as they
 * are, a right-to-left override makes "gnp.exe" read "exe.png" and a number read backwards, and a
 * zero-width space hides inside a number; so each one is shown as a visible marker instead.
 */

/** Unicode category Cf: bidi controls, zero-width spaces and joiners, the soft hyphen, tags. */
const FORMAT_CHARACTER = /\p{Cf}/gu;
const ANY_FORMAT_CHARACTER = /\p{Cf}/u;

/** "tai \u202Egnp.exe" → "tai [U+202E]gnp.exe": every format character written out as its code point. */
export function markInvisibleCharacters(text: string): string {
  if (!ANY_FORMAT_CHARACTER.test(text)) return text; // most texts: nothing to mark
  return text.replace(FORMAT_CHARACTER, (character) => {
    const hex = (character.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0');
    return `[U+${hex}]`;
  });
}
