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

/** Windows nest, shortest first: a report in one is in every longer one. */
const WINDOW_MS = WINDOWS.map((seconds) => seconds * 1000);
const LONGEST = WINDOWS.length - 1;
if (WINDOW_MS.some((ms, i) => i > 0 && ms <= WINDOW_MS[i - 1]) || WINDOWS[LONGEST] !== LONGEST_WINDOW_SECONDS)
  throw new Error('countWindows needs the windows shortest first, the longest last');
const KIND_INDEX: ReadonlyMap<string, number> = new Map(REPORT_KINDS.map((kind, i) => [kind, i]));
const CATEGORY_INDEX: ReadonlyMap<string, number> = new Map(CATEGORIES.map((category, i) => [category, i]));

/**
 * Each reporter's shortest window, the one that holds its latest report: a reporter is in that
 * window and every longer one. Most numbers have one reporter: a map is made for a second.
 */
class ReporterWindows {
  private first: string | null = null;
  private firstWindow = 0;
  private readonly others = new Map<string, number>();

  reset(): void {
    this.first = null;
    this.others.clear();
  }

  note(reporter: string, window: number): void {
    if (this.first === null) {
      this.first = reporter;
      this.firstWindow = window;
    } else if (reporter === this.first) {
      if (window < this.firstWindow) this.firstWindow = window;
    } else {
      const seen = this.others.get(reporter);
      if (seen === undefined || window < seen) this.others.set(reporter, window);
    }
  }

  /** Adds each reporter to its shortest window's count in `perWindow`. */
  countInto(perWindow: number[]): void {
    if (this.first !== null) perWindow[this.firstWindow] += 1;
    for (const window of this.others.values()) perWindow[window] += 1;
  }
}

// countWindows runs to its end without yielding, so one set of scratch state serves every call.
const reportersOf = new ReporterWindows();
const weightedReportersOf = new ReporterWindows();
const kindTallies: (Tally | undefined)[] = REPORT_KINDS.map(() => undefined);
const categoryTallies: (Tally | undefined)[] = CATEGORIES.map(() => undefined);

function tally(tallies: (Tally | undefined)[], index: number | undefined, reporter: string): void {
  if (index === undefined) return;
  let counted = tallies[index];
  if (counted === undefined) tallies[index] = counted = new Tally();
  counted.add(reporter);
}

/** The tallies as counts by key, every key named. */
function countsByKey<K extends string>(keys: readonly K[], tallies: (Tally | undefined)[]) {
  const counts = {} as Record<K, KindOrCategoryCount>;
  for (let i = 0; i < keys.length; i += 1) {
    const counted = tallies[i];
    counts[keys[i]] = counted
      ? { reports: counted.reports, distinctReporters: counted.distinctReporters }
      : NOTHING;
  }
  return counts;
}

/** Running sums: a count per shortest window becomes a count per window. */
function accumulate(perShortest: number[]): number[] {
  for (let i = 1; i < perShortest.length; i += 1) perShortest[i] += perShortest[i - 1];
  return perShortest;
}

/**
 * Counts the reports of one number, in any order, at moment `at` (epoch milliseconds). Each
 * report is put in the shortest window that holds it, and so is each reporter, by its latest
 * report: windows nest, so the counts of the longer windows are running sums. Kinds and
 * categories are tallied only for the keys that have a report.
 */
export function countWindows(reports: readonly WindowReport[], at: number): WindowCounts {
  // As isInWindow computes them: a report is in window i when received after starts[i].
  const starts = WINDOW_MS.map((ms) => at - ms);
  const all = WINDOWS.map(() => 0);
  const weighted = WINDOWS.map(() => 0);
  reportersOf.reset();
  weightedReportersOf.reset();
  kindTallies.fill(undefined);
  categoryTallies.fill(undefined);
  let firstSeenAt: number | null = null;
  let lastSeenAt: number | null = null;

  for (const report of reports) {
    const receivedAt = report.receivedAt;
    if (!(receivedAt <= at && receivedAt > starts[LONGEST])) continue;
    let window = 0;
    while (!(receivedAt > starts[window])) window += 1;
    if (firstSeenAt === null || receivedAt < firstSeenAt) firstSeenAt = receivedAt;
    if (lastSeenAt === null || receivedAt > lastSeenAt) lastSeenAt = receivedAt;
    all[window] += 1;
    reportersOf.note(report.reporter, window);
    if (report.weighted) {
      weighted[window] += 1;
      weightedReportersOf.note(report.reporter, window);
    }
    tally(kindTallies, KIND_INDEX.get(report.kind), report.reporter);
    tally(categoryTallies, CATEGORY_INDEX.get(report.category), report.reporter);
  }

  const distinct = WINDOWS.map(() => 0);
  const weightedDistinct = WINDOWS.map(() => 0);
  reportersOf.countInto(distinct);
  weightedReportersOf.countInto(weightedDistinct);
  accumulate(all);
  accumulate(weighted);
  accumulate(distinct);
  accumulate(weightedDistinct);
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
    last30DaysByKind: countsByKey(REPORT_KINDS, kindTallies),
    last30DaysByCategory: countsByKey(CATEGORIES, categoryTallies),
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
