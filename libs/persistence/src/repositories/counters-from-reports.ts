import { countWindows, LONGEST_WINDOW_SECONDS } from '@abuse-monitor/domain';
import { toWindowReport, type WindowReportRow } from '../aggregation/reports.repository';
import type { CountersRow } from './flag-rows';

/** A report of a number that has no counters row, as countersFromReports needs it. */
export interface RowlessReportRow extends Omit<WindowReportRow, 'reported_number'> {
  carrier: string | null;
}

/**
 * How many reports of a number without a counters row are read to count it. Such a number has
 * one report (decision 0083), or a few when two aggregators raced; the next report gives it a row.
 */
export const MAX_ROWLESS_REPORTS = 100;

/**
 * The counters row a number's reports would give it, as the aggregator writes one: windows ending
 * at the latest report, by kind and category over its 30 days; and, as the hourly compaction
 * leaves a row whose latest report is 30 days old at `now`, empty windows counted at `now`.
 * Null for no report.
 */
export function countersFromReports(reports: readonly RowlessReportRow[], now: Date): CountersRow | null {
  if (reports.length === 0) return null;
  const timeline = reports.map(toWindowReport);
  let latest = reports[0];
  let earliest = reports[0];
  for (const r of reports) {
    if (r.received_at > latest.received_at) latest = r;
    if (r.received_at < earliest.received_at) earliest = r;
  }
  const quiet = latest.received_at.getTime() <= now.getTime() - LONGEST_WINDOW_SECONDS * 1000;
  const counts = countWindows(quiet ? [] : timeline, latest.received_at.getTime());
  const w = counts.windows;
  const nonZero = (byKey: Readonly<Record<string, { reports: number; distinctReporters: number }>>) =>
    Object.fromEntries(Object.entries(byKey).filter(([, c]) => c.reports > 0));
  return {
    number_type: latest.number_type,
    carrier: latest.carrier,
    first_seen_at: earliest.received_at,
    last_seen_at: latest.received_at,
    total_reports: String(reports.length),
    counted_at: quiet ? now : latest.received_at,
    reports_1h: w[3600].reports,
    distinct_reporters_1h: w[3600].distinctReporters,
    reports_24h: w[86400].reports,
    distinct_reporters_24h: w[86400].distinctReporters,
    reports_7d: w[604800].reports,
    distinct_reporters_7d: w[604800].distinctReporters,
    reports_30d: w[2592000].reports,
    distinct_reporters_30d: w[2592000].distinctReporters,
    by_kind_30d: nonZero(counts.last30DaysByKind),
    by_category_30d: nonZero(counts.last30DaysByCategory),
  };
}
