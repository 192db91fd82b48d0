import { compareReports, type WindowReport } from '@abuse-monitor/domain';

interface CachedTimeline {
  /** How many reports of the number were stored when this was remembered (subscriber_counters.total_reports). */
  readonly storedReports: number;
  /** Every stored report of the number received after this moment is in `reports`. */
  readonly completeAfter: number;
  /** In timeline order. */
  readonly reports: readonly WindowReport[];
}

/**
 * What a batch learnt about a number, to remember once its transaction has committed. Its reports
 * are handed over: the cache may keep the array itself, so nothing changes it afterwards.
 */
export interface TimelineToRemember extends CachedTimeline {
  readonly reportedNumber: string;
}

function inTimelineOrder(reports: readonly WindowReport[]): boolean {
  for (let i = 1; i < reports.length; i += 1)
    if (compareReports(reports[i - 1], reports[i]) > 0) return false;
  return true;
}

/**
 * The reports received after `moment`, of reports in timeline order: a tail of them, often all
 * (then the same array, not a copy; no one changes a remembered timeline).
 */
function after(reports: readonly WindowReport[], moment: number): readonly WindowReport[] {
  let first = 0;
  while (first < reports.length && reports[first].receivedAt <= moment) first += 1;
  return first === 0 ? reports : reports.slice(first);
}

/**
 * The recent reports of the numbers this process counted lately, so that a batch does not read
 * 30 days of each number's history back from PostgreSQL. A number's reports arrive on one
 * partition, so its timeline is normally written by this process alone; when another consumer
 * did write to it (a rebalance, a consumer presumed dead), the stored report count differs from
 * the remembered one and the timeline is read from the database again. Bounded by a number of
 * reports; the numbers used least recently are forgotten first.
 */
export class RecentReportsCache {
  private readonly timelines = new Map<string, CachedTimeline>();
  private size = 0;

  constructor(private readonly maxReports: number) {}

  /** Reports held, across all numbers. */
  get reportCount(): number {
    return this.size;
  }

  /**
   * The stored reports of a number received after `from`, or undefined when only the database
   * can tell: nothing remembered, remembered before another writer stored more, or not that far
   * back. `storedReports` is the count the database holds now.
   */
  reportsAfter(
    reportedNumber: string,
    storedReports: number,
    from: number,
  ): readonly WindowReport[] | undefined {
    if (storedReports === 0) return [];
    const cached = this.timelines.get(reportedNumber);
    if (cached === undefined || cached.storedReports !== storedReports || cached.completeAfter > from)
      return undefined;
    // Touched: the most recently used numbers stay longest.
    this.timelines.delete(reportedNumber);
    this.timelines.set(reportedNumber, cached);
    return after(cached.reports, from);
  }

  /**
   * Remembers a number's timeline, keeping only what is within `reachMs` of its latest report.
   * A number reported once is not kept: most are never reported again, and remembering them all
   * would push out the busy numbers this is for.
   */
  remember(timeline: TimelineToRemember, reachMs: number): void {
    this.forget(timeline.reportedNumber);
    if (timeline.storedReports < 2) return;
    // Usually in order already (history, then the batch's later reports): kept as it is then.
    const sorted = inTimelineOrder(timeline.reports)
      ? timeline.reports
      : [...timeline.reports].sort(compareReports);
    const latest = sorted.at(-1)?.receivedAt;
    const cutoff =
      latest === undefined ? timeline.completeAfter : Math.max(timeline.completeAfter, latest - reachMs);
    const reports = after(sorted, cutoff);
    if (reports.length > this.maxReports) return;
    this.timelines.set(timeline.reportedNumber, {
      storedReports: timeline.storedReports,
      completeAfter: cutoff,
      reports,
    });
    this.size += reports.length;
    for (const [number, oldest] of this.timelines) {
      if (this.size <= this.maxReports) break;
      this.forget(number, oldest);
    }
  }

  private forget(reportedNumber: string, cached = this.timelines.get(reportedNumber)): void {
    if (cached === undefined) return;
    this.timelines.delete(reportedNumber);
    this.size -= cached.reports.length;
  }
}
