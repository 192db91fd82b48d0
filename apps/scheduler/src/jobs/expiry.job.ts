import { Injectable } from '@nestjs/common';
import { expireFlag, LONGEST_WINDOW_SECONDS } from '@abuse-monitor/domain';
import { affectedRows } from '@abuse-monitor/persistence';
import { JobContext } from '../job-runner';
import { FlagJob } from './flag-batches';

/**
 * Low flags whose number has had no new report for the quiet period expire; counters of numbers
 * quiet for longer than the longest window are compacted to zero (nothing is in any window), so
 * the top-N index and the screens stop showing stale counts.
 */
@Injectable()
export class ExpiryJob extends FlagJob {
  readonly name = 'expiry' as const;

  async run(context: JobContext): Promise<void> {
    const at = context.now.getTime();
    const quietDays = Math.round(this.config.EXPIRY_QUIET_PERIOD / 86_400_000);
    await this.changeFlags(
      context,
      {
        sql: `SELECT f.* FROM flags f JOIN subscriber_counters c ON c.reported_number = f.reported_number
               WHERE f.status = 'open' AND f.severity = 'low' AND f.id > $1
                 AND c.last_seen_at + make_interval(secs => $4::bigint / 1000.0) <= $3::timestamptz
               ORDER BY f.id LIMIT $2 FOR UPDATE OF f SKIP LOCKED`,
        params: [context.now.toISOString(), this.config.EXPIRY_QUIET_PERIOD],
      },
      (flag) => expireFlag(flag, { at, note: `no new report for ${quietDays} days` }),
    );
    await this.compactQuietCounters(context);
  }

  private async compactQuietCounters(context: JobContext): Promise<void> {
    for (;;) {
      const result: unknown = await this.dataSource.query(
        `UPDATE subscriber_counters SET
           reports_1h = 0, distinct_reporters_1h = 0, reports_24h = 0, distinct_reporters_24h = 0,
           reports_7d = 0, distinct_reporters_7d = 0, reports_30d = 0, distinct_reporters_30d = 0,
           by_kind_30d = '{}', by_category_30d = '{}', counted_at = $1::timestamptz, updated_at = now()
          WHERE reported_number IN (
            SELECT reported_number FROM subscriber_counters
             WHERE last_seen_at <= $1::timestamptz - make_interval(secs => $2::int) AND reports_30d > 0
             ORDER BY reported_number LIMIT $3 FOR UPDATE SKIP LOCKED)
          `,
        [context.now.toISOString(), LONGEST_WINDOW_SECONDS, context.batchSize],
      );
      const count = affectedRows(result);
      context.count(count);
      if (count < context.batchSize) return;
    }
  }
}
