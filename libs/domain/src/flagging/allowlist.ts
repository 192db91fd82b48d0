/**
 * Numbers that must never be flagged (the operator's own service lines, banks' hotlines, public
 * services), as exact numbers or prefixes. Their reports are still stored and counted.
 */

export const ALLOWLIST_ENTRY_KINDS = ['number', 'prefix'] as const;
export type AllowlistEntryKind = (typeof ALLOWLIST_ENTRY_KINDS)[number];

export interface AllowlistEntry {
  readonly kind: AllowlistEntryKind;
  /** E.164: the number itself ('+842439999999') or the start of numbers ('+841800'). */
  readonly pattern: string;
  readonly reason: string;
  /** Who asked for the entry and answers for it. */
  readonly owner: string;
}

/** The first entry covering the number, to explain why it is not flagged; null when none does. */
export function allowlistEntryFor(e164: string, entries: readonly AllowlistEntry[]): AllowlistEntry | null {
  return (
    entries.find((entry) =>
      entry.kind === 'number'
        ? e164 === entry.pattern
        : entry.pattern !== '' && e164.startsWith(entry.pattern),
    ) ?? null
  );
}

export function isAllowlisted(e164: string, entries: readonly AllowlistEntry[]): boolean {
  return allowlistEntryFor(e164, entries) !== null;
}

/**
 * The same answer as `isAllowlisted`, from lookups instead of a pass over every entry: a number
 * (at most 15 digits) has few starts, while the allowlist may hold thousands of entries and a
 * batch thousands of numbers. Built once for as long as the entries hold.
 */
export function allowlistMatcher(entries: readonly AllowlistEntry[]): (e164: string) => boolean {
  const numbers = new Set<string>();
  const prefixes = new Set<string>();
  let longest = 0;
  for (const entry of entries) {
    if (entry.kind === 'number') numbers.add(entry.pattern);
    else if (entry.pattern !== '') {
      prefixes.add(entry.pattern);
      longest = Math.max(longest, entry.pattern.length);
    }
  }
  return (e164) => {
    if (numbers.has(e164)) return true;
    for (let end = Math.min(longest, e164.length); end > 0; end -= 1)
      if (prefixes.has(e164.slice(0, end))) return true;
    return false;
  };
}
