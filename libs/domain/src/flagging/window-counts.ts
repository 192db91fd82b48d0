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

const NOTHING: KindOrCategoryCount = Object.freeze({ reports: 0, distinctReporters: 0 });

/** Windows nest, shortest first: a report in one is in every longer one. */
const WINDOW_MS = WINDOWS.map((seconds) => seconds * 1000);
const LONGEST = WINDOWS.length - 1;
if (WINDOWS.join() !== '3600,86400,604800,2592000' || WINDOWS[LONGEST] !== LONGEST_WINDOW_SECONDS)
  throw new Error('countWindows names the windows, shortest first, the longest last');
// A bit for each kind and category (ReporterSeen).
if (REPORT_KINDS.length > 30 || CATEGORIES.length > 30)
  throw new Error('too many kinds or categories for a bit each');
const KIND_INDEX: ReadonlyMap<string, number> = new Map(REPORT_KINDS.map((kind, i) => [kind, i]));
const CATEGORY_INDEX: ReadonlyMap<string, number> = new Map(CATEGORIES.map((category, i) => [category, i]));

/*
 * Most numbers' counts are small and the same (one report, one reporter): those count objects are
 * made once and shared, frozen, as NOTHING is. An object keyed by the windows' seconds is the
 * dearest to make (numeric keys that large are held in a dictionary), so the windows of a number
 * whose reports all fall in the shortest window are shared too.
 */
const SHARED_BELOW = 16;
const sharedWindowCounts = new Map<number, WindowCount>();
const sharedKeyCounts = new Map<number, KindOrCategoryCount>();
const sharedWindows = new Map<WindowCount, Readonly<Record<WindowSeconds, WindowCount>>>();

function windowCount(
  reports: number,
  distinct: number,
  weighted: number,
  weightedDistinct: number,
): WindowCount {
  // Each of the others is at most `reports`.
  if (reports >= SHARED_BELOW)
    return {
      reports,
      distinctReporters: distinct,
      weightedReports: weighted,
      weightedDistinctReporters: weightedDistinct,
    };
  const key =
    ((reports * SHARED_BELOW + distinct) * SHARED_BELOW + weighted) * SHARED_BELOW + weightedDistinct;
  let shared = sharedWindowCounts.get(key);
  if (shared === undefined) {
    shared = Object.freeze({
      reports,
      distinctReporters: distinct,
      weightedReports: weighted,
      weightedDistinctReporters: weightedDistinct,
    });
    sharedWindowCounts.set(key, shared);
  }
  return shared;
}

function windowsOf(
  hour: WindowCount,
  day: WindowCount,
  week: WindowCount,
  month: WindowCount,
): Readonly<Record<WindowSeconds, WindowCount>> {
  if (hour !== day || hour !== week || hour !== month)
    return { 3600: hour, 86400: day, 604800: week, 2592000: month };
  let shared = sharedWindows.get(hour);
  if (shared === undefined) {
    shared = Object.freeze({ 3600: hour, 86400: hour, 604800: hour, 2592000: hour });
    sharedWindows.set(hour, shared);
  }
  return shared;
}

function keyCount(reports: number, distinctReporters: number): KindOrCategoryCount {
  if (reports >= SHARED_BELOW) return { reports, distinctReporters };
  const key = reports * SHARED_BELOW + distinctReporters;
  let shared = sharedKeyCounts.get(key);
  if (shared === undefined) {
    shared = Object.freeze({ reports, distinctReporters });
    sharedKeyCounts.set(key, shared);
  }
  return shared;
}

/** Every key with NOTHING, in the keys' order: copied, then the keys with reports are set. */
function nothingByKey<K extends string>(keys: readonly K[]): Readonly<Record<K, KindOrCategoryCount>> {
  const counts = {} as Record<K, KindOrCategoryCount>;
  for (const key of keys) counts[key] = NOTHING;
  return counts;
}
const NOTHING_BY_KIND = nothingByKey(REPORT_KINDS);
const NOTHING_BY_CATEGORY = nothingByKey(CATEGORIES);

/** What a number's counts need to know of one reporter, over all its reports. */
interface ReporterSeen {
  /** The shortest window holding any of its reports (that with its latest report). */
  window: number;
  /** The same among its weighted reports; NO_WINDOW without one. */
  weightedWindow: number;
  /** A bit for each kind and each category it reported (by their index). */
  kinds: number;
  categories: number;
}

const NO_WINDOW = WINDOWS.length;

/**
 * The reporters of one count, each looked up once per report: a reporter is in its shortest
 * window and every longer one, and among each kind's and category's distinct reporters when its
 * bit is set. Most numbers have one reporter, held without a map.
 */
class Reporters {
  private firstReporter: string | null = null;
  private readonly first: ReporterSeen = { window: 0, weightedWindow: NO_WINDOW, kinds: 0, categories: 0 };
  private readonly others = new Map<string, ReporterSeen>();

  reset(): void {
    this.firstReporter = null;
    if (this.others.size > 0) this.others.clear();
  }

  note(reporter: string, window: number, weighted: boolean, kindBit: number, categoryBit: number): void {
    let seen: ReporterSeen | undefined;
    if (this.firstReporter === null) {
      this.firstReporter = reporter;
      seen = this.first;
      seen.window = NO_WINDOW;
      seen.weightedWindow = NO_WINDOW;
      seen.kinds = 0;
      seen.categories = 0;
    } else if (reporter === this.firstReporter) {
      seen = this.first;
    } else {
      seen = this.others.get(reporter);
      if (seen === undefined) {
        seen = { window: NO_WINDOW, weightedWindow: NO_WINDOW, kinds: 0, categories: 0 };
        this.others.set(reporter, seen);
      }
    }
    if (window < seen.window) seen.window = window;
    if (weighted && window < seen.weightedWindow) seen.weightedWindow = window;
    seen.kinds |= kindBit;
    seen.categories |= categoryBit;
  }

  /** Adds each reporter to its shortest windows' counts and to its kinds' and categories'. */
  countInto(distinct: number[], weightedDistinct: number[], byKind: number[], byCategory: number[]): void {
    if (this.firstReporter === null) return;
    countReporter(this.first, distinct, weightedDistinct, byKind, byCategory);
    for (const seen of this.others.values())
      countReporter(seen, distinct, weightedDistinct, byKind, byCategory);
  }
}

function countReporter(
  seen: ReporterSeen,
  distinct: number[],
  weightedDistinct: number[],
  byKind: number[],
  byCategory: number[],
): void {
  distinct[seen.window] += 1;
  if (seen.weightedWindow !== NO_WINDOW) weightedDistinct[seen.weightedWindow] += 1;
  for (let bits = seen.kinds, i = 0; bits !== 0; bits >>>= 1, i += 1) if (bits & 1) byKind[i] += 1;
  for (let bits = seen.categories, i = 0; bits !== 0; bits >>>= 1, i += 1) if (bits & 1) byCategory[i] += 1;
}

// countWindows runs to its end without yielding, so one set of scratch state serves every call.
const reportersOf = new Reporters();
const starts = [0, 0, 0, 0];
const all = [0, 0, 0, 0];
const weighted = [0, 0, 0, 0];
const distinct = [0, 0, 0, 0];
const weightedDistinct = [0, 0, 0, 0];
const kindReports = REPORT_KINDS.map(() => 0);
const kindReporters = REPORT_KINDS.map(() => 0);
const categoryReports = CATEGORIES.map(() => 0);
const categoryReporters = CATEGORIES.map(() => 0);

/** Counts by key, every key named: NOTHING where none was reported. */
function countsByKey<K extends string>(
  keys: readonly K[],
  nothing: Readonly<Record<K, KindOrCategoryCount>>,
  reports: readonly number[],
  reporters: readonly number[],
): Record<K, KindOrCategoryCount> {
  const counts = { ...nothing } as Record<K, KindOrCategoryCount>;
  for (let i = 0; i < keys.length; i += 1)
    if (reports[i] > 0) counts[keys[i]] = keyCount(reports[i], reporters[i]);
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
  for (let i = 0; i < WINDOWS.length; i += 1) {
    starts[i] = at - WINDOW_MS[i];
    all[i] = weighted[i] = distinct[i] = weightedDistinct[i] = 0;
  }
  reportersOf.reset();
  kindReports.fill(0);
  kindReporters.fill(0);
  categoryReports.fill(0);
  categoryReporters.fill(0);
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
    if (report.weighted) weighted[window] += 1;
    // A kind or category outside the lists is counted nowhere by key.
    const kind = KIND_INDEX.get(report.kind);
    const category = CATEGORY_INDEX.get(report.category);
    if (kind !== undefined) kindReports[kind] += 1;
    if (category !== undefined) categoryReports[category] += 1;
    reportersOf.note(
      report.reporter,
      window,
      report.weighted,
      kind === undefined ? 0 : 1 << kind,
      category === undefined ? 0 : 1 << category,
    );
  }

  reportersOf.countInto(distinct, weightedDistinct, kindReporters, categoryReporters);
  accumulate(all);
  accumulate(weighted);
  accumulate(distinct);
  accumulate(weightedDistinct);
  return {
    at,
    windows: windowsOf(
      windowCount(all[0], distinct[0], weighted[0], weightedDistinct[0]),
      windowCount(all[1], distinct[1], weighted[1], weightedDistinct[1]),
      windowCount(all[2], distinct[2], weighted[2], weightedDistinct[2]),
      windowCount(all[3], distinct[3], weighted[3], weightedDistinct[3]),
    ),
    last30DaysByKind: countsByKey(REPORT_KINDS, NOTHING_BY_KIND, kindReports, kindReporters),
    last30DaysByCategory: countsByKey(CATEGORIES, NOTHING_BY_CATEGORY, categoryReports, categoryReporters),
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
