/** Runs of white space as JavaScript's `\s` means it (white-space.ts), compiled once. */
const WHITE_SPACE_RUN = /\s+/g;

/**
 * A report's text as people mean it, for "relatives by shared text" (decisions 0045, 0069): case
 * and runs of white space aside. The text without white space at either end, lower-cased, with
 * every run of white space inside it one space. JavaScript's Unicode case mapping and `\s` are
 * the authority, not the database's locale: the key is computed here for new reports and by the
 * migration that stored it for old ones, so both agree on any server.
 */
export function reportTextForKey(content: string): string {
  return content.trim().toLowerCase().replace(WHITE_SPACE_RUN, ' ');
}
