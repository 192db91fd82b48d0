/**
 * The GSM 03.38 default alphabet (basic character set, without the extension table: characters
 * such as [ ] { } ~ ^ | \ € cost two septets and some handsets show them badly). A reply made only
 * of these characters fits 160 characters in one SMS.
 */
export const GSM7_BASIC_CHARACTERS =
  '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?' +
  '¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà';

const GSM7_BASIC_SET: ReadonlySet<string> = new Set(GSM7_BASIC_CHARACTERS);

/** Maximum length of a single GSM-7 SMS. */
export const SINGLE_SMS_LENGTH = 160;

/** Whether every character of the text is in the GSM-7 basic character set. */
export function isGsm7Basic(text: string): boolean {
  for (const char of text) {
    if (!GSM7_BASIC_SET.has(char)) return false;
  }
  return true;
}
