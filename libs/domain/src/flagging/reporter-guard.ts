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
