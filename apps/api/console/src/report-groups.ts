/**
 * Reports grouped by near-identical text. A campaign sends the same message with a different
 * amount, a different code or a stray accent; an analyst should read it once, with its count, and
 * see at a glance whether the flag rests on one text repeated or on many different complaints.
 */

/**
 * The text reduced to what makes it the same message: lower case, without diacritics (đ as d),
 * every run of digits as one "#", whitespace collapsed. Vietnamese SMS are typed with and without
 * accents alike, so "Gọi lừa đảo 0912" and "goi lua dao 0913" are one text.
 */
export function normaliseText(text: string): string {
  return text
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .replace(/[đĐ]/g, 'd')
    .toLowerCase()
    .replace(/\d+/g, '#')
    .replace(/\s+/g, ' ')
    .trim();
}

export interface ReportGroup<R> {
  /** The first text of the group as it was written (reports come newest first: the latest). */
  text: string | null;
  reports: R[];
  /** How many different texts, as written, the group holds. */
  distinctTexts: number;
}

/** Groups by normalised text, largest group first, ties in the order the reports came. */
export function groupReports<R extends { content: string | null }>(reports: readonly R[]): ReportGroup<R>[] {
  const groups = new Map<string, { text: string | null; reports: R[]; texts: Set<string | null> }>();
  for (const report of reports) {
    // A report without a text is a group of its own kind, never merged with an empty text.
    const key = report.content === null ? '\u0000none' : normaliseText(report.content);
    const group = groups.get(key) ?? { text: report.content, reports: [], texts: new Set() };
    group.reports.push(report);
    group.texts.add(report.content);
    groups.set(key, group);
  }
  return [...groups.values()]
    .map((g, order) => ({ group: g, order }))
    .sort((a, b) => b.group.reports.length - a.group.reports.length || a.order - b.order)
    .map(({ group }) => ({ text: group.text, reports: group.reports, distinctTexts: group.texts.size }));
}
