import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { reopenRepeatOffender } from '@abuse-monitor/domain';
import { TopicNames } from '@abuse-monitor/messaging';
import { Metrics } from '@abuse-monitor/observability';
import { OutboxRelayService } from '@abuse-monitor/persistence';
import { JobContext, ScheduledJob } from '../job-runner';
import { SCHEDULER_CONFIG, SCHEDULER_TOPICS, SchedulerConfig } from '../scheduler.config';
import { transitionFlags } from './flag-batches';

/**
 * A number that was warned or blocked and is reported again, within the period after the action,
 * by enough reporters who had not reported it before, goes back to the queue with the next action
 * on the ladder recommended. A recommendation only: a person decides.
 */
@Injectable()
export class RepeatOffendersJob implements ScheduledJob {
  readonly name = 'repeat-offenders' as const;

  constructor(
    private readonly dataSource: DataSource,
    private readonly relay: OutboxRelayService,
    private readonly metrics: Metrics,
    @Inject(SCHEDULER_CONFIG) private readonly config: SchedulerConfig,
    @Inject(SCHEDULER_TOPICS) private readonly topics: TopicNames,
  ) {}

  async run(context: JobContext): Promise<void> {
    const at = context.now.getTime();
    await transitionFlags(
      this.dataSource,
      this.metrics,
      this.topics,
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
    this.relay.wake();
  }
}
