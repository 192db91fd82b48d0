import { Inject, Injectable } from '@nestjs/common';
import { JobsRepository, SessionsRepository, Transactions } from '@abuse-monitor/persistence';
import { JobContext, ScheduledJob } from '../job-runner';
import { SCHEDULER_CONFIG, SchedulerConfig } from '../scheduler.config';
import { primaryKeyWalk } from './primary-key-walk';

export { ANONYMISED } from '@abuse-monitor/persistence';

/**
 * Personal data older than the retention period is irreversibly anonymised: reporters' numbers and
 * what they wrote. Hashing would not do: phone numbers are few enough to hash them all. Rows stay,
 * so counts, rejection reasons, flag evidence (report ids and counts) and daily summaries, which
 * hold no personal data, are unchanged. Reporters silent for that long are forgotten. Console
 * sessions are deleted a day after they end or expire: the audit log keeps each sign-in and
 * sign-out, and a dead session signs nobody in.
 */
const DEAD_SESSIONS_KEPT_MS = 86_400_000;

@Injectable()
export class RetentionJob implements ScheduledJob {
  readonly name = 'retention' as const;

  constructor(
    private readonly jobs: JobsRepository,
    private readonly sessions: SessionsRepository,
    private readonly transactions: Transactions,
    @Inject(SCHEDULER_CONFIG) private readonly config: SchedulerConfig,
  ) {}

  async run(context: JobContext): Promise<void> {
    const cutoff = new Date(context.now.getTime() - this.config.RETENTION_PERIOD);
    const sessionsDeadSince = new Date(context.now.getTime() - DEAD_SESSIONS_KEPT_MS);
    // Each step a batch at a time, each batch its own statement, until a batch comes back short.
    const steps: ((limit: number) => Promise<number>)[] = [
      (n) => this.jobs.anonymiseReportsBefore(cutoff, n),
      (n) => this.jobs.anonymiseRejectionsBefore(cutoff, n),
      (n) => this.jobs.anonymiseRawSmsBefore(cutoff, n),
      (n) => this.jobs.anonymiseSubmissionsBefore(cutoff, n),
      (n) => this.jobs.anonymiseAgentSubmissionsBefore(cutoff, n),
      primaryKeyWalk((n, after) => this.jobs.forgetReportersSilentSince(cutoff, n, after)),
      (n) => this.sessions.forgetEndedBefore(sessionsDeadSince, n, this.transactions.outside),
    ];
    for (const step of steps) {
      for (;;) {
        const changed = await step(context.batchSize);
        context.count(changed);
        if (changed < context.batchSize) break;
      }
    }
  }
}
