import { Injectable } from '@nestjs/common';
import { reopenRepeatOffender } from '@abuse-monitor/domain';
import { JobContext } from '../job-runner';
import { FlagJob } from './flag-batches';

/**
 * A number that was warned or blocked and is reported again, within the period after the action,
 * by enough reporters who had not reported it before, goes back to the queue with the next action
 * on the ladder recommended. A recommendation only: a person decides.
 */
@Injectable()
export class RepeatOffendersJob extends FlagJob {
  readonly name = 'repeat-offenders' as const;

  async run(context: JobContext): Promise<void> {
    const at = context.now.getTime();
    await this.changeFlags(
      context,
      {
        sql: `SELECT f.*, n.new_reporters FROM flags f
               CROSS JOIN LATERAL (
                 SELECT count(DISTINCT r.reporter)::int AS new_reporters FROM reports r
                  WHERE r.reported_number = f.reported_number AND r.weighted
                    AND r.received_at > f.counts_reports_after
                    AND r.received_at <= LEAST(f.counts_reports_after + make_interval(secs => $4::bigint / 1000.0),
                                               $3::timestamptz)
                    AND NOT EXISTS (SELECT 1 FROM reports p
                                     WHERE p.reported_number = f.reported_number AND p.reporter = r.reporter
                                       AND p.received_at <= f.counts_reports_after)
               ) n
               WHERE f.status = 'actioned' AND f.taken_action IS NOT NULL AND f.id > $1
                 AND f.counts_reports_after > $3::timestamptz - make_interval(secs => $4::bigint / 1000.0)
                 AND n.new_reporters >= $5
               ORDER BY f.id LIMIT $2 FOR UPDATE OF f SKIP LOCKED`,
        params: [
          context.now.toISOString(),
          this.config.REPEAT_OFFENCE_PERIOD,
          this.config.REPEAT_OFFENCE_NEW_REPORTERS,
        ],
      },
      (flag, row) => reopenRepeatOffender(flag, { at, newReporters: Number(row.new_reporters) }),
    );
  }
}
