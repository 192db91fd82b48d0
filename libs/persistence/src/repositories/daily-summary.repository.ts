import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { DailySummary, DailySummaryInput, REVIEW_OVERDUE } from '@abuse-monitor/domain';

/** What a day's summary is computed from: everything in DailySummaryInput but the day itself. */
export type DayActivity = Omit<DailySummaryInput, 'date' | 'timeZone'>;

// The day's bounds in the summary's time zone, computed by PostgreSQL (which knows the zone's rules).
const DAY = `$1::date::timestamp AT TIME ZONE $2`;
const NEXT_DAY = `($1::date + 1)::timestamp AT TIME ZONE $2`;

/**
 * The scheduler's daily summaries (table daily_summaries) and the day's activity they are computed
 * from. Named apart from the API's summaries, which only reads them.
 */
@Injectable()
export class DailySummaryRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** The latest day before `day` ('YYYY-MM-DD') with a stored summary, or null. */
  async lastDayBefore(day: string): Promise<string | null> {
    const [{ last }]: { last: string | null }[] = await this.dataSource.query(
      `SELECT max(day)::text AS last FROM daily_summaries WHERE day < $1::date`,
      [day],
    );
    return last;
  }

  /**
   * Reads the day's activity and stores the summary `summarize` makes of it, in one REPEATABLE READ
   * transaction, so the summary is of one snapshot; replaces the day's earlier summary.
   */
  regenerate(
    date: string,
    timeZone: string,
    summarize: (activity: DayActivity) => DailySummary,
  ): Promise<DailySummary> {
    return this.dataSource.transaction('REPEATABLE READ', async (manager) => {
      const summary = summarize(await dayActivity(date, timeZone, manager));
      await manager.query(
        `INSERT INTO daily_summaries (day, time_zone, summary) VALUES ($1, $2, $3::jsonb)
         ON CONFLICT (day) DO UPDATE SET time_zone = EXCLUDED.time_zone, summary = EXCLUDED.summary,
                                         generated_at = now()`,
        [date, timeZone, JSON.stringify(summary)],
      );
      return summary;
    });
  }
}

/** What the day's summary is computed from, read in the caller's transaction. */
async function dayActivity(date: string, timeZone: string, manager: EntityManager): Promise<DayActivity> {
  const params = [date, timeZone];
  // count(*) is a bigint, which the driver gives as a string.
  const num = <T extends { count: number }>(rows: T[]): T[] =>
    rows.map((r) => ({ ...r, count: Number(r.count) }));
  const reports: DailySummaryInput['reports'][number][] = await manager.query(
    `SELECT channel, short_code AS "shortCode", kind, category, carrier, count(*) AS count FROM reports
      WHERE received_at >= ${DAY} AND received_at < ${NEXT_DAY}
      GROUP BY channel, short_code, kind, category, carrier`,
    params,
  );
  const rejections: DailySummaryInput['rejections'][number][] = await manager.query(
    `SELECT channel, reason, count(*) AS count FROM rejected_reports
      WHERE received_at >= ${DAY} AND received_at < ${NEXT_DAY} GROUP BY channel, reason`,
    params,
  );
  const flagChanges: DailySummaryInput['flagChanges'][number][] = await manager.query(
    // An overdue mark on a flag in review is the review's SLA, told apart from the queue's.
    `SELECT CASE WHEN change = 'overdue' AND from_status = 'in_review' THEN '${REVIEW_OVERDUE}' ELSE change END AS change,
            CASE WHEN change = 'actioned' THEN taken_action END AS "takenAction",
            -- A spoofing flag recommends what no rule may: its history needs no kind of its own.
            recommended_action = 'investigate_origin' AS spoofing, count(*) AS count
       FROM flag_history WHERE occurred_at >= ${DAY} AND occurred_at < ${NEXT_DAY}
      GROUP BY 1, 2, 3`,
    params,
  );
  const delays: { ms: string }[] = await manager.query(
    `SELECT (extract(epoch FROM h.occurred_at - o.opened_at) * 1000)::bigint AS ms
       FROM flag_history h
       CROSS JOIN LATERAL (SELECT max(p.occurred_at) AS opened_at FROM flag_history p
                            WHERE p.flag_id = h.flag_id AND p.sequence < h.sequence
                              AND p.change IN ('opened', 'reopened')) o
      WHERE h.change = 'actioned' AND h.occurred_at >= ${DAY} AND h.occurred_at < ${NEXT_DAY}
        AND o.opened_at IS NOT NULL`,
    params,
  );
  // Fell due that day and still undecided then (decided later, or not yet): the SLA missed that day.
  const [overdue]: { count: number }[] = await manager.query(
    `SELECT count(*)::int AS count FROM appeals
      WHERE due_at >= ${DAY} AND due_at < ${NEXT_DAY} AND (decided_at IS NULL OR decided_at > due_at)`,
    params,
  );
  return {
    appealsOverdue: overdue.count,
    reports: num(reports),
    rejections: num(rejections),
    flagChanges: num(flagChanges),
    actionDelaysMs: delays.map((d) => Number(d.ms)),
  };
}
