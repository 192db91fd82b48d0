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
  /** The hotline agent who entered the report; null for one its reporter sent by SMS. */
  readonly agentId: string | null;
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

/**
 * Reports and distinct reporters. Most tallies of a number hold one reporter: a set is made only
 * when a second one comes, since this runs a dozen times for every number of every batch.
 */
class Tally {
  reports = 0;
  private first: string | null = null;
  private reporters: Set<string> | null = null;

  add(reporter: string): void {
    this.reports += 1;
    if (this.first === null) this.first = reporter;
    else if (this.reporters !== null) this.reporters.add(reporter);
    else if (reporter !== this.first) this.reporters = new Set([this.first, reporter]);
  }

  get distinctReporters(): number {
    return this.reporters !== null ? this.reporters.size : this.first === null ? 0 : 1;
  }
}

const NOTHING: KindOrCategoryCount = Object.freeze({ reports: 0, distinctReporters: 0 });

/**
 * Tallies by kind or category. Most numbers have reports of one or two of them, and this runs
 * for every number of every batch, so a tally (and its set of reporters) exists only for a key
 * that has a report.
 */
function tallyByKey<K extends string>(
  keys: readonly K[],
  reports: readonly WindowReport[],
  keyOf: (r: WindowReport) => K,
) {
  const tallies = new Map<K, Tally>();
  for (const report of reports) {
    const key = keyOf(report);
    let tally = tallies.get(key);
    if (tally === undefined) tallies.set(key, (tally = new Tally()));
    tally.add(report.reporter);
  }
  const counts = {} as Record<K, KindOrCategoryCount>;
  for (const key of keys) {
    const tally = tallies.get(key);
    counts[key] = tally ? { reports: tally.reports, distinctReporters: tally.distinctReporters } : NOTHING;
  }
  return counts;
}

/**
 * How many of these reporters are in each window: windows nest and end at `at`, so a reporter is
 * in every window that holds its latest report.
 */
function distinctPerWindow(latestByReporter: ReadonlyMap<string, number>, at: number): number[] {
  const distinct = WINDOWS.map(() => 0);
  for (const latest of latestByReporter.values()) {
    for (let i = 0; i < WINDOWS.length; i += 1) if (isInWindow(latest, at, WINDOWS[i])) distinct[i] += 1;
  }
  return distinct;
}

function noteLatest(latestByReporter: Map<string, number>, report: WindowReport): void {
  const latest = latestByReporter.get(report.reporter);
  if (latest === undefined || report.receivedAt > latest)
    latestByReporter.set(report.reporter, report.receivedAt);
}

/**
 * Counts the reports of one number, in any order, at moment `at` (epoch milliseconds). Distinct
 * reporters come from each reporter's latest report rather than from a set per window: for a
 * busy number that is two map updates a report instead of eight set insertions.
 */
export function countWindows(reports: readonly WindowReport[], at: number): WindowCounts {
  const all = WINDOWS.map(() => 0);
  const weighted = WINDOWS.map(() => 0);
  const latestOf = new Map<string, number>();
  const latestWeightedOf = new Map<string, number>();
  const inLongest: WindowReport[] = [];
  let firstSeenAt: number | null = null;
  let lastSeenAt: number | null = null;

  for (const report of reports) {
    if (!isInWindow(report.receivedAt, at, LONGEST_WINDOW_SECONDS)) continue;
    inLongest.push(report);
    firstSeenAt = firstSeenAt === null ? report.receivedAt : Math.min(firstSeenAt, report.receivedAt);
    lastSeenAt = lastSeenAt === null ? report.receivedAt : Math.max(lastSeenAt, report.receivedAt);
    for (let i = 0; i < WINDOWS.length; i += 1) {
      if (!isInWindow(report.receivedAt, at, WINDOWS[i])) continue;
      all[i] += 1;
      if (report.weighted) weighted[i] += 1;
    }
    noteLatest(latestOf, report);
    if (report.weighted) noteLatest(latestWeightedOf, report);
  }

  const distinct = distinctPerWindow(latestOf, at);
  const weightedDistinct = distinctPerWindow(latestWeightedOf, at);
  const windows = {} as Record<WindowSeconds, WindowCount>;
  for (let i = 0; i < WINDOWS.length; i += 1) {
    windows[WINDOWS[i]] = {
      reports: all[i],
      distinctReporters: distinct[i],
      weightedReports: weighted[i],
      weightedDistinctReporters: weightedDistinct[i],
    };
  }
  return {
    at,
    windows,
    last30DaysByKind: tallyByKey(REPORT_KINDS, inLongest, (r) => r.kind),
    last30DaysByCategory: tallyByKey(CATEGORIES, inLongest, (r) => r.category),
    firstSeenAt,
    lastSeenAt,
  };
}

/** The order reports are processed in: by time received, then by report id for the same millisecond. */
export function compareReports(
  a: Pick<WindowReport, 'receivedAt' | 'reportId'>,
  b: Pick<WindowReport, 'receivedAt' | 'reportId'>,
): number {
  return a.receivedAt - b.receivedAt || (a.reportId < b.reportId ? -1 : a.reportId > b.reportId ? 1 : 0);
}
