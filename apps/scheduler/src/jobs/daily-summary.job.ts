import { Inject, Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { DailySummary, DailySummaryInput, summarizeDay } from '@abuse-monitor/domain';
import { JobContext, ScheduledJob } from '../job-runner';
import { SCHEDULER_CONFIG, SchedulerConfig } from '../scheduler.config';

/** The calendar date ('YYYY-MM-DD') of a moment in a time zone. */
export function dateIn(moment: Date, timeZone: string): string {
  return new Intl.DateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(moment);
}

export function previousDate(date: string): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10);
}

// The day's bounds in the summary's time zone, computed by PostgreSQL (which knows the zone's rules).
const DAY = `$1::date::timestamp AT TIME ZONE $2`;
const NEXT_DAY = `($1::date + 1)::timestamp AT TIME ZONE $2`;

/**
 * The summary of a day for the operator's management and the authority, from what is stored:
 * reports, rejections, flag changes and the time from a flag to the action on it. Stored by date;
 * regenerating a day gives the same summary (nothing in it depends on when it is computed, and
 * retention keeps the rows it counts).
 */
@Injectable()
export class DailySummaryJob implements ScheduledJob {
  readonly name = 'daily-summary' as const;

  constructor(
    private readonly dataSource: DataSource,
    @Inject(SCHEDULER_CONFIG) private readonly config: SchedulerConfig,
  ) {}

  /** At each tick: the day before the tick, in the summary's time zone. */
  async run(context: JobContext): Promise<void> {
    await this.generate(previousDate(dateIn(context.now, this.config.SUMMARY_TIME_ZONE)));
    context.count(1);
  }

  async generate(date: string): Promise<DailySummary> {
    const timeZone = this.config.SUMMARY_TIME_ZONE;
    return this.dataSource.transaction('REPEATABLE READ', async (manager) => {
      const summary = summarizeDay({ date, timeZone, ...(await this.read(date, timeZone, manager)) });
      await manager.query(
        `INSERT INTO daily_summaries (day, time_zone, summary) VALUES ($1, $2, $3::jsonb)
         ON CONFLICT (day) DO UPDATE SET time_zone = EXCLUDED.time_zone, summary = EXCLUDED.summary,
                                         generated_at = now()`,
        [date, timeZone, JSON.stringify(summary)],
      );
      return summary;
    });
  }

  private async read(
    date: string,
    timeZone: string,
    manager: EntityManager,
  ): Promise<Omit<DailySummaryInput, 'date' | 'timeZone'>> {
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
      `SELECT 'sms' AS channel, rejection_reason AS reason, count(*) AS count FROM raw_sms_messages
        WHERE outcome = 'rejected' AND received_at >= ${DAY} AND received_at < ${NEXT_DAY} GROUP BY rejection_reason
       UNION ALL
       SELECT 'hotline', rejection_reason, count(*) FROM submitted_reports
        WHERE outcome = 'rejected' AND stored_at >= ${DAY} AND stored_at < ${NEXT_DAY} GROUP BY rejection_reason`,
      params,
    );
    const flagChanges: DailySummaryInput['flagChanges'][number][] = await manager.query(
      `SELECT change, CASE WHEN change = 'actioned' THEN taken_action END AS "takenAction", count(*) AS count
         FROM flag_history WHERE occurred_at >= ${DAY} AND occurred_at < ${NEXT_DAY}
        GROUP BY 1, 2`,
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
    return {
      reports: num(reports),
      rejections: num(rejections),
      flagChanges: num(flagChanges),
      actionDelaysMs: delays.map((d) => Number(d.ms)),
    };
  }
}
