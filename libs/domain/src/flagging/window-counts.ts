/**
 * Counters of one reported number over the sliding windows. A window of W seconds at moment
 * `at` holds the reports received in (at - W, at]: a report exactly W seconds old is out, a
 * report received at `at` is in. Reports received after `at` are ignored.
 */
import { CATEGORIES, type Category } from '../categories/category-keywords';
import type { NumberType } from '../numbering/vietnam-numbering-plan';
import { REPORT_KINDS, type ReportKind } from '../report-kind';
import { LONGEST_WINDOW_SECONDS, WINDOWS, type WindowSeconds } from './rules';

/** A stored report of one reported number, as counting and rules need it. */
export interface WindowReport {
  readonly reportId: string;
  /** The reporter's number (E.164); distinct reporters are distinct strings. */
  readonly reporter: string;
  readonly kind: ReportKind;
  readonly category: Category;
  readonly numberType: NumberType;
  /** Epoch milliseconds. */
  readonly receivedAt: number;
  /** False for a suspicious reporter's report: counted, but never towards a threshold. */
  readonly weighted: boolean;
}

export interface WindowCount {
  readonly reports: number;
  readonly distinctReporters: number;
  readonly weightedReports: number;
  readonly weightedDistinctReporters: number;
}

export interface KindOrCategoryCount {
  readonly reports: number;
  readonly distinctReporters: number;
}

export interface WindowCounts {
  readonly at: number;
  readonly windows: Readonly<Record<WindowSeconds, WindowCount>>;
  /** Over the 30-day window. */
  readonly last30DaysByKind: Readonly<Record<ReportKind, KindOrCategoryCount>>;
  /** Over the 30-day window. */
  readonly last30DaysByCategory: Readonly<Record<Category, KindOrCategoryCount>>;
  /**
   * The first and last report in the 30-day window; null when there is none. Limited to the
   * window so that counts never depend on how much older history the caller loaded; the all-time
   * first seen is the stored one, or this one when there is none stored.
   */
  readonly firstSeenAt: number | null;
  readonly lastSeenAt: number | null;
}

export function isInWindow(receivedAt: number, at: number, windowSeconds: number): boolean {
  return receivedAt <= at && receivedAt > at - windowSeconds * 1000;
}

class Tally {
  reports = 0;
  readonly reporters = new Set<string>();

  add(reporter: string): void {
    this.reports += 1;
    this.reporters.add(reporter);
  }

  count(): KindOrCategoryCount {
    return { reports: this.reports, distinctReporters: this.reporters.size };
  }
}

function tallies<K extends string>(keys: readonly K[]): Record<K, Tally> {
  return Object.fromEntries(keys.map((key) => [key, new Tally()])) as Record<K, Tally>;
}

function countsOf<K extends string>(byKey: Record<K, Tally>): Record<K, KindOrCategoryCount> {
  const entries = Object.entries<Tally>(byKey).map(([key, tally]) => [key, tally.count()]);
  return Object.fromEntries(entries) as Record<K, KindOrCategoryCount>;
}

/** Counts the reports of one number, in any order, at moment `at` (epoch milliseconds). */
export function countWindows(reports: readonly WindowReport[], at: number): WindowCounts {
  const all = tallies(WINDOWS.map(String));
  const weighted = tallies(WINDOWS.map(String));
  const byKind = tallies(REPORT_KINDS);
  const byCategory = tallies(CATEGORIES);
  let firstSeenAt: number | null = null;
  let lastSeenAt: number | null = null;

  for (const report of reports) {
    if (!isInWindow(report.receivedAt, at, LONGEST_WINDOW_SECONDS)) continue;
    firstSeenAt = firstSeenAt === null ? report.receivedAt : Math.min(firstSeenAt, report.receivedAt);
    lastSeenAt = lastSeenAt === null ? report.receivedAt : Math.max(lastSeenAt, report.receivedAt);
    byKind[report.kind].add(report.reporter);
    byCategory[report.category].add(report.reporter);
    for (const windowSeconds of WINDOWS) {
      if (!isInWindow(report.receivedAt, at, windowSeconds)) continue;
      all[windowSeconds].add(report.reporter);
      if (report.weighted) weighted[windowSeconds].add(report.reporter);
    }
  }

  const windows = Object.fromEntries(
    WINDOWS.map((windowSeconds) => {
      const count: WindowCount = {
        reports: all[windowSeconds].reports,
        distinctReporters: all[windowSeconds].reporters.size,
        weightedReports: weighted[windowSeconds].reports,
        weightedDistinctReporters: weighted[windowSeconds].reporters.size,
      };
      return [windowSeconds, count];
    }),
  ) as Record<WindowSeconds, WindowCount>;

  return {
    at,
    windows,
    last30DaysByKind: countsOf(byKind),
    last30DaysByCategory: countsOf(byCategory),
    firstSeenAt,
    lastSeenAt,
  };
}

/** The order reports are processed in: by time received, then by report id for the same millisecond. */
export function compareReports(a: WindowReport, b: WindowReport): number {
  return a.receivedAt - b.receivedAt || (a.reportId < b.reportId ? -1 : a.reportId > b.reportId ? 1 : 0);
}
