/**
 * Text from messages and the database made safe to print on a terminal. A key or a report text
 * may hold escape sequences (ESC [ 2 J clears the screen, OSC 8 makes a link, OSC 52 writes the
 * clipboard), a carriage return that overwrites what the line said, or bidirectional controls
 * that show "gnp.exe" as "exe.png". Each becomes a visible \uXXXX escape, which is also what it
 * would be inside a JSON string, so a JSON line stays valid JSON with the same values.
 */

/** C0 controls, DEL and C1 controls, bidi controls and line separators. */
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const UNPRINTABLE = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

const escaped = (char: string): string => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`;

/** One line: every control escaped, newlines and tabs included. */
export function printable(text: string): string {
  return text.replace(UNPRINTABLE, escaped);
}

/** Several lines of our own making: each line as `printable` makes it, the newlines between kept. */
export function printableLines(text: string): string {
  return text.split('\n').map(printable).join('\n');
}
