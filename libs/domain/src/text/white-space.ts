/**
 * White space as JavaScript's `\s` means it (white space and line terminators), for one UTF-16
 * code unit. The parser asks this for most characters of every report: a comparison of the code
 * is much cheaper than matching a one-character string against /^\s$/.
 */
export function isWhiteSpaceCode(code: number): boolean {
  if (code < 0x80) return code === 0x20 || (code >= 0x09 && code <= 0x0d); // space, \t \n \v \f \r
  switch (code) {
    case 0x00a0: // no-break space
    case 0x1680: // ogham space mark
    case 0x2028: // line separator
    case 0x2029: // paragraph separator
    case 0x202f: // narrow no-break space
    case 0x205f: // medium mathematical space
    case 0x3000: // ideographic space
    case 0xfeff: // zero-width no-break space (byte order mark)
      return true;
    default:
      return code >= 0x2000 && code <= 0x200a; // en quad ... hair space
  }
}
