/**
 * Crowd reporting can be abused to harm a competitor. A reporter who sends more reports a day
 * than any person plausibly would is marked suspicious: their reports are kept and counted, but
 * carry no weight towards thresholds (`WindowReport.weighted` is false) until a person clears them.
 *
 * For replays to give the same flags, whether a report is weighted must be fixed when the report
 * is stored (or changed explicitly by a person's decision), not recomputed from the clock.
 */

/** Reports a day above which a reporter is suspicious, until configured otherwise. */
export const DEFAULT_DAILY_REPORT_LIMIT = 20;

export const REPORTER_STANDINGS = ['normal', 'suspicious', 'cleared'] as const;
/** normal: weighted; suspicious: not weighted; cleared: a person vouched for them, weighted. */
export type ReporterStanding = (typeof REPORTER_STANDINGS)[number];

/** More than `limit` reports in the 24 hours up to and including this one. */
export function isSuspiciousReporter(
  reportsInLast24h: number,
  limit: number = DEFAULT_DAILY_REPORT_LIMIT,
): boolean {
  return reportsInLast24h > limit;
}

/**
 * A reporter's standing after one more report. Suspicion sticks until a person clears it, and a
 * cleared reporter is not marked again automatically: the person who cleared them knew they
 * report a lot (a person can still mark them suspicious by hand).
 */
export function standingAfterReport(
  standing: ReporterStanding,
  reportsInLast24h: number,
  limit: number = DEFAULT_DAILY_REPORT_LIMIT,
): ReporterStanding {
  if (standing === 'normal' && isSuspiciousReporter(reportsInLast24h, limit)) return 'suspicious';
  return standing;
}

/** Whether a report from a reporter in this standing counts towards thresholds. */
export function carriesWeight(standing: ReporterStanding): boolean {
  return standing !== 'suspicious';
}

export const GUARD_WINDOW_MS = 24 * 3_600_000;

export interface GuardedReport {
  readonly reportId: string;
  readonly reporter: string;
  /** Epoch milliseconds. */
  readonly receivedAt: number;
}

/**
 * For each report, how many of the given reports its reporter sent in the 24 hours up to and
 * including it: (receivedAt - 24 h, receivedAt], itself and same-millisecond reports included.
 * Exact for a reporter with no other report in that span; the caller asks the database for the
 * others.
 */
export function reportsInLast24hAmong(reports: readonly GuardedReport[]): Map<string, number> {
  const byReporter = new Map<string, number[]>();
  for (const report of reports) {
    const times = byReporter.get(report.reporter);
    if (times) times.push(report.receivedAt);
    else byReporter.set(report.reporter, [report.receivedAt]);
  }
  for (const times of byReporter.values()) times.sort((a, b) => a - b);
  const counts = new Map<string, number>();
  for (const report of reports) {
    const times = byReporter.get(report.reporter) ?? [];
    // Reports in (t - 24 h, t]: those up to t minus those up to t - 24 h.
    counts.set(
      report.reportId,
      countAtOrBefore(times, report.receivedAt) - countAtOrBefore(times, report.receivedAt - GUARD_WINDOW_MS),
    );
  }
  return counts;
}

/** In ascending `times`, how many are at or before `at` (binary search). */
function countAtOrBefore(times: readonly number[], at: number): number {
  let low = 0;
  let high = times.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (times[middle] <= at) low = middle + 1;
    else high = middle;
  }
  return low;
}
