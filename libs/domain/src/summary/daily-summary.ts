/**
 * The daily summary for management and the authority: what was reported and rejected, what
 * happened to flags, and how long people took to act, for one day in one time zone.
 *
 * The caller reads grouped rows for the day from the database (finding the day's bounds in
 * `timeZone` is its job); this module only adds them up. Nothing here depends on the order of the
 * rows, and every breakdown is written with its keys sorted, so regenerating a day from the same
 * data gives byte-identical JSON and CSV: a figure handed to the authority can be reproduced.
 */
import type { FlagChange } from '../flagging/flag-state';

export interface DailySummaryInput {
  /** 'YYYY-MM-DD', the day in `timeZone`. */
  readonly date: string;
  /** An IANA zone, e.g. 'Asia/Ho_Chi_Minh'. */
  readonly timeZone: string;
  readonly reports: readonly {
    readonly channel: string;
    /** null for the hotline, which has no short code. */
    readonly shortCode: string | null;
    readonly kind: string;
    readonly category: string;
    /** null when the reported number belongs to no known carrier. */
    readonly carrier: string | null;
    readonly count: number;
  }[];
  readonly rejections: readonly {
    readonly channel: string;
    readonly reason: string;
    readonly count: number;
  }[];
  readonly flagChanges: readonly {
    readonly change: string;
    readonly takenAction: string | null;
    /** The change left a probable-spoofing flag (decision 0057); absent: false. */
    readonly spoofing?: boolean;
    readonly count: number;
  }[];
  /** For each action taken that day: milliseconds from the flag's (re)opening to the action. */
  readonly actionDelaysMs: readonly number[];
  /** Appeals that fell due that day and were not decided by then (decision 0064); absent: 0. */
  readonly appealsOverdue?: number;
}

export interface DailySummary {
  date: string;
  timeZone: string;
  reports: {
    total: number;
    byChannel: Record<string, number>;
    byShortCode: Record<string, number>;
    byKind: Record<string, number>;
    byCategory: Record<string, number>;
    byCarrier: Record<string, number>;
  };
  rejections: { total: number; byReason: Record<string, number>; byChannel: Record<string, number> };
  flags: {
    opened: number;
    reopened: number;
    raised: number;
    escalated: number;
    /** High flags nobody claimed within their SLA. */
    overdue: number;
    /** Flags claimed and not decided within their review SLA. */
    reviewOverdue: number;
    actioned: number;
    actionedByAction: Record<string, number>;
    dismissed: number;
    expired: number;
    /**
     * Of the opened and reopened, the probable-spoofing flags: protected originators (a bank, an
     * authority) whose caller ID is spoofed, for the authority to trace, never to block.
     */
    spoofingOpened: number;
  };
  timeToActionSeconds: { count: number; median: number | null; p90: number | null };
  /**
   * Appeals against actions (decision 0064): received, upheld and reversed that day, and those that
   * fell due that day undecided. Absent from summaries stored before appeals existed.
   */
  appeals?: { received: number; upheld: number; reversed: number; overdue: number };
}

/** The key of hotline reports in byShortCode. */
export const NO_SHORT_CODE_KEY = 'none';
/** The key of reports on numbers of no known carrier, and of actions a row does not name. */
export const UNKNOWN_KEY = 'unknown';

type Counted = { readonly count: number };

/** Code-unit order, not localeCompare: the order must not depend on the machine's locale. */
function compareKeys(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function sortedEntries(record: Readonly<Record<string, number>>): [string, number][] {
  return Object.entries(record).sort(([a], [b]) => compareKeys(a, b));
}

/**
 * Sums the counts of rows with the same key. Object.fromEntries defines own properties, so a key
 * such as '__proto__' stays a key. JavaScript lists integer-like keys (short codes) first, in
 * numeric order, whatever the insertion order: still deterministic.
 */
function tally<T extends Counted>(rows: readonly T[], keyOf: (row: T) => string): Record<string, number> {
  const totals = new Map<string, number>();
  for (const row of rows) {
    const key = keyOf(row);
    totals.set(key, (totals.get(key) ?? 0) + row.count);
  }
  return Object.fromEntries([...totals].sort(([a], [b]) => compareKeys(a, b)));
}

function total(rows: readonly Counted[]): number {
  return rows.reduce((sum, row) => sum + row.count, 0);
}

/**
 * The value at fraction `p` (0 to 1) of ascending `sortedValues`, interpolating linearly between
 * the closest ranks like PostgreSQL's percentile_cont, so the figure matches one computed in SQL.
 * null when there is no value, or when p is not within [0, 1].
 */
export function percentile(sortedValues: readonly number[], p: number): number | null {
  if (sortedValues.length === 0 || !(p >= 0 && p <= 1)) return null;
  const position = p * (sortedValues.length - 1);
  const lower = Math.floor(position);
  const upper = Math.ceil(position);
  if (lower === upper) return sortedValues[lower];
  return sortedValues[lower] + (sortedValues[upper] - sortedValues[lower]) * (position - lower);
}

function wholeSeconds(ms: number | null): number | null {
  return ms === null ? null : Math.round(ms / 1000);
}

/** How the day's query names an overdue mark on a flag in review (the history says 'overdue' for both). */
export const REVIEW_OVERDUE = 'review_overdue';

export function summarizeDay(input: DailySummaryInput): DailySummary {
  const changes = tally(input.flagChanges, (row) => row.change);
  // Typed as events so that a renamed event type breaks the build here, not the figures.
  const count = (change: FlagChange | typeof REVIEW_OVERDUE): number => changes[change] ?? 0;
  const actions = input.flagChanges.filter((row) => row.change === 'actioned');
  // Integer milliseconds sort exactly; the percentiles are taken before rounding, as in SQL.
  const delays = [...input.actionDelaysMs].sort((a, b) => a - b);
  return {
    date: input.date,
    timeZone: input.timeZone,
    reports: {
      total: total(input.reports),
      byChannel: tally(input.reports, (row) => row.channel),
      byShortCode: tally(input.reports, (row) => row.shortCode ?? NO_SHORT_CODE_KEY),
      byKind: tally(input.reports, (row) => row.kind),
      byCategory: tally(input.reports, (row) => row.category),
      byCarrier: tally(input.reports, (row) => row.carrier ?? UNKNOWN_KEY),
    },
    rejections: {
      total: total(input.rejections),
      byReason: tally(input.rejections, (row) => row.reason),
      byChannel: tally(input.rejections, (row) => row.channel),
    },
    flags: {
      opened: count('opened'),
      reopened: count('reopened'),
      raised: count('raised'),
      escalated: count('escalated'),
      overdue: count('overdue'),
      reviewOverdue: count(REVIEW_OVERDUE),
      actioned: count('actioned'),
      // An actioned row always names its action; 'unknown' keeps the breakdown summing to the total.
      actionedByAction: tally(actions, (row) => row.takenAction ?? UNKNOWN_KEY),
      dismissed: count('dismissed'),
      expired: count('expired'),
      spoofingOpened: total(
        input.flagChanges.filter(
          (row) => row.spoofing === true && (row.change === 'opened' || row.change === 'reopened'),
        ),
      ),
    },
    timeToActionSeconds: {
      count: delays.length,
      median: wholeSeconds(percentile(delays, 0.5)),
      p90: wholeSeconds(percentile(delays, 0.9)),
    },
    appeals: {
      received: count('appealed'),
      upheld: count('appeal_upheld'),
      reversed: count('lifted'),
      overdue: input.appealsOverdue ?? 0,
    },
  };
}

// ---------------------------------------------------------------------------------------------
// CSV, for the spreadsheet people open

type CsvLine = readonly [section: string, key: string, value: string | number | null];

/** RFC 4180: quote a field holding a comma, a quote or a line break, doubling its quotes. */
function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/**
 * Text a spreadsheet would run as a formula when the file is opened: keys come from reports (a
 * short code, a rejection reason, a category), so a forged one could be `=HYPERLINK(...)`. A
 * leading apostrophe makes the cell plain text (OWASP's advice for CSV injection). Numbers are our
 * own counts and stay numbers.
 */
export function inertCsvText(value: string): string {
  return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}

function cellText(field: string | number | null): string {
  if (field === null) return '';
  return typeof field === 'number' ? String(field) : inertCsvText(field);
}

function breakdown(section: string, record: Readonly<Record<string, number>>): CsvLine[] {
  // Sorted again here: a summary read back from storage may not keep the order it was written in.
  return sortedEntries(record).map(([key, value]) => [section, key, value]);
}

/**
 * One line per figure (section, key, value) in a fixed order; an empty value for a figure that
 * does not exist (no action taken, no median).
 */
function summaryLines(summary: DailySummary): CsvLine[] {
  const { reports, rejections, flags, timeToActionSeconds: delay } = summary;
  const lines: CsvLine[] = [
    ['summary', 'date', summary.date],
    ['summary', 'timeZone', summary.timeZone],
    ['reports', 'total', reports.total],
    ...breakdown('reports.byChannel', reports.byChannel),
    ...breakdown('reports.byShortCode', reports.byShortCode),
    ...breakdown('reports.byKind', reports.byKind),
    ...breakdown('reports.byCategory', reports.byCategory),
    ...breakdown('reports.byCarrier', reports.byCarrier),
    ['rejections', 'total', rejections.total],
    ...breakdown('rejections.byReason', rejections.byReason),
    ...breakdown('rejections.byChannel', rejections.byChannel),
    ['flags', 'opened', flags.opened],
    ['flags', 'reopened', flags.reopened],
    ['flags', 'raised', flags.raised],
    ['flags', 'escalated', flags.escalated],
    ['flags', 'overdue', flags.overdue],
    ['flags', 'reviewOverdue', flags.reviewOverdue],
    ['flags', 'actioned', flags.actioned],
    ...breakdown('flags.actionedByAction', flags.actionedByAction),
    ['flags', 'dismissed', flags.dismissed],
    ['flags', 'expired', flags.expired],
    // Absent from a summary stored before decision 0057: an empty value, not a made-up zero.
    ['flags', 'spoofingOpened', flags.spoofingOpened ?? null],
    ['timeToActionSeconds', 'count', delay.count],
    ['timeToActionSeconds', 'median', delay.median],
    ['timeToActionSeconds', 'p90', delay.p90],
    // Absent from a summary stored before decision 0064: empty values, not made-up zeros.
    ['appeals', 'received', summary.appeals?.received ?? null],
    ['appeals', 'upheld', summary.appeals?.upheld ?? null],
    ['appeals', 'reversed', summary.appeals?.reversed ?? null],
    ['appeals', 'overdue', summary.appeals?.overdue ?? null],
  ];
  return lines;
}

/** Lines end with CRLF as RFC 4180 says. */
function csvText(rows: readonly (readonly (string | number | null)[])[]): string {
  return rows.map((fields) => `${fields.map((field) => csvField(cellText(field))).join(',')}\r\n`).join('');
}

export function dailySummaryCsv(summary: DailySummary): string {
  return csvText([['section', 'key', 'value'], ...summaryLines(summary)]);
}

/**
 * Several days in one file for a spreadsheet's filter: each day's lines as dailySummaryCsv writes
 * them, led by the day (`date,section,key,value`), the days in the order given.
 */
export function dailySummariesCsv(summaries: readonly DailySummary[]): string {
  return csvText([
    ['date', 'section', 'key', 'value'],
    ...summaries.flatMap((summary) => summaryLines(summary).map((line) => [summary.date, ...line])),
  ]);
}
