import { hostname } from 'node:os';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { Metrics } from '@abuse-monitor/observability';
import { JobRunLog, JobsRepository } from '@abuse-monitor/persistence';
import { describeError } from '@abuse-monitor/runtime';
import { SCHEDULER_CONFIG, SchedulerConfig } from './scheduler.config';

export const JOB_NAMES = [
  'sla-escalation',
  'repeat-offenders',
  'expiry',
  'retention',
  'daily-summary',
  'campaigns',
] as const;
export type JobName = (typeof JOB_NAMES)[number];

export interface JobContext {
  /** The moment the job acts as of; from the clock, never read from the system inside a job. */
  readonly now: Date;
  readonly batchSize: number;
  /** Adds to the items processed, as each batch commits, so a failed run still says how far it got. */
  count(items: number): void;
}

/**
 * A job does its work in bounded batches, each its own transaction, so a failure leaves every
 * batch either done or untouched, and the next tick carries on from there.
 */
export interface ScheduledJob {
  readonly name: JobName;
  run(context: JobContext): Promise<void>;
}

export type RunOutcome =
  | { readonly outcome: 'succeeded'; readonly items: number }
  | { readonly outcome: 'failed'; readonly items: number; readonly error: string }
  | { readonly outcome: 'skipped'; readonly reason: 'running_here' | 'locked' | 'already_ran' };

/**
 * Runs a job for one tick, once across every replica: a session advisory lock per job keeps runs
 * from overlapping, and the (job, tick) row in job_runs keeps a replica whose timer fired a little
 * late from running the same tick again after the first one finished.
 */
@Injectable()
export class JobRunner {
  private readonly logger = new Logger('Jobs');
  private readonly replica = `${hostname()}:${process.pid}`;
  private readonly runningHere = new Set<JobName>();

  constructor(
    private readonly jobs: JobsRepository,
    private readonly metrics: Metrics,
    @Inject(SCHEDULER_CONFIG) private readonly config: SchedulerConfig,
  ) {
    // Every series from zero, so increase() sees a job's first failure.
    for (const job of JOB_NAMES)
      for (const outcome of ['succeeded', 'failed', 'skipped'])
        metrics.get('jobRuns').inc({ scheduled_job: job, outcome }, 0);
  }

  async runTick(job: ScheduledJob, tickAt: Date, now: Date): Promise<RunOutcome> {
    const stop = this.metrics.get('jobDuration').startTimer({ scheduled_job: job.name });
    const result = await this.runOnce(job, tickAt, now);
    if (result.outcome !== 'skipped') stop();
    this.metrics.get('jobRuns').inc({ scheduled_job: job.name, outcome: result.outcome });
    if (result.outcome !== 'skipped')
      this.metrics.get('jobItems').inc({ scheduled_job: job.name }, result.items);
    return result;
  }

  private async runOnce(job: ScheduledJob, tickAt: Date, now: Date): Promise<RunOutcome> {
    if (this.runningHere.has(job.name)) return { outcome: 'skipped', reason: 'running_here' };
    this.runningHere.add(job.name);
    try {
      const result = await this.jobs.whileLocked(job.name, (runs) => this.runLocked(job, tickAt, now, runs));
      if (result !== 'locked') return result;
      this.logger.debug(
        `${job.name}: another replica is running it; skipping the tick of ${tickAt.toISOString()}`,
      );
      return { outcome: 'skipped', reason: 'locked' };
    } finally {
      this.runningHere.delete(job.name);
    }
  }

  private async runLocked(job: ScheduledJob, tickAt: Date, now: Date, runs: JobRunLog): Promise<RunOutcome> {
    // Holding the lock, nobody else runs this job: a 'running' row is from a replica that died.
    await runs.abandonRunning(job.name);
    const runId = await runs.start(job.name, tickAt, this.replica);
    if (runId === null) {
      this.logger.debug(`${job.name}: the tick of ${tickAt.toISOString()} already ran`);
      return { outcome: 'skipped', reason: 'already_ran' };
    }
    let items = 0;
    const started = Date.now();
    try {
      await job.run({ now, batchSize: this.config.JOB_BATCH_SIZE, count: (n) => (items += n) });
      await runs.finish(runId, 'succeeded', items);
      this.logger.log(`${job.name}: ${items} items in ${Date.now() - started} ms`);
      return { outcome: 'succeeded', items };
    } catch (error) {
      const message = describeError(error).slice(0, 2000);
      await runs.finish(runId, 'failed', items, message);
      this.logger.error(`${job.name} failed after ${items} items; the next tick retries: ${message}`);
      return { outcome: 'failed', items, error: message };
    }
  }
}
