import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { affectedRows } from '@abuse-monitor/persistence';
import { JobContext, ScheduledJob } from '../job-runner';
import { SCHEDULER_CONFIG, SchedulerConfig } from '../scheduler.config';

export const ANONYMISED = 'anonymised';

/**
 * Personal data older than the retention period is irreversibly anonymised: reporters' numbers and
 * what they wrote. Hashing would not do: phone numbers are few enough to hash them all. Rows stay,
 * so counts, rejection reasons, flag evidence (report ids and counts) and daily summaries, which
 * hold no personal data, are unchanged. Reporters silent for that long are forgotten.
 */
@Injectable()
export class RetentionJob implements ScheduledJob {
  readonly name = 'retention' as const;

  constructor(
    private readonly dataSource: DataSource,
    @Inject(SCHEDULER_CONFIG) private readonly config: SchedulerConfig,
  ) {}

  async run(context: JobContext): Promise<void> {
    const cutoff = new Date(context.now.getTime() - this.config.RETENTION_PERIOD).toISOString();
    const statements = [
      `UPDATE reports SET reporter = '${ANONYMISED}', content = NULL, anonymised_at = now()
        WHERE report_id IN (SELECT report_id FROM reports WHERE received_at < $1 AND anonymised_at IS NULL
                             ORDER BY received_at LIMIT $2 FOR UPDATE SKIP LOCKED)`,
      `UPDATE rejected_reports SET reporter = '${ANONYMISED}', anonymised_at = now()
        WHERE (channel, source_id) IN (SELECT channel, source_id FROM rejected_reports
                                        WHERE received_at < $1 AND anonymised_at IS NULL
                                        ORDER BY received_at LIMIT $2 FOR UPDATE SKIP LOCKED)`,
      // What ingest stored before decision 0025; nothing new arrives there.
      `UPDATE raw_sms_messages SET reporter = '${ANONYMISED}', text = '', anonymised_at = now()
        WHERE message_id IN (SELECT message_id FROM raw_sms_messages WHERE received_at < $1 AND anonymised_at IS NULL
                              ORDER BY received_at LIMIT $2 FOR UPDATE SKIP LOCKED)`,
      `UPDATE submitted_reports
          SET payload = jsonb_build_object('kind', payload -> 'kind', 'category', payload -> 'category',
                                           '${ANONYMISED}', true),
              anonymised_at = now()
        WHERE submission_id IN (SELECT submission_id FROM submitted_reports
                                 WHERE stored_at < $1 AND anonymised_at IS NULL
                                 ORDER BY stored_at LIMIT $2 FOR UPDATE SKIP LOCKED)`,
      // Held hotline submissions keep their body for a supervisor; past retention only the kind stays.
      `UPDATE agent_submissions
          SET submission = jsonb_build_object('kind', submission -> 'kind', '${ANONYMISED}', true)
        WHERE id IN (SELECT id FROM agent_submissions
                      WHERE submitted_at < $1 AND submission IS NOT NULL AND NOT submission ? '${ANONYMISED}'
                      ORDER BY submitted_at LIMIT $2 FOR UPDATE SKIP LOCKED)`,
      `DELETE FROM reporters WHERE reporter IN (SELECT reporter FROM reporters WHERE last_seen_at < $1
                                                 ORDER BY reporter LIMIT $2 FOR UPDATE SKIP LOCKED)`,
    ];
    for (const sql of statements) {
      for (;;) {
        const changed = affectedRows(await this.dataSource.query(sql, [cutoff, context.batchSize]));
        context.count(changed);
        if (changed < context.batchSize) break;
      }
    }
  }
}
