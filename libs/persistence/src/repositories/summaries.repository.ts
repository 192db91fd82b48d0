import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { DailySummary } from '@abuse-monitor/domain';

/** The widths of the buckets a number's reports are counted in. */
export const ACTIVITY_BUCKETS = ['hour', 'day'] as const;
export type ActivityBucket = (typeof ACTIVITY_BUCKETS)[number];

/** One bucket of one number: when it starts and ends and how many reports it holds. */
export interface ActivityRow {
  reported_number: string;
  start: Date;
  /** A day where the zone changes its clocks is 23 or 25 hours long. */
  end: Date;
  reports: number;
}

/**
 * The daily summaries the scheduler stores after each day, and what the console draws over time
 * from reports: read-only.
 */
@Injectable()
export class SummariesRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** The summary of a day (YYYY-MM-DD), or null when none was made. */
  async daily(day: string): Promise<DailySummary | null> {
    const rows: { summary: DailySummary }[] = await this.dataSource.query(
      `SELECT summary FROM daily_summaries WHERE day = $1`,
      [day],
    );
    return rows[0]?.summary ?? null;
  }

  /** The stored summaries of the days from `from` to `to` (both YYYY-MM-DD, inclusive), oldest first. */
  async range(from: string, to: string): Promise<DailySummary[]> {
    const rows: { summary: DailySummary }[] = await this.dataSource.query(
      `SELECT summary FROM daily_summaries WHERE day BETWEEN $1::date AND $2::date ORDER BY day`,
      [from, to],
    );
    return rows.map((row) => row.summary);
  }

  /**
   * Reports about each of `numbers` per hour or day, in the `count` buckets that end with the one
   * holding `now`, every bucket present (zero when empty), oldest first per number. Buckets are cut
   * in `timeZone` (a day is the operator's day, as in the daily summary), so PostgreSQL, which knows
   * the zone's rules, truncates and steps in local time and gives each start back as an instant.
   * Each number is one range of reports_number_time_idx, however many reports it has.
   */
  async activity(
    numbers: readonly string[],
    bucket: ActivityBucket,
    count: number,
    now: Date,
    timeZone: string,
  ): Promise<ActivityRow[]> {
    const rows: (Omit<ActivityRow, 'reports'> & { reports: string })[] = await this.dataSource.query(
      `WITH span AS (
         SELECT date_trunc($2, $4::timestamptz AT TIME ZONE $5) - ($3::int - 1) * ('1 ' || $2)::interval AS first,
                date_trunc($2, $4::timestamptz AT TIME ZONE $5) AS last
       ),
       counted AS (
         SELECT r.reported_number, date_trunc($2, r.received_at AT TIME ZONE $5) AS local_start, count(*) AS reports
           FROM reports r, span
          WHERE r.reported_number = ANY($1::text[])
            AND r.received_at >= span.first AT TIME ZONE $5
            AND r.received_at < (span.last + ('1 ' || $2)::interval) AT TIME ZONE $5
          GROUP BY 1, 2
       )
       SELECT n.reported_number, s.local_start AT TIME ZONE $5 AS start,
              (s.local_start + ('1 ' || $2)::interval) AT TIME ZONE $5 AS "end", COALESCE(c.reports, 0) AS reports
         FROM unnest($1::text[]) AS n(reported_number)
        CROSS JOIN span
        CROSS JOIN LATERAL generate_series(span.first, span.last, ('1 ' || $2)::interval) AS s(local_start)
         LEFT JOIN counted c ON c.reported_number = n.reported_number AND c.local_start = s.local_start
        ORDER BY n.reported_number, s.local_start`,
      [numbers, bucket, count, now, timeZone],
    );
    // count(*) is a bigint, which the driver gives as a string.
    return rows.map((row) => ({ ...row, reports: Number(row.reports) }));
  }
}
